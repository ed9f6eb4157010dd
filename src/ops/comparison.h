#pragma once
// Shared by the comparison and logical ops: a bool result with broadcasting, from a scalar
// predicate. Neither kind is differentiable.
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg::ops {

inline TypeShape infer_comparison(const InferCtx& c) {
  TypeShape ts = infer_broadcast(c);
  ts.dtype = DType::boolean;
  return ts;
}

template <class Predicate> void compute_comparison(KernelCtx& c) {
  dispatch_all(c.input(0).dtype(), [&]<class T>() {
    kernels::map_binary<T, bool>(c.input(0), c.input(1), c.out, [](T x, T y) { return Predicate{}(x, y); });
  });
}

/// Logical ops take bool inputs only (as TensorFlow; cast a number with cast(x, bool) first).
inline void require_bool(const InferCtx& c) {
  for (int i = 0; i < c.num_inputs; ++i)
    if (c.input(i).dtype != DType::boolean && c.input(i).dtype != DType::unknown)
      throw DTypeError("logical ops take bool inputs, got " + dtype_name(c.input(i).dtype) +
                       " (compare, or cast to bool, first)");
}

inline TypeShape infer_logical(const InferCtx& c) {
  require_bool(c);
  return infer_comparison(c);
}

template <class Predicate> void compute_logical(KernelCtx& c) {
  kernels::map_binary<bool, bool>(c.input(0), c.input(1), c.out, [](bool x, bool y) { return Predicate{}(x, y); });
}

}  // namespace tg::ops
