// y = sum of x over `axes` (all when axis=None);  dx = dy broadcast back over the reduced axes
#include "../kernels/reduce.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("reduce_sum of bool is not supported");
  return {c.input(0).dtype, reduced_shape(c.input(0).shape, c.attrs.as<ReduceAttrs>(), "reduce_sum")};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<ReduceAttrs>();
  bool mask[kMaxRank];
  kernels::reduced_mask(a.axes, a.all_axes, c.input(0).rank(), mask);
  dispatch_numeric(c.out.dtype(), "reduce_sum", [&]<class T>() {
    kernels::reduce<T>(c.input(0), c.out, mask, T(0), [](T a, T b) { return static_cast<T>(a + b); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {unreduce(c.dy, c.input(0), c.node.attrs().as<ReduceAttrs>(), false)}; }
}  // namespace
const OpDef op_reduce_sum{.name = "reduce_sum", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                          .attrs = &kReduceAttrs};

const AttrSchema kReduceAttrs = AttrSchema::of<ReduceAttrs>(
    {{"axes", &ReduceAttrs::axes}, {"all_axes", &ReduceAttrs::all_axes}, {"keepdims", &ReduceAttrs::keepdims}});

ReduceAttrs reduction_attrs(const Axes& axis, bool keepdims) {
  return {.axes = axis.list, .all_axes = axis.all, .keepdims = keepdims};
}
}  // namespace ops

Node reduce_sum(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_sum, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_sum(const Node& x, const ReduceOptions& o) { return reduce_sum(x, o.axis, o.keepdims, o.name); }
Node reduce_sum(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_sum(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
