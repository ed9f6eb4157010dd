// z = max(x, y), with broadcasting (NaN propagates);  dz/dx = [x >= y], dz/dy = [x < y] (ties go to x)
#include "elementwise_extremum.h"

namespace tg {
namespace ops {
using Maximum = ElementwiseExtremum<true>;
const OpDef op_maximum{"maximum", 2, infer_arith, Maximum::compute, Maximum::grad, /*broadcasting=*/true};
}  // namespace ops

Node maximum(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_maximum, {x, y}, {}, name); }
}  // namespace tg
