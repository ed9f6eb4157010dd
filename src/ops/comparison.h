#pragma once
// Shared by the comparison ops: a bool result with broadcasting, from a scalar predicate.
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

}  // namespace tg::ops
