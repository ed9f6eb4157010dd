// y = index of the first minimum of x along `axis` (a NaN counts as the minimum, as numpy's
// argmin and reduce_min), int64; not differentiable
#include "arg_extremum.h"

namespace tg {
namespace ops {
const AttrSchema kArgminAttrs = AttrSchema::of<ArgExtremumAttrs>({{"axis", &ArgExtremumAttrs::axis}});
using Argmin = ArgExtremum<false>;
const OpDef op_argmin{.name = "argmin", .num_inputs = 1, .infer = Argmin::infer, .compute = Argmin::compute, .grad = nullptr,
                      .attrs = &kArgminAttrs};
}  // namespace ops

Node argmin(const Node& x, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_argmin, {x}, ops::ArgExtremumAttrs{.axis = axis}, name);
}
}  // namespace tg
