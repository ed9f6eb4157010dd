// y = max of x over `axes`;  dx = dy * [x == y] / (number of tied maxima), as TensorFlow
#include "reduce_extremum.h"

namespace tg {
namespace ops {
using ReduceMax = ReduceExtremum<true>;
const OpDef op_reduce_max{.name = "reduce_max", .num_inputs = 1, .infer = ReduceMax::infer, .compute = ReduceMax::compute,
                          .grad = ReduceMax::grad, .attrs = &kReduceAttrs};
}  // namespace ops

Node reduce_max(const Node& x, const Axes& axis, bool keepdims, const std::string& name) {
  return make_op(ops::op_reduce_max, {x}, ops::reduction_attrs(axis, keepdims), name);
}
Node reduce_max(const Node& x, const ReduceOptions& o) { return reduce_max(x, o.axis, o.keepdims, o.name); }
Node reduce_max(const Node& x, std::initializer_list<std::int64_t> axis, bool keepdims, const std::string& name) {
  return reduce_max(x, ops::braced_axes(axis), keepdims, name);
}
}  // namespace tg
