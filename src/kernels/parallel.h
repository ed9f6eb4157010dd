#pragma once
// Element-wise loops split over the library's thread budget (tensorgraph/threads.h) with OpenMP,
// the runtime oneDNN's kernels already use: its worker threads are started once and reused, so a
// region costs about a microsecond. Below kParallelMinElements a loop stays on the calling thread.
// NOTE: measured on the CNN's training step (2 cores): its element-wise ops (bias_add, the relu
// gradient, their sums) ran on one thread while the other spun idle in OpenMP's barrier, 40% of
// the step's wall time.
#include <algorithm>
#include <cstdint>

#include "gemm.h"
#include "signals_held.h"

namespace tg::kernels {

inline constexpr std::int64_t kParallelMinElements = std::int64_t{1} << 16;

/// The threads a memory-bound loop over n elements runs on: the budget from kParallelMinElements up, else 1.
inline int threads_for_elements(std::int64_t n) {
  return n >= kParallelMinElements ? std::max(1, detail_threads().load()) : 1;
}

/// f(begin, end) over [0, n), in one contiguous chunk per thread whose bounds are multiples of
/// `align` (a row length, so a chunk holds whole rows). `elements`, the elements the whole loop
/// touches (n if negative), decides whether it is worth threads. f must not throw.
template <class F> void parallel_for(std::int64_t n, [[maybe_unused]] std::int64_t align, F&& f,
                  [[maybe_unused]] std::int64_t elements = -1) {
#ifdef _OPENMP
  const int threads = static_cast<int>(std::min<std::int64_t>(n, threads_for_elements(elements < 0 ? n : elements)));
  if (threads > 1) {
    // NOTE: the OpenMP workers are the ones oneDNN's JIT code runs on: they must inherit held
    // signals (see signals_held.h), whichever of us or oneDNN starts them first.
    const SignalsHeld held;
    align = std::max<std::int64_t>(align, 1);
    const std::int64_t rows = (n + align - 1) / align, per = (rows + threads - 1) / threads;
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int t = 0; t < threads; ++t) {
      const std::int64_t begin = std::min(n, t * per * align), end = std::min(n, (t + 1) * per * align);
      if (begin < end) f(begin, end);
    }
    return;
  }
#endif
  if (n > 0) f(std::int64_t{0}, n);
}

}  // namespace tg::kernels
