// The one atomic file writer: old file or new file, whole, whatever happens to the writer.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tensorgraph/error.h"
#include "tensorgraph/file.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using tg::testing::temp_path;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Version k of the file: "k=<k> n=<size>\n" then filler bytes that depend on k; sizes vary from
// 1 KB to ~1.5 MB so that kills land in every step (open, write, fsync, rename).
std::string version(int k) {
  const std::size_t n = 1000 + static_cast<std::size_t>(k) * 7919 % 1'500'000;
  std::string head = "k=" + std::to_string(k) + " n=" + std::to_string(n) + "\n";
  std::string s = head + std::string(n - head.size(), static_cast<char>('a' + k % 26));
  return s;
}

// The k of a whole version, or -1 if the text is not exactly one.
int which_version(const std::string& text) {
  int k = -1;
  std::size_t n = 0;
  if (std::sscanf(text.c_str(), "k=%d n=%zu\n", &k, &n) != 2 || k < 0) return -1;
  return text == version(k) ? k : -1;
}

std::size_t temp_files_in(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST(AtomicFile, WritesAndReplacesWholeAndLeavesNoTempFile) {
  const fs::path dir = temp_path("atomic_basic");
  fs::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  tg::write_file_atomically(path, version(1), "test");
  EXPECT_EQ(read_all(path), version(1));
  tg::write_file_atomically(
      path, [](const tg::ByteSink& put) { put("k=2", 3), put(version(2).data() + 3, version(2).size() - 3); },
      "test");
  EXPECT_EQ(read_all(path), version(2));
  EXPECT_EQ(temp_files_in(dir), 0u);
}

TEST(AtomicFile, AFailingFillKeepsTheOldFileAndRemovesTheTempFile) {
  const fs::path dir = temp_path("atomic_throw");
  fs::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  tg::write_file_atomically(path, version(3), "test");
  EXPECT_THROW(tg::write_file_atomically(
                   path,
                   [](const tg::ByteSink& put) {
                     put("partial", 7);
                     throw std::runtime_error("the producer failed");
                   },
                   "test"),
               std::runtime_error);
  EXPECT_EQ(read_all(path), version(3));
  EXPECT_EQ(temp_files_in(dir), 0u);
}

TEST(AtomicFile, ErrorsNameTheWriterThePathAndTheStep) {
  const std::string path = temp_path("no_such_folder") + "/f.bin";
  try {
    tg::write_file_atomically(path, "x", "export_model");
    FAIL() << "no error";
  } catch (const tg::IoError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("export_model: cannot write '" + path + "'"), std::string::npos) << m;
    EXPECT_NE(m.find("creating temp file"), std::string::npos) << m;
    EXPECT_NE(m.find("No such file or directory"), std::string::npos) << m;
  }
}

TEST(AtomicFile, TwoThreadsWritingOnePathLeaveOneWholeVersion) {
  const fs::path dir = temp_path("atomic_threads");
  fs::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  auto writer = [&](int first) {
    for (int k = first; k < first + 60; ++k) tg::write_file_atomically(path, version(k), "test");
  };
  std::thread a(writer, 0), b(writer, 1000);
  a.join(), b.join();
  const int k = which_version(read_all(path));
  EXPECT_TRUE(k == 59 || k == 1059) << "the file is version " << k;
  EXPECT_EQ(temp_files_in(dir), 0u);
}

// A child process rewrites the file with versions 1, 2, 3, ... until SIGKILLed at a random moment;
// the file is then always one whole version, never empty, short or mixed.
TEST(AtomicFile, AWriterKilledAtRandomPointsLeavesTheOldOrTheNewFileWhole) {
  const fs::path dir = temp_path("atomic_kill");
  fs::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  tg::write_file_atomically(path, version(0), "test");
  std::mt19937 rng(12345);
  int last = 0, advanced = 0;
  for (int round = 0; round < 40; ++round) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      for (int k = last + 1;; ++k) tg::write_file_atomically(path, version(k), "child");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 30000)(rng)));
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    const int k = which_version(read_all(path));
    ASSERT_GE(k, last) << "round " << round << ": the file is not one whole version";
    advanced += k > last;
    last = k;
  }
  EXPECT_GT(advanced, 10) << "the kills landed too early to test anything";
}
