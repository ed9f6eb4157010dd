// y = max of x over `axes`;  dx = dy * [x == y] / (number of tied maxima), as TensorFlow
#include <limits>

#include "../kernels/reduce.h"
#include "op_helpers.h"
#include "op_list.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("reduce_max of bool is not supported");
  const Shape out = reduced_shape(c.input(0).shape, c.attrs.as<ReduceAttrs>(), "reduce_max");
  if (c.input(0).shape.num_elements() == 0 && out.num_elements() != 0)
    throw ShapeError("cannot take the max over a zero-size axis of " + c.input(0).shape.str() +
                     " (it has no identity; numpy refuses it too)");
  return {c.input(0).dtype, out};
}
void compute(KernelCtx& c) {
  if (c.input(0).size() == 0 && c.out.size() > 0)
    throw ShapeError("reduce_max: cannot reduce a zero-size axis of " + c.input(0).shape().str());
  const auto& a = c.attrs.as<ReduceAttrs>();
  bool mask[kMaxRank];
  kernels::reduced_mask(a.axes, a.all_axes, c.input(0).rank(), mask);
  dispatch_numeric(c.out.dtype(), "reduce_max", [&]<class T>() {
    kernels::reduce<T>(c.input(0), c.out, mask, std::numeric_limits<T>::lowest(),
                       [](T a, T b) { return b > a || b != b ? b : a; });  // NaN propagates
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0);
  const auto& a = c.node.attrs().as<ReduceAttrs>();
  const Node mask = cast_like(equal(x, unreduce(c.output(), x, a, false)), x, "reduce_max");
  ReduceAttrs keep = a;
  keep.keepdims = true;
  const Node ties = make_op(op_reduce_sum, {mask}, keep);
  return {mask * unreduce(c.dy, x, a, false) / ties};
}
}  // namespace
const OpDef op_reduce_max{.name = "reduce_max", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                          .attrs = &kReduceAttrs};
}  // namespace ops

Node reduce_max(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_max, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_max(const Node& x, const ReduceOptions& o) { return reduce_max(x, o.axis, o.keepdims, o.name); }
Node reduce_max(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_max(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
