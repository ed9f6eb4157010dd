#pragma once
// Shared by reduce_max and reduce_min: y = the largest (smallest) element of x over `axes`, a NaN
// propagating as in numpy;  dx = dy * [x == y] / (number of tied extremes), as TensorFlow.
#include <limits>

#include "../kernels/reduce.h"
#include "op_helpers.h"

namespace tg::ops {

template <bool kMax> struct ReduceExtremum {
  static constexpr const char* kName = kMax ? "reduce_max" : "reduce_min";
  static constexpr const char* kWhat = kMax ? "max" : "min";

  static TypeShape infer(const InferCtx& c) {
    if (c.input(0).dtype == DType::boolean) throw DTypeError(std::string(kName) + " of bool is not supported");
    const Shape out = reduced_shape(c.input(0).shape, c.attrs.as<ReduceAttrs>(), kName);
    if (c.input(0).shape.num_elements() == 0 && out.num_elements() != 0)
      throw ShapeError(std::string("cannot take the ") + kWhat + " over a zero-size axis of " +
                       c.input(0).shape.str() + " (it has no identity; numpy refuses it too)");
    return {c.input(0).dtype, out};
  }
  static void compute(KernelCtx& c) {
    if (c.input(0).size() == 0 && c.out.size() > 0)
      throw ShapeError(std::string(kName) + ": cannot reduce a zero-size axis of " + c.input(0).shape().str());
    const auto& a = c.attrs.as<ReduceAttrs>();
    bool mask[kMaxRank];
    kernels::reduced_mask(a.axes, a.all_axes, c.input(0).rank(), mask);
    dispatch_numeric(c.out.dtype(), kName, [&]<class T>() {
      const T init = kMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
      kernels::reduce<T>(c.input(0), c.out, mask, init, [](T a, T b) {
        return (kMax ? b > a : b < a) || b != b ? b : a;  // NaN propagates
      });
    });
  }
  static std::vector<Node> grad(const GradCtx& c) {
    const Node x = c.input(0);
    const auto& a = c.node.attrs().as<ReduceAttrs>();
    const Node mask = cast_like(equal(x, unreduce(c.output(), x, a, false)), x, kName);
    ReduceAttrs keep = a;
    keep.keepdims = true;
    const Node ties = make_op(op_reduce_sum, {mask}, keep);
    return {mask * unreduce(c.dy, x, a, false) / ties};
  }
};

}  // namespace tg::ops
