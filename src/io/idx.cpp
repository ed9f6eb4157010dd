// IDX: magic [0, 0, type, rank], rank big-endian uint32 dims, then the data, big-endian.
#include "tensorgraph/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace tg {
namespace {

constexpr std::size_t kMaxBytes = std::size_t{1} << 32;  // 4 GiB: far above any IDX set

struct GzFile {
  gzFile f;
  ~GzFile() {
    if (f) gzclose(f);
  }
};

[[noreturn]] void fail(const std::string& path, const std::string& why) {
  throw IoError("read_idx '" + path + "': " + why);
}

// Reads exactly n bytes, or returns how many it could.
std::size_t read_some(gzFile f, unsigned char* out, std::size_t n, const std::string& path) {
  std::size_t got = 0;
  while (got < n) {
    const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1u << 30));
    const int r = gzread(f, out + got, chunk);
    if (r < 0) {
      int err = 0;
      fail(path, std::string("corrupt compressed data (") + gzerror(f, &err) + ")");
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

std::uint32_t big_endian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

Tensor read_idx(const std::string& path) {
  GzFile file{gzopen(path.c_str(), "rb")};
  if (!file.f) fail(path, std::string("cannot open: ") + std::strerror(errno));
  unsigned char magic[4];
  if (read_some(file.f, magic, 4, path) != 4) fail(path, "truncated header (fewer than 4 bytes)");
  if (magic[0] != 0 || magic[1] != 0) fail(path, "not an IDX file (the magic number must start with two zero bytes)");
  const int type = magic[2], rank = magic[3];
  std::size_t elem = 0;
  DType dtype = DType::i32;
  switch (type) {
    case 0x08: case 0x09: elem = 1; break;
    case 0x0B: elem = 2; break;
    case 0x0C: elem = 4; break;
    case 0x0D: elem = 4; dtype = DType::f32; break;
    case 0x0E: elem = 8; dtype = DType::f64; break;
    default: fail(path, "unknown IDX data type 0x" + std::to_string(type));
  }
  if (rank == 0 || rank > kMaxRank) fail(path, "rank " + std::to_string(rank) + " is not between 1 and 8");
  unsigned char dims[4 * kMaxRank];
  if (read_some(file.f, dims, 4 * static_cast<std::size_t>(rank), path) != 4 * static_cast<std::size_t>(rank))
    fail(path, "truncated header (dimensions)");
  Shape shape;
  std::size_t count = 1;
  // NOTE: the limit holds for the tensor too, which is 4x the data for bytes (they widen to int32).
  const std::size_t widest = std::max(elem, dtype_size(dtype));
  for (int i = 0; i < rank; ++i) {
    const std::uint32_t d = big_endian32(dims + 4 * i);
    shape.push_back(d);
    if (d != 0 && count > kMaxBytes / widest / d)
      fail(path, "dimensions " + shape.str() + "... describe a tensor of more than 4 GiB");
    count *= d;
  }
  // NOTE: the buffer grows with the bytes actually read (doubling, from 64 KiB), so a 20-byte
  // file whose header claims 4 GiB costs 64 KiB, not 4 GiB.
  const std::size_t need = count * elem;
  std::vector<unsigned char> raw;
  std::size_t got = 0;
  while (got < need) {
    raw.resize(std::min(need, std::max<std::size_t>(2 * raw.size(), std::size_t{1} << 16)));
    got += read_some(file.f, raw.data() + got, raw.size() - got, path);
    if (got < raw.size()) break;  // the end of the file
  }
  if (got != need)
    fail(path, "truncated: the header " + shape.str() + " needs " + std::to_string(need) + " bytes of data, the file has " +
                   std::to_string(got));
  unsigned char extra;
  if (read_some(file.f, &extra, 1, path) != 0) fail(path, "trailing bytes after the " + shape.str() + " data");
  Tensor t = Tensor::uninitialized(dtype, shape);
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* p = raw.data() + i * elem;
    switch (type) {
      case 0x08: t.data<std::int32_t>()[i] = p[0]; break;
      case 0x09: t.data<std::int32_t>()[i] = static_cast<signed char>(p[0]); break;
      case 0x0B: t.data<std::int32_t>()[i] = static_cast<std::int16_t>((p[0] << 8) | p[1]); break;
      case 0x0C: t.data<std::int32_t>()[i] = static_cast<std::int32_t>(big_endian32(p)); break;
      case 0x0D: {
        const std::uint32_t bits = big_endian32(p);
        std::memcpy(t.data<float>() + i, &bits, 4);
        break;
      }
      default: {
        const std::uint64_t bits = (std::uint64_t{big_endian32(p)} << 32) | big_endian32(p + 4);
        std::memcpy(t.data<double>() + i, &bits, 8);
      }
    }
  }
  return t;
}

}  // namespace tg
