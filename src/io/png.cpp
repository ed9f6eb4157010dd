// PNG: an 8-byte signature, then chunks [length:4][type:4][data][crc32 of type+data:4], big-endian.
// We write IHDR, one IDAT (a zlib stream of filtered rows) and IEND; the reader accepts the same
// format (8-bit RGB, non-interlaced, any filter per row) and skips ancillary chunks.
#include "tensorgraph/png.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <tuple>
#include <utility>

#include "tensorgraph/error.h"
#include "tensorgraph/file.h"

namespace tg {
namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
constexpr std::size_t kBpp = 3;  // bytes per pixel: 8-bit RGB
// NOTE: a guard against reading /dev/zero or a huge foreign file; our largest image is ~200 MB.
constexpr std::size_t kMaxFileBytes = std::size_t{1} << 30;


bool size_ok(std::int64_t width, std::int64_t height) {
  return width > 0 && height > 0 && width <= kPngMaxSide && height <= kPngMaxSide &&
         width * height <= kPngMaxPixels;
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw IoError("read_png: '" + path + "': " + why);
}

std::uint32_t get_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

// The size limits keep n (and so the uInt casts) far below 2^31.
void put_chunk(std::vector<std::uint8_t>& out, const char* type, const std::uint8_t* data,
               std::size_t n) {
  put_u32(out, static_cast<std::uint32_t>(n));
  const std::size_t start = out.size();
  out.insert(out.end(), type, type + 4);
  if (n) out.insert(out.end(), data, data + n);
  put_u32(out, static_cast<std::uint32_t>(crc32(0L, out.data() + start, static_cast<uInt>(n + 4))));
}

// Paeth predictor (PNG spec 9.4): whichever of left a, up b, up-left c is closest to a + b - c.
int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

// What filter `type` predicts for a byte from its left (a), up (b) and up-left (c) neighbours:
// filtered = raw - prediction (mod 256), so one helper serves the writer and the reader.
int predict(int type, int a, int b, int c) {
  const int by_type[5] = {0, a, b, (a + b) / 2, paeth(a, b, c)};  // type is checked to be 0..4
  return by_type[type];
}

// Each row gets the filter with the least sum of |signed residual| (libpng's heuristic): small
// residuals deflate better, which shrinks plots with gradients and flat areas.
std::vector<std::uint8_t> filter_rows(int width, int height, const std::uint8_t* rgb) {
  const std::size_t stride = static_cast<std::size_t>(width) * kBpp;
  std::vector<std::uint8_t> out, zeros(stride, 0), trial(stride), best(stride);
  out.reserve((stride + 1) * static_cast<std::size_t>(height));
  for (std::size_t y = 0; y < static_cast<std::size_t>(height); ++y) {
    const std::uint8_t* row = rgb + y * stride;
    const std::uint8_t* up = y ? row - stride : zeros.data();
    long best_cost = -1;
    int best_type = 0;
    for (int type = 0; type < 5; ++type) {
      long cost = 0;
      for (std::size_t i = 0; i < stride; ++i) {
        const int a = i >= kBpp ? row[i - kBpp] : 0, c = i >= kBpp ? up[i - kBpp] : 0;
        trial[i] = static_cast<std::uint8_t>(row[i] - predict(type, a, up[i], c));
        cost += std::abs(static_cast<std::int8_t>(trial[i]));
      }
      if (best_cost < 0 || cost < best_cost) {
        best_cost = cost;
        best_type = type;
        best.swap(trial);
      }
    }
    out.push_back(static_cast<std::uint8_t>(best_type));
    out.insert(out.end(), best.begin(), best.end());
  }
  return out;
}


std::vector<std::uint8_t> read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw IoError("read_png: cannot open '" + path + "': " + errno_text(errno));
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> buf(1 << 16);
  std::size_t n = 0;
  while (bytes.size() <= kMaxFileBytes && (n = std::fread(buf.data(), 1, buf.size(), f)) > 0)
    bytes.insert(bytes.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  const bool failed = std::ferror(f);
  const int err = errno;
  std::fclose(f);
  if (failed) throw IoError("read_png: cannot read '" + path + "': " + errno_text(err));
  if (bytes.size() > kMaxFileBytes) throw IoError("read_png: '" + path + "' is larger than 1 GiB");
  return bytes;
}

// Inflates exactly `expected` bytes; output grows as data arrives, so a lying header costs nothing.
std::vector<std::uint8_t> inflate_exact(const std::vector<std::uint8_t>& in, std::size_t expected,
                                        const std::string& path) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) bad(path, "zlib inflateInit failed");
  zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(in.size());  // <= kMaxFileBytes < 2^32
  std::vector<std::uint8_t> out;
  int ret = Z_OK;
  // One spare byte of room detects a stream longer than the image.
  while (ret == Z_OK && !(zs.total_out == out.size() && out.size() == expected + 1)) {
    if (zs.total_out == out.size()) out.resize(std::min(expected + 1, out.size() * 2 + (1 << 16)));
    zs.next_out = out.data() + zs.total_out;
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    ret = inflate(&zs, Z_NO_FLUSH);
  }
  const std::size_t got = zs.total_out;
  const std::string msg = zs.msg ? zs.msg : "stream ends early";
  inflateEnd(&zs);
  if (ret != Z_STREAM_END && ret != Z_OK)
    bad(path, "corrupt or truncated image data (zlib: " + msg + ")");
  if (ret != Z_STREAM_END || got != expected) {
    bad(path, "image data holds " + std::string(got > expected ? "more" : "fewer") +
                  " bytes than the " + std::to_string(expected) + " the header implies");
  }
  out.resize(expected);
  return out;
}

}  // namespace

void write_png(const std::string& path, int width, int height, const std::uint8_t* rgb) {
  if (!size_ok(width, height)) {
    throw Error("write_png('" + path + "'): size " + std::to_string(width) + "x" +
                std::to_string(height) + " is not positive or exceeds kPngMaxSide/kPngMaxPixels");
  }
  if (!rgb) throw Error("write_png('" + path + "'): rgb is null");
  std::vector<std::uint8_t> header;
  put_u32(header, static_cast<std::uint32_t>(width));
  put_u32(header, static_cast<std::uint32_t>(height));
  // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
  header.insert(header.end(), {8, 2, 0, 0, 0});
  const std::vector<std::uint8_t> raw = filter_rows(width, height, rgb);
  std::vector<std::uint8_t> idat(compressBound(static_cast<uLong>(raw.size())));
  uLongf idat_size = static_cast<uLongf>(idat.size());
  if (compress2(idat.data(), &idat_size, raw.data(), static_cast<uLong>(raw.size()),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    throw IoError("write_png: cannot write '" + path + "': zlib compress2 failed");
  }
  std::vector<std::uint8_t> file(std::begin(kSignature), std::end(kSignature));
  put_chunk(file, "IHDR", header.data(), header.size());
  put_chunk(file, "IDAT", idat.data(), idat_size);
  put_chunk(file, "IEND", nullptr, 0);
  write_file_atomically(path, std::string_view(reinterpret_cast<const char*>(file.data()), file.size()), "write_png");
}

PngImage read_png(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0)
    bad(path, "not a PNG file (bad signature)");
  PngImage img;
  std::vector<std::uint8_t> idat;
  bool ended = false;
  for (std::size_t pos = 8; !ended;) {
    if (bytes.size() - pos < 12) bad(path, "truncated at byte " + std::to_string(pos));
    const std::uint32_t len = get_u32(&bytes[pos]);
    if (len > bytes.size() - pos - 12)
      bad(path, "truncated in a chunk at byte " + std::to_string(pos));
    const std::uint8_t* type = &bytes[pos + 4];
    const std::uint8_t* data = type + 4;
    if (!std::all_of(type, data,
                     [](std::uint8_t ch) { return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'; }))
      bad(path, "invalid chunk type at byte " + std::to_string(pos));
    const std::string name(type, data);
    if (crc32(0L, type, len + 4) != get_u32(data + len)) bad(path, "CRC mismatch in chunk " + name);
    if ((pos == 8) != (name == "IHDR")) bad(path, "IHDR must come first, and only once");
    if (name == "IHDR") {
      if (len != 13) bad(path, "IHDR has " + std::to_string(len) + " bytes, expected 13");
      const std::uint32_t w = get_u32(data), h = get_u32(data + 4);
      if (!size_ok(w, h))
        bad(path, "size " + std::to_string(w) + "x" + std::to_string(h) + " is unsupported");
      if (data[8] != 8 || data[9] != 2)
        bad(path, "only 8-bit RGB (bit depth 8, color type 2) is supported");
      if (data[10] != 0 || data[11] != 0) bad(path, "unknown compression or filter method");
      if (data[12] != 0) bad(path, "interlaced images are not supported");
      img.width = static_cast<int>(w);
      img.height = static_cast<int>(h);
    } else if (name == "IDAT") {
      idat.insert(idat.end(), data, data + len);
    } else if (name == "IEND") {
      ended = true;
    } else if (!(type[0] & 0x20) && name != "PLTE") {  // lower-case first letter: safe to skip
      bad(path, "unsupported critical chunk " + name);
    }
    pos += 12 + std::size_t{len};
  }
  if (idat.empty()) bad(path, "no image data (IDAT)");
  const std::size_t stride = static_cast<std::size_t>(img.width) * kBpp;
  const std::size_t rows = static_cast<std::size_t>(img.height);
  const std::vector<std::uint8_t> raw = inflate_exact(idat, (stride + 1) * rows, path);
  img.rgb.resize(stride * rows);
  for (std::size_t y = 0; y < rows; ++y) {
    const std::uint8_t* src = &raw[y * (stride + 1)];
    if (src[0] > 4)
      bad(path, "row " + std::to_string(y) + " has unknown filter type " + std::to_string(src[0]));
    std::uint8_t* row = &img.rgb[y * stride];
    // NOTE: `up` rather than row[i - stride]: that index wraps around as an unsigned number,
    // and a pointer moved by a wrapped offset is undefined behaviour (UBSan pointer-overflow).
    const std::uint8_t* up = y ? row - stride : nullptr;
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= kBpp ? row[i - kBpp] : 0, b = y ? up[i] : 0;
      const int c = y && i >= kBpp ? up[i - kBpp] : 0;
      row[i] = static_cast<std::uint8_t>(src[1 + i] + predict(src[0], a, b, c));
    }
  }
  return img;
}

}  // namespace tg
