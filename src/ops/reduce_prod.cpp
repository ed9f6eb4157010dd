// y = product of x over `axes`;  dx = dy * (product of the other elements of x's group), as
// TensorFlow. Written without dividing by x where a group holds zeros: with z zeros in a group,
// others = p / x (z = 0), p' at the zero and 0 elsewhere (z = 1), 0 (z >= 2), p' being the product
// of the group's non-zero elements. NOTE: second derivatives at zeros are not exact (the masks
// hold their values there); TensorFlow's exclusive cumulative products would be.
#include "../kernels/reduce.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("reduce_prod of bool is not supported");
  return {c.input(0).dtype, reduced_shape(c.input(0).shape, c.attrs.as<ReduceAttrs>(), "reduce_prod")};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<ReduceAttrs>();
  bool mask[kMaxRank];
  kernels::reduced_mask(a.axes, a.all_axes, c.input(0).rank(), mask);
  dispatch_numeric(c.out.dtype(), "reduce_prod", [&]<class T>() {
    kernels::reduce<T>(c.input(0), c.out, mask, T(1), [](T a, T b) { return static_cast<T>(a * b); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0);
  const auto& a = c.node.attrs().as<ReduceAttrs>();
  ReduceAttrs keep = a;
  keep.keepdims = true;
  const Node is_zero = cast_like(equal(x, scalar_like(x, 0)), x, "reduce_prod");
  const Node zeros = unreduce(make_op(op_reduce_sum, {is_zero}, keep), x, keep, false);  // per group
  const Node x_or_1 = x + is_zero;                                                          // no zeros left
  const Node p = unreduce(make_op(op_reduce_prod, {x_or_1}, keep), x, keep, false);       // p'
  const Node no_zero = cast_like(equal(zeros, scalar_like(x, 0)), x, "reduce_prod");
  const Node one_zero = cast_like(equal(zeros, scalar_like(x, 1)), x, "reduce_prod");
  const Node others = no_zero * p / x_or_1 + one_zero * is_zero * p;
  return {unreduce(c.dy, x, a, false) * others};
}
}  // namespace
const OpDef op_reduce_prod{.name = "reduce_prod", .num_inputs = 1, .infer = infer, .compute = compute,
                           .grad = grad, .attrs = &kReduceAttrs};
}  // namespace ops

Node reduce_prod(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_prod, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_prod(const Node& x, const ReduceOptions& o) { return reduce_prod(x, o.axis, o.keepdims, o.name); }
Node reduce_prod(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_prod(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
