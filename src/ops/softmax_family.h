#pragma once
// Shared by softmax and log_softmax: a float input of rank >= 1, normalised over its last axis.
#include "../kernels/softmax.h"
#include "op_helpers.h"

namespace tg::ops {

inline TypeShape infer_last_axis(const InferCtx& c) {
  require_float(c.input(0).dtype, "softmax");
  if (c.input(0).shape.rank() == 0) throw ShapeError("needs at least 1 dimension, got a scalar");
  return c.input(0);
}

template <bool Log> void compute_softmax(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const std::int64_t cols = x.shape().dim(-1), rows = cols ? x.size() / cols : 0;
  dispatch_float(x.dtype(), Log ? "log_softmax" : "softmax", [&]<class T>() {
    kernels::softmax_rows<T>(x.data<T>(), c.out.data<T>(), rows, cols, Log);
  });
}

}  // namespace tg::ops
