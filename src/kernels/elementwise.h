#pragma once
// Loops shared by every element-wise op: the op supplies a scalar lambda, these helpers do the
// iteration, numpy broadcasting and (through simple contiguous loops) let the compiler vectorise.
#include <cstdint>

#include "parallel.h"
#include "small_width.h"
#include "strided.h"
#include "tensorgraph/tensor.h"

namespace tg::kernels {

/// out[i] = f(a[i]); out may alias a.
template <class T, class R = T, class F> void map_unary(const Tensor& a, Tensor& out, F f) {
  const T* x = a.data<T>();
  R* y = out.data<R>();
  parallel_for(a.size(), 1, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = f(x[i]);
  });
}

/// Strides of `s` aligned to an output of rank `rank`, 0 where `s` is broadcast.
inline void broadcast_strides(const Shape& s, const Shape& out, std::int64_t* strides) {
  const int r = out.rank(), off = r - s.rank();
  std::int64_t stride = 1;
  for (int i = r - 1; i >= 0; --i) {
    const int j = i - off;
    if (j < 0 || s[j] == 1) {
      strides[i] = 0;
    } else {
      strides[i] = stride;
    }
    if (j >= 0) stride *= s[j];
  }
}

/// True if `s` (leading 1s aside) equals the trailing dims of `out`: it repeats along the others.
inline bool is_trailing(const Shape& s, const Shape& out) {
  int lead = 0;
  while (lead < s.rank() && s[lead] == 1) ++lead;
  const int k = s.rank() - lead, off = out.rank() - k;
  if (off < 0) return false;
  for (int i = 0; i < k; ++i)
    if (s[lead + i] != out[off + i]) return false;
  return true;
}

/// If `s` equals `out` on its leading axes and is 1 on the rest ([N, 1] against [N, C]), the
/// number of consecutive outputs each of its elements covers; else 0.
inline std::int64_t column_repeat(const Shape& s, const Shape& out) {
  if (s.rank() != out.rank()) return 0;
  int k = 0;
  while (k < s.rank() && s[k] == out[k]) ++k;
  std::int64_t inner = 1;
  for (int i = k; i < s.rank(); ++i) {
    if (s[i] != 1) return 0;
    inner *= out[i];
  }
  return inner;
}

/// out = f(a, b) with numpy broadcasting; out has the broadcast shape already.
template <class T, class R = T, class F>
void map_binary(const Tensor& a, const Tensor& b, Tensor& out, F f) {
  const T* x = a.data<T>();
  const T* y = b.data<T>();
  R* z = out.data<R>();
  const std::int64_t n = out.size();
  // NOTE: each loop runs over a chunk [lo, hi) of the output, on one of parallel_for's threads.
  if (a.shape() == out.shape() && b.shape() == out.shape()) {
    parallel_for(n, 1, [&](std::int64_t lo, std::int64_t hi) {
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(x[i], y[i]);
    });
    return;
  }
  if (a.shape() == out.shape() && b.size() == 1) {
    const T v = y[0];
    parallel_for(n, 1, [&](std::int64_t lo, std::int64_t hi) {
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(x[i], v);
    });
    return;
  }
  if (b.shape() == out.shape() && a.size() == 1) {
    const T v = x[0];
    parallel_for(n, 1, [&](std::int64_t lo, std::int64_t hi) {
      for (std::int64_t i = lo; i < hi; ++i) z[i] = f(v, y[i]);
    });
    return;
  }
  if (n == 0) return;
  // A bias-like operand: one row repeated along the leading axes ([N, C] with [C]).
  if (a.shape() == out.shape() && b.size() > 0 && n % b.size() == 0 && is_trailing(b.shape(), out.shape())) {
    with_width(b.size(), [&](auto inner) {
      parallel_for(n, inner, [&](std::int64_t lo, std::int64_t hi) {
        for (std::int64_t base = lo; base < hi; base += inner)
          for (std::int64_t k = 0; k < inner; ++k) z[base + k] = f(x[base + k], y[k]);
      });
    });
    return;
  }
  if (b.shape() == out.shape() && a.size() > 0 && n % a.size() == 0 && is_trailing(a.shape(), out.shape())) {
    with_width(a.size(), [&](auto inner) {
      parallel_for(n, inner, [&](std::int64_t lo, std::int64_t hi) {
        for (std::int64_t base = lo; base < hi; base += inner)
          for (std::int64_t k = 0; k < inner; ++k) z[base + k] = f(x[k], y[base + k]);
      });
    });
    return;
  }
  // A column-like operand: each element repeated along the trailing axes ([N, C] with [N, 1]).
  if (a.shape() == out.shape()) {
    if (const std::int64_t repeat = column_repeat(b.shape(), out.shape())) {
      with_width(repeat, [&](auto inner) {
        for (std::int64_t base = 0, r = 0; base < n; base += inner, ++r)
          for (std::int64_t k = 0; k < inner; ++k) z[base + k] = f(x[base + k], y[r]);
      });
      return;
    }
  }
  if (b.shape() == out.shape()) {
    if (const std::int64_t repeat = column_repeat(a.shape(), out.shape())) {
      with_width(repeat, [&](auto inner) {
        for (std::int64_t base = 0, r = 0; base < n; base += inner, ++r)
          for (std::int64_t k = 0; k < inner; ++k) z[base + k] = f(x[r], y[base + k]);
      });
      return;
    }
  }
  // General case: walk the output row by row (last axis innermost), keeping input offsets.
  const Shape& s = out.shape();
  const int r = s.rank();
  std::int64_t sa[kMaxRank], sb[kMaxRank];
  broadcast_strides(a.shape(), s, sa);
  broadcast_strides(b.shape(), s, sb);
  const std::int64_t inner = s[r - 1], ia = sa[r - 1], ib = sb[r - 1];
  std::int64_t off[2] = {0, 0};
  const std::int64_t* const strides[2] = {sa, sb};
  StridedWalk outer(s, r - 2);
  for (std::int64_t base = 0; base < n; base += inner) {
    for (std::int64_t k = 0; k < inner; ++k) z[base + k] = f(x[off[0] + k * ia], y[off[1] + k * ib]);
    outer.next(off, strides);
  }
}

}  // namespace tg::kernels

namespace tg::kernels {

/// out = y broadcast (numpy rules) to out's shape; `yshape` describes y's elements (it may insert
/// unit dims into y's own shape).
template <class T> void broadcast_copy(const Tensor& y, const Shape& yshape, Tensor& out) {
  const T* src = y.data<T>();
  T* dst = out.data<T>();
  const Shape& s = out.shape();
  const std::int64_t n = out.size();
  if (n == 0) return;
  if (y.size() == 1) {
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[0];
    return;
  }
  if (y.size() > 0 && n % y.size() == 0 && is_trailing(yshape, s)) {  // rows repeated: [C] to [N, C]
    with_width(y.size(), [&](auto inner) {
      for (std::int64_t base = 0; base < n; base += inner)
        for (std::int64_t k = 0; k < inner; ++k) dst[base + k] = src[k];
    });
    return;
  }
  if (const std::int64_t repeat = column_repeat(yshape, s)) {  // each element repeated: [N, 1] to [N, C]
    with_width(repeat, [&](auto inner) {
      for (std::int64_t base = 0, r = 0; base < n; base += inner, ++r)
        for (std::int64_t k = 0; k < inner; ++k) dst[base + k] = src[r];
    });
    return;
  }
  std::int64_t st[kMaxRank], off[1] = {0};
  broadcast_strides(yshape, s, st);
  const std::int64_t* const strides[1] = {st};
  StridedWalk walk(s, s.rank() - 1);
  for (std::int64_t i = 0; i < n; ++i) {
    dst[i] = src[off[0]];
    walk.next(off, strides);
  }
}

}  // namespace tg::kernels
