#pragma once
// Shared by maximum and minimum: z = the larger (smaller) of x and y, with broadcasting; a NaN in
// either propagates, as numpy's. The gradient goes to x where x wins or ties, else to y (as
// TensorFlow): maximum: dx = dy * [x >= y], dy_in = dy * [x < y].
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg::ops {

template <bool kMax> struct ElementwiseExtremum {
  static constexpr const char* kName = kMax ? "maximum" : "minimum";

  static void compute(KernelCtx& c) {
    dispatch_numeric(c.out.dtype(), kName, [&]<class T>() {
      kernels::map_binary<T>(c.input(0), c.input(1), c.out,
                             [](T x, T y) { return (kMax ? x >= y : x <= y) || x != x ? x : y; });
    });
  }
  static std::vector<Node> grad(const GradCtx& c) {
    const Node x = c.input(0), y = c.input(1);
    const Node x_wins = cast_like(kMax ? greater_equal(x, y) : less_equal(x, y), x, kName);
    return {c.dy * x_wins, c.dy * (1.0 - x_wins)};
  }
};

}  // namespace tg::ops
