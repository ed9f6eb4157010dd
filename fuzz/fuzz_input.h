#pragma once
// Fuzz inputs as files. The readers take paths, so an input is written to an anonymous memory
// file (memfd) and handed over as /proc/self/fd/N: the real public entry point runs, with its
// open, fstat and size checks, and nothing touches the disk or is left behind after a crash.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace tg_fuzz {

class MemFile {
 public:
  MemFile(const std::uint8_t* data, std::size_t size) : fd_(::memfd_create("tg_fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) die("memfd_create");
    for (std::size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) die("write");
      done += static_cast<std::size_t>(n);
    }
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  ~MemFile() { ::close(fd_); }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  // NOTE: a harness failure, not a finding: abort loudly rather than skip the input.
  [[noreturn]] static void die(const char* what) {
    std::perror(what);
    std::abort();
  }
  int fd_;
};

}  // namespace tg_fuzz
