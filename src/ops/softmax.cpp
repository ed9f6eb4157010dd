// y = e^x / sum(e^x) over the last axis;  dx = y * (dy - sum(dy * y, last axis))
#include "softmax_family.h"

namespace tg {
namespace ops {
namespace {
std::vector<Node> grad(const GradCtx& c) {
  const Node y = c.output();
  return {y * (c.dy - reduce_sum(c.dy * y, -1, true))};
}
}  // namespace
const OpDef op_softmax{"softmax", 1, infer_last_axis, compute_softmax<false>, grad};
}  // namespace ops

Node softmax(const Node& x, const std::string& name) { return make_op(ops::op_softmax, {x}, {}, name); }
}  // namespace tg
