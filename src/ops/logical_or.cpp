// z = x or y, element-wise on bools, with broadcasting; not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_logical_or{"logical_or", 2, infer_logical, compute_logical<std::logical_or<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node logical_or(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_logical_or, {x, y}, {}, name); }
}  // namespace tg
