// z = (x != y) as bool, with broadcasting (a NaN compares as numpy's); not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_not_equal{"not_equal", 2, infer_comparison, compute_comparison<std::not_equal_to<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node not_equal(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_not_equal, {x, y}, {}, name); }
}  // namespace tg
