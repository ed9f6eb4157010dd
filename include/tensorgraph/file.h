#pragma once
// Files the library and its tools write: every one goes through write_file_atomically, so a crash,
// a kill or two writers at once leave either the old file or the new one, whole.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace tg {

/// Appends bytes to the file being written.
using ByteSink = std::function<void(const void* data, std::size_t size)>;

/// Writes `path` atomically: a temp file beside it, unique per process and thread, filled by
/// `fill`, then fsync, rename over `path` and fsync of the folder. Throws IoError naming `who`,
/// the path and the step that failed; an exception from `fill` removes the temp file and passes.
void write_file_atomically(const std::string& path, const std::function<void(const ByteSink&)>& fill,
                           std::string_view who);
/// The same for bytes already in memory.
void write_file_atomically(const std::string& path, std::string_view bytes, std::string_view who);

/// strerror(err), thread-safe.
std::string errno_text(int err);

}  // namespace tg
