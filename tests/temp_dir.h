// A temporary directory private to this test process. ctest runs each test case as its own
// process, two at a time, so a fixed name under /tmp would be written by two cases at once
// (CI saw Idx.MalformedFilesAreRefusedWithTheReason read a file another case had just rewritten).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace tg::testing {

// Created on first use, removed with its contents when the process exits.
inline std::filesystem::path process_temp_dir() {
  struct Dir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("tg_test_" + std::to_string(::getpid()));
    Dir() { std::filesystem::create_directories(path); }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

inline std::string temp_path(const std::string& name) { return (process_temp_dir() / name).string(); }

}  // namespace tg::testing
