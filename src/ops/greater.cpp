// z = (x > y) as bool, with broadcasting; not differentiable.
#include <functional>

#include "comparison.h"

namespace tg {
namespace ops {
const OpDef op_greater{"greater", 2, infer_comparison, compute_comparison<std::greater<>>, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node greater(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_greater, {x, y}, {}, name); }
}  // namespace tg
