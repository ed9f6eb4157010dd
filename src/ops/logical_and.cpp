// z = x and y, element-wise on bools, with broadcasting; not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_logical_and{"logical_and", 2, infer_logical, compute_logical<std::logical_and<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node logical_and(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_logical_and, {x, y}, {}, name); }
}  // namespace tg
