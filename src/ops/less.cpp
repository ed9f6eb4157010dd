// z = (x < y) as bool, with broadcasting (a NaN compares as numpy's); not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_less{"less", 2, infer_comparison, compute_comparison<std::less<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node less(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_less, {x, y}, {}, name); }
}  // namespace tg
