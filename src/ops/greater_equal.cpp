// z = (x >= y) as bool, with broadcasting (a NaN compares as numpy's); not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_greater_equal{"greater_equal", 2, infer_comparison, compute_comparison<std::greater_equal<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node greater_equal(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_greater_equal, {x, y}, {}, name); }
}  // namespace tg
