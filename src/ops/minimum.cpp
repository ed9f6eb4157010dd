// z = min(x, y), with broadcasting (NaN propagates);  dz/dx = [x <= y], dz/dy = [x > y] (ties go to x)
#include "elementwise_extremum.h"

namespace tg {
namespace ops {
using Minimum = ElementwiseExtremum<false>;
const OpDef op_minimum{"minimum", 2, infer_arith, Minimum::compute, Minimum::grad, /*broadcasting=*/true};
}  // namespace ops

Node minimum(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_minimum, {x, y}, {}, name); }
}  // namespace tg
