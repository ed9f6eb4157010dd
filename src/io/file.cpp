// The one atomic file writer (see tensorgraph/file.h).
#include "tensorgraph/file.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "tensorgraph/error.h"

namespace tg {

std::string errno_text(int err) { return std::generic_category().message(err); }

namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool write_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t put = ::write(fd, p, std::min<std::size_t>(n, 1 << 30));
    if (put < 0 && errno == EINTR) continue;
    if (put == 0) errno = EIO;  // NOTE: write() returning 0 sets no errno
    if (put <= 0) return false;
    p += put;
    n -= static_cast<std::size_t>(put);
  }
  return true;
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

void write_file_atomically(const std::string& path, const std::function<void(const ByteSink&)>& fill,
                           std::string_view who) {
  // NOTE: pid, thread id and a counter: two processes, two threads or two calls of one thread
  // writing the same path never share a temp file.
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(::syscall(SYS_gettid)) + "." + std::to_string(counter++);
  const std::string what = std::string(who) + ": cannot write '" + path + "': ";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw IoError(what + "creating temp file '" + tmp + "' failed: " + errno_text(errno));
  const char* step = nullptr;  // the first step that failed, and its errno
  int err = 0;
  auto check = [&](bool ok, const char* failed) {
    if (!ok && !step) step = failed, err = errno;
  };
  try {
    fill([&](const void* data, std::size_t n) { check(step || write_all(fd, data, n), "write"); });
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  // NOTE: fsync before rename, or after a crash some filesystems show `path` empty.
  check(step || ::fsync(fd) == 0, "fsync");
  check(::close(fd) == 0, "close");
  check(step || std::rename(tmp.c_str(), path.c_str()) == 0, "rename");
  if (step) {
    ::unlink(tmp.c_str());
    throw IoError(what + step + " failed: " + errno_text(err));
  }
  // Makes the rename itself durable. NOTE: best effort: the file is complete either way.
  const Fd d{::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) (void)::fsync(d.fd);
}

void write_file_atomically(const std::string& path, std::string_view bytes, std::string_view who) {
  write_file_atomically(path, [&](const ByteSink& put) { put(bytes.data(), bytes.size()); }, who);
}

}  // namespace tg
