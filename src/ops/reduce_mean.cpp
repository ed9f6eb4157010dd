// y = mean of x over `axes`;  dx = dy broadcast back over the reduced axes / count
#include "../kernels/reduce.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "reduce_mean");
  return {c.input(0).dtype, reduced_shape(c.input(0).shape, c.attrs.as<ReduceAttrs>(), "reduce_mean")};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<ReduceAttrs>();
  bool mask[kMaxRank];
  kernels::reduced_mask(a.axes, a.all_axes, c.input(0).rank(), mask);
  const std::int64_t count = c.out.size() ? c.input(0).size() / c.out.size() : 0;
  dispatch_float(c.out.dtype(), "reduce_mean", [&]<class T>() {
    kernels::reduce<T>(c.input(0), c.out, mask, T(0), [](T a, T b) { return a + b; });
    T* y = c.out.data<T>();
    // NOTE: the mean of zero elements is NaN, as in numpy.
    const T inv = count ? T(1) / static_cast<T>(count) : T(NAN);
    for (std::int64_t i = 0; i < c.out.size(); ++i) y[i] *= inv;
  });
}
std::vector<Node> grad(const GradCtx& c) { return {unreduce(c.dy, c.input(0), c.node.attrs().as<ReduceAttrs>(), true)}; }
}  // namespace
const OpDef op_reduce_mean{.name = "reduce_mean", .num_inputs = 1, .infer = infer, .compute = compute,
                           .grad = grad, .attrs = &kReduceAttrs};
}  // namespace ops

Node reduce_mean(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_mean, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_mean(const Node& x, const ReduceOptions& o) { return reduce_mean(x, o.axis, o.keepdims, o.name); }
Node reduce_mean(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_mean(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
