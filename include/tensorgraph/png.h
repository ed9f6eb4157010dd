#pragma once
// A dependency-light PNG writer (8-bit RGB, zlib only) and a reader for what it writes, so that
// tests and tools can check pictures without an image library.
#include <cstdint>
#include <string>
#include <vector>

namespace tg {

// NOTE: the reader applies the same limits to untrusted headers, so a tiny hostile file cannot
// make it allocate gigabytes; 2^26 pixels is 8192 x 8192, far beyond any plot we draw.
inline constexpr int kPngMaxSide = 1 << 16;
inline constexpr std::int64_t kPngMaxPixels = std::int64_t{1} << 26;

/// An 8-bit RGB image: rgb holds width * height * 3 bytes, row-major, top row first.
struct PngImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

/// Writes width * height RGB pixels to `path` atomically (temp file + rename); throws IoError.
void write_png(const std::string& path, int width, int height, const std::uint8_t* rgb);
/// Reads an 8-bit RGB, non-interlaced PNG, checking every CRC; throws IoError on bad input.
PngImage read_png(const std::string& path);

}  // namespace tg
