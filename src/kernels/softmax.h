#pragma once
// Row-wise (last axis) softmax and log-softmax, shifted by the row max so that logits of any
// magnitude neither overflow nor lose precision.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "small_width.h"
#include "vexp.h"

namespace tg::kernels {

/// y[r, :] = softmax(x[r, :]) (log_softmax when `log`); y must not alias x.
/// NOTE: one exp_array call over all rows: rows are often short (2 classes in the tutorial), and
/// rows of up to 4 get a loop unrolled at compile time (with_width).
template <class T> void softmax_rows(const T* x, T* y, std::int64_t rows, std::int64_t n, bool log) {
  with_width(n, [&](auto cols) {
    if constexpr (std::is_same_v<decltype(cols), Width<2>>) {
      // Two classes: one exp per row, of the smaller shifted logit (the larger's is e^0 = 1).
      // Each row's d goes to y[r] first; the rows are then written from the last, so y[2r] and
      // y[2r + 1] never overwrite a d still to be read. Same operations, same results, as below.
      for (std::int64_t r = 0; r < rows; ++r) {
        const T mx = std::max(x[2 * r], x[2 * r + 1]);
        y[r] = (x[2 * r] - mx) + (x[2 * r + 1] - mx);  // one term is 0 (NaN stays NaN)
      }
      exp_array(y, y, rows);
      for (std::int64_t r = rows - 1; r >= 0; --r) {
        const T e = y[r], mx = std::max(x[2 * r], x[2 * r + 1]);
        const T a = x[2 * r] - mx, b = x[2 * r + 1] - mx, sum = T(1) + e;
        if (log) {
          const T ls = std::log(sum);
          y[2 * r] = a - ls;
          y[2 * r + 1] = b - ls;
        } else {
          const T inv = T(1) / sum;
          y[2 * r] = (a == T(0) ? T(1) : e) * inv;
          y[2 * r + 1] = (b == T(0) ? T(1) : e) * inv;
        }
      }
      return;
    }
    auto row_max = [&](const T* xr) {
      T mx = xr[0];
      for (std::int64_t j = 1; j < cols; ++j) mx = std::max(mx, xr[j]);
      return mx;
    };
    for (std::int64_t r = 0; r < rows; ++r) {
      const T mx = row_max(x + r * cols);
      for (std::int64_t j = 0; j < cols; ++j) y[r * cols + j] = x[r * cols + j] - mx;
    }
    exp_array(y, y, rows * cols);
    for (std::int64_t r = 0; r < rows; ++r) {
      T* yr = y + r * cols;
      T sum = 0;
      for (std::int64_t j = 0; j < cols; ++j) sum += yr[j];
      if (log) {
        // NOTE: (x - max) - log(sum), not x - (max + log(sum)): at logits of 1e5 the latter rounds
        // max + log(sum) to the logits' magnitude (0.0014 off in float32).
        const T* xr = x + r * cols;
        const T mx = row_max(xr), ls = std::log(sum);
        for (std::int64_t j = 0; j < cols; ++j) yr[j] = (xr[j] - mx) - ls;
      } else {
        const T inv = T(1) / sum;
        for (std::int64_t j = 0; j < cols; ++j) yr[j] *= inv;
      }
    }
  });
}

}  // namespace tg::kernels
