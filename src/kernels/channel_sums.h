#pragma once
// Per-channel sums of a tensor seen as [outer, C, inner] (bias_add_grad, batch norm's statistics),
// threaded and vectorised, the same bits on any thread count.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "parallel.h"

namespace tg::kernels {

/// sum[c] = Σ f(c, x) over every element of channel c, accumulated in Acc. Channels last (inner 1):
/// the rows are cut into at most 16 blocks whatever the thread count, each summed into a row of
/// partial sums that are added in order; channels first: one channel per task.
template <class Acc, class T, class F>
std::vector<Acc> channel_sums(const T* x, std::int64_t outer, std::int64_t C, std::int64_t inner, F&& f) {
  std::vector<Acc> sum(static_cast<std::size_t>(C), Acc(0));
  if (inner == 1) {
    constexpr std::int64_t kBlocks = 16;
    const std::int64_t blocks = std::min(kBlocks, outer), per = blocks ? (outer + blocks - 1) / blocks : 0;
    std::vector<Acc> part(static_cast<std::size_t>(blocks * C), Acc(0));
    parallel_for(blocks, 1, [&](std::int64_t lo, std::int64_t hi) {
      for (std::int64_t b = lo; b < hi; ++b) {
        Acc* acc = part.data() + b * C;
        for (std::int64_t r = b * per; r < std::min(outer, (b + 1) * per); ++r)
          for (std::int64_t c = 0; c < C; ++c) acc[c] += f(c, static_cast<Acc>(x[r * C + c]));
      }
    }, outer * C);
    for (std::int64_t b = 0; b < blocks; ++b)
      for (std::int64_t c = 0; c < C; ++c) sum[static_cast<std::size_t>(c)] += part[static_cast<std::size_t>(b * C + c)];
    return sum;
  }
  parallel_for(C, 1, [&](std::int64_t lo, std::int64_t hi) {
    for (std::int64_t c = lo; c < hi; ++c) {
      Acc acc = 0;
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0, at = (o * C + c) * inner; i < inner; ++i) acc += f(c, static_cast<Acc>(x[at + i]));
      sum[static_cast<std::size_t>(c)] = acc;
    }
  }, outer * C * inner);
  return sum;
}

}  // namespace tg::kernels
