#pragma once
// Reductions over any set of axes: out[j] = combine(out[j], x[i]) for every x element i that maps
// to output j. Fast paths for "all axes", "last axis only" and "leading axes only" (row by row,
// vectorised over the row); a strided walk otherwise.
#include <cstdint>

#include "small_width.h"
#include "strided.h"
#include "tensorgraph/tensor.h"

namespace tg::kernels {

/// Marks the reduced axes of a rank-`rank` input (`axes` may be negative; empty + all = every axis).
inline void reduced_mask(const std::vector<std::int64_t>& axes, bool all, int rank, bool* mask) {
  for (int i = 0; i < rank; ++i) mask[i] = all;
  for (auto a : axes) mask[a < 0 ? a + rank : a] = true;
}

/// combine(...combine(init, x[0])..., x[n-1]) in 8 interleaved partial results, combined at the end:
/// the chain of dependent adds of a sum (4 cycles each) becomes 8 independent ones. `init` must be
/// combine's identity (0 for a sum, 1 for a product, -inf for a max).
/// NOTE: a sum's bits change with the order (not with the thread count: there is one); its error
/// shrinks, as each partial sum is 8 times shorter.
template <class T, class F> T fold(const T* x, std::int64_t n, T init, F combine) {
  constexpr std::int64_t kLanes = 8;
  if (n < 4 * kLanes) {
    T acc = init;
    for (std::int64_t i = 0; i < n; ++i) acc = combine(acc, x[i]);
    return acc;
  }
  T acc[kLanes];
  for (auto& a : acc) a = init;
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (std::int64_t j = 0; j < kLanes; ++j) acc[j] = combine(acc[j], x[i + j]);
  for (; i < n; ++i) acc[0] = combine(acc[0], x[i]);
  for (std::int64_t w = kLanes / 2; w > 0; w /= 2)
    for (std::int64_t j = 0; j < w; ++j) acc[j] = combine(acc[j], acc[j + w]);
  return acc[0];
}

/// out (already shaped, keepdims or not) = reduction of x over the masked axes, starting from init.
template <class T, class F>
void reduce(const Tensor& x, Tensor& out, const bool* mask, T init, F combine) {
  const T* xp = x.data<T>();
  T* op = out.data<T>();
  const std::int64_t n = x.size(), m = out.size();
  for (std::int64_t j = 0; j < m; ++j) op[j] = init;
  if (n == 0) return;
  const Shape& s = x.shape();
  const int r = s.rank();
  if (m == 1) {
    op[0] = fold(xp, n, init, combine);
    return;
  }
  bool last_only = mask[r - 1];
  for (int i = 0; i + 1 < r; ++i) last_only = last_only && !mask[i];
  if (last_only && s[r - 1] >= 32) {  // long rows: each row folded
    const std::int64_t cols = s[r - 1];
    for (std::int64_t row = 0; row < m; ++row) op[row] = fold(xp + row * cols, cols, init, combine);
    return;
  }
  if (last_only) {
    with_width(s[r - 1], [&](auto cols) {
      for (std::int64_t row = 0; row < m; ++row) {
        T acc = init;
        for (std::int64_t k = 0; k < cols; ++k) acc = combine(acc, xp[row * cols + k]);
        op[row] = acc;
      }
    });
    return;
  }
  int lead = 0;  // reduced axes all lead (a bias gradient: [batch, n] -> [n]): add whole rows
  while (lead < r && mask[lead]) ++lead;
  bool leading_only = lead > 0;
  for (int i = lead; i < r; ++i) leading_only = leading_only && !mask[i];
  if (leading_only) {
    if (m <= 4) {  // a narrow row: accumulate in registers
      with_width(m, [&](auto w) {
        T acc[4] = {init, init, init, init};
        for (std::int64_t row = 0; row < n / w; ++row)
          for (std::int64_t j = 0; j < w; ++j) acc[j] = combine(acc[j], xp[row * w + j]);
        for (std::int64_t j = 0; j < w; ++j) op[j] = acc[j];
      });
      return;
    }
    for (std::int64_t row = 0; row < n / m; ++row) {
      const T* xr = xp + row * m;
      for (std::int64_t j = 0; j < m; ++j) op[j] = combine(op[j], xr[j]);
    }
    return;
  }
  // Strided walk: output strides over x's axes, 0 on reduced ones.
  std::int64_t ostride[kMaxRank], o[1] = {0};
  std::int64_t stride = 1;
  for (int i = r - 1; i >= 0; --i) {
    ostride[i] = mask[i] ? 0 : stride;
    if (!mask[i]) stride *= s[i];
  }
  const std::int64_t* const strides[1] = {ostride};
  StridedWalk walk(s, r - 1);
  for (std::int64_t i = 0; i < n; ++i) {
    op[o[0]] = combine(op[o[0]], xp[i]);
    walk.next(o, strides);
  }
}

}  // namespace tg::kernels
