#include "common.h"

#include <zlib.h>

#include <fstream>

#include "tensorgraph/error.h"

namespace bench {

tg::Tensor read_raw(const std::string& path, tg::DType dtype, const tg::Shape& shape) {
  tg::Tensor t(dtype, shape);
  std::ifstream f(path, std::ios::binary);
  if (!f.read(static_cast<char*>(t.raw()), static_cast<std::streamsize>(t.nbytes())))
    throw tg::IoError("cannot read " + std::to_string(t.nbytes()) + " bytes from " + path);
  return t;
}

std::vector<std::uint8_t> read_idx_bytes(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw tg::IoError("cannot open " + path);
  std::uint8_t head[4 + 4 * 8];
  std::size_t size = 1;
  bool ok = gzread(f, head, 4) == 4 && head[2] == 0x08 && head[3] >= 1 && head[3] <= 8 &&
            gzread(f, head + 4, 4u * head[3]) == static_cast<int>(4u * head[3]);
  for (int i = 0; ok && i < head[3]; ++i)
    size *= (std::size_t{head[4 + 4 * i]} << 24) | (std::size_t{head[5 + 4 * i]} << 16) |
            (std::size_t{head[6 + 4 * i]} << 8) | head[7 + 4 * i];
  std::vector<std::uint8_t> bytes(ok ? size : 0);  // read in place: no growing copies
  ok = ok && gzread(f, bytes.data(), static_cast<unsigned>(size)) == static_cast<int>(size);
  gzclose(f);
  if (!ok) throw tg::IoError(path + ": not a complete unsigned-byte IDX file");
  return bytes;
}

double peak_rss_mib() {
  double peak = 0;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) peak = std::stod(line.substr(6)) / 1024;
  return peak;
}

}  // namespace bench
