// z = (x <= y) as bool, with broadcasting (a NaN compares as numpy's); not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_less_equal{"less_equal", 2, infer_comparison, compute_comparison<std::less_equal<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node less_equal(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_less_equal, {x, y}, {}, name); }
}  // namespace tg
