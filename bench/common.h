#pragma once
// What the C++ sides of bench/ share: timing, raw files written by run.py, Fashion-MNIST as bytes,
// peak memory.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tensorgraph/tensor.h"

namespace bench {

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
/// A tensor of `shape` read from a raw little-endian file (written by run.py with numpy's tofile).
tg::Tensor read_raw(const std::string& path, tg::DType dtype, const tg::Shape& shape);
/// The unsigned bytes of a gzip'd IDX file, header skipped. NOTE: the images stay bytes, as a data
/// loader keeps them, and each batch is scaled to float32 as it is gathered; every side of the
/// benchmark (run.py's too) does the same, so the dataset costs 55 MB, not 220.
std::vector<std::uint8_t> read_idx_bytes(const std::string& path);
/// This process's peak resident memory in MiB. NOTE: VmHWM, not getrusage's ru_maxrss, which Linux
/// carries across exec from the parent (run.py).
double peak_rss_mib();

}  // namespace bench
