// y = min of x over `axes`;  dx = dy * [x == y] / (number of tied minima), as TensorFlow
#include "reduce_extremum.h"

namespace tg {
namespace ops {
using ReduceMin = ReduceExtremum<false>;
const OpDef op_reduce_min{.name = "reduce_min", .num_inputs = 1, .infer = ReduceMin::infer, .compute = ReduceMin::compute,
                          .grad = ReduceMin::grad, .attrs = &kReduceAttrs};
}  // namespace ops

Node reduce_min(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_min, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_min(const Node& x, const ReduceOptions& o) { return reduce_min(x, o.axis, o.keepdims, o.name); }
Node reduce_min(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_min(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
