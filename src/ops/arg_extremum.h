#pragma once
// Shared by argmax and argmin: y = the index of the first largest (smallest) element of x along
// `axis`, int64. A NaN counts as the extreme (the first NaN wins), as numpy and reduce_max/min.
#include "op_helpers.h"

namespace tg::ops {

struct ArgExtremumAttrs {
  std::int64_t axis = 0;  // negative counts from the end
};

template <bool kMax> struct ArgExtremum {
  static constexpr const char* kName = kMax ? "argmax" : "argmin";

  static TypeShape infer(const InferCtx& c) {
    const Shape& s = c.input(0).shape;
    TypeShape out{DType::i64, Shape::unknown_rank()};
    if (c.input(0).dtype == DType::boolean) throw DTypeError(std::string(kName) + " of bool is not supported");
    if (!s.rank_known()) return out;
    if (s.rank() == 0) throw ShapeError(std::string(kName) + " needs at least 1 dimension, got a scalar");
    const int axis = normalize_axis(c.attrs.as<ArgExtremumAttrs>().axis, s.rank(), kName);
    if (s[axis] == 0) throw ShapeError(std::string(kName) + " along an empty axis of " + s.str());
    out.shape = Shape{};
    for (int i = 0; i < s.rank(); ++i)
      if (i != axis) out.shape.push_back(s[i]);
    return out;
  }
  static void compute(KernelCtx& c) {
    const Tensor& x = c.input(0);
    const Shape& s = x.shape();
    const int axis = normalize_axis(c.attrs.as<ArgExtremumAttrs>().axis, s.rank(), kName);
    std::int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= s[i];
    for (int i = axis + 1; i < s.rank(); ++i) inner *= s[i];
    const std::int64_t n = s[axis];
    std::int64_t* y = c.out.data<std::int64_t>();
    dispatch_numeric(x.dtype(), kName, [&]<class T>() {
      const T* xp = x.data<T>();
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0; i < inner; ++i) {
          const T* base = xp + o * n * inner + i;
          std::int64_t best = 0;
          for (std::int64_t k = 1; k < n; ++k) {
            const T v = base[k * inner], m = base[best * inner];
            if (m != m) break;  // the first NaN is the answer
            if ((kMax ? v > m : v < m) || v != v) best = k;
          }
          y[o * inner + i] = best;
        }
    });
  }
};

}  // namespace tg::ops
