// z = (x == y) as bool, with broadcasting; not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_equal{"equal", 2, infer_comparison, compute_comparison<std::equal_to<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node equal(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_equal, {x, y}, {}, name); }
}  // namespace tg
