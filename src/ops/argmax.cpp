// y = index of the first maximum of x along `axis` (a NaN counts as the maximum, as numpy and
// reduce_max), int64; not differentiable
#include "arg_extremum.h"

namespace tg {
namespace ops {
const AttrSchema kArgmaxAttrs = AttrSchema::of<ArgExtremumAttrs>(
    {{"axis", &ArgExtremumAttrs::axis}}, {{"axes", "axis"}});  // NOTE: "axes": [k] before issue 12
using Argmax = ArgExtremum<true>;
const OpDef op_argmax{.name = "argmax", .num_inputs = 1, .infer = Argmax::infer, .compute = Argmax::compute, .grad = nullptr,
                      .attrs = &kArgmaxAttrs};
}  // namespace ops

Node argmax(const Node& x, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_argmax, {x}, ops::ArgExtremumAttrs{.axis = axis}, name);
}
}  // namespace tg
