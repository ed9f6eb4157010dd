// IDX: magic [0, 0, type, rank], rank big-endian uint32 dims, then the data, big-endian.
#include "tensorgraph/idx.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "idx_data.h"

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

namespace detail {

IdxData read_idx_data(const std::string& path) {
  GzFile file{gzopen(path.c_str(), "rb")};
  if (!file.f) fail(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  const std::size_t on_disk = ::stat(path.c_str(), &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0;
  // NOTE: zlib's default 8 KiB input buffer makes reading Fashion-MNIST 1.5x slower; a small file
  // keeps a small one (zlib allocates 3x the size for every file opened).
  gzbuffer(file.f, static_cast<unsigned>(std::clamp<std::size_t>(on_disk, 8192, 1u << 18)));
  unsigned char magic[4];
  if (read_some(file.f, magic, 4, path) != 4) fail(path, "truncated header (fewer than 4 bytes)");
  if (magic[0] != 0 || magic[1] != 0) fail(path, "not an IDX file (the magic number must start with two zero bytes)");
  IdxData d;
  d.type = magic[2];
  const int rank = magic[3];
  std::size_t elem = 0;
  DType dtype = DType::i32;
  switch (d.type) {
    case 0x08: case 0x09: elem = 1; break;
    case 0x0B: elem = 2; break;
    case 0x0C: elem = 4; break;
    case 0x0D: elem = 4; dtype = DType::f32; break;
    case 0x0E: elem = 8; dtype = DType::f64; break;
    default: fail(path, "unknown IDX data type 0x" + std::to_string(d.type));
  }
  if (rank == 0 || rank > kMaxRank) fail(path, "rank " + std::to_string(rank) + " is not between 1 and 8");
  unsigned char dims[4 * kMaxRank];
  if (read_some(file.f, dims, 4 * static_cast<std::size_t>(rank), path) != 4 * static_cast<std::size_t>(rank))
    fail(path, "truncated header (dimensions)");
  // NOTE: the limit holds for the tensor too, which is 4x the data for bytes (they widen to int32).
  const std::size_t widest = std::max(elem, dtype_size(dtype));
  for (int i = 0; i < rank; ++i) {
    const std::uint32_t n = big_endian32(dims + 4 * i);
    d.shape.push_back(n);
    if (n != 0 && d.count > kMaxBytes / widest / n)
      fail(path, "dimensions " + d.shape.str() + "... describe a tensor of more than 4 GiB");
    d.count *= n;
  }
  // NOTE: deflate expands at most 1032:1, so a gzip file of C bytes holds at most about 1032·C,
  // and a plain one C: the buffer is allocated once, at the size the header claims unless the
  // file cannot hold it (a 20-byte file claiming 4 GiB costs 20 bytes, or 20 KiB gzipped), and
  // never zero-filled or copied.
  const std::size_t need = d.count * elem;
  const std::size_t room = std::min(need, gzdirect(file.f) ? on_disk : 1032 * on_disk + 4096);
  d.bytes.reset(new unsigned char[room + 1]);
  const std::size_t got = read_some(file.f, d.bytes.get(), room + 1, path);  // + 1: trailing bytes show
  if (got < need)
    fail(path, "truncated: the header " + d.shape.str() + " needs " + std::to_string(need) + " bytes of data, the file has " +
                   std::to_string(got));
  unsigned char extra;
  if (got > need || read_some(file.f, &extra, 1, path) != 0)
    fail(path, "trailing bytes after the " + d.shape.str() + " data");
  return d;
}

}  // namespace detail

Tensor read_idx(const std::string& path) {
  const detail::IdxData d = detail::read_idx_data(path);
  const int type = d.type;
  const std::size_t count = d.count;
  const DType dtype = type == 0x0D ? DType::f32 : type == 0x0E ? DType::f64 : DType::i32;
  const Shape& shape = d.shape;
  Tensor t = Tensor::uninitialized(dtype, shape);
  const unsigned char* p = d.bytes.get();
  // One loop per type (big-endian to native), each simple enough to vectorise.
  switch (type) {
    case 0x08: {
      std::int32_t* out = t.data<std::int32_t>();
      for (std::size_t i = 0; i < count; ++i) out[i] = p[i];
      break;
    }
    case 0x09: {
      std::int32_t* out = t.data<std::int32_t>();
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<signed char>(p[i]);
      break;
    }
    case 0x0B: {
      std::int32_t* out = t.data<std::int32_t>();
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::int16_t>((p[2 * i] << 8) | p[2 * i + 1]);
      break;
    }
    case 0x0C: {
      std::int32_t* out = t.data<std::int32_t>();
      for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<std::int32_t>(big_endian32(p + 4 * i));
      break;
    }
    case 0x0D: {
      float* out = t.data<float>();
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t bits = big_endian32(p + 4 * i);
        std::memcpy(out + i, &bits, 4);
      }
      break;
    }
    default: {
      double* out = t.data<double>();
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t bits = (std::uint64_t{big_endian32(p + 8 * i)} << 32) | big_endian32(p + 8 * i + 4);
        std::memcpy(out + i, &bits, 8);
      }
    }
  }
  return t;
}

}  // namespace tg
