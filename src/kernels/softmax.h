#pragma once
// Row-wise (last axis) softmax and log-softmax, shifted by the row max so that logits of any
// magnitude neither overflow nor lose precision.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tg::kernels {

/// y[r, :] = softmax(x[r, :]) (log_softmax when `log`); y may alias x.
template <class T> void softmax_rows(const T* x, T* y, std::int64_t rows, std::int64_t cols, bool log) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const T* xr = x + r * cols;
    T* yr = y + r * cols;
    T mx = xr[0];
    for (std::int64_t j = 1; j < cols; ++j) mx = std::max(mx, xr[j]);
    T sum = 0;
    for (std::int64_t j = 0; j < cols; ++j) sum += std::exp(xr[j] - mx);
    if (log) {
      const T lse = mx + std::log(sum);
      for (std::int64_t j = 0; j < cols; ++j) yr[j] = xr[j] - lse;
    } else {
      const T inv = T(1) / sum;
      for (std::int64_t j = 0; j < cols; ++j) yr[j] = std::exp(xr[j] - mx) * inv;
    }
  }
}

}  // namespace tg::kernels
