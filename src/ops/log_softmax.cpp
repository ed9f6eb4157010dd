// y = x - log(sum(e^x)) over the last axis;  dx = dy - e^y * sum(dy, last axis)
#include "softmax_family.h"

namespace tg {
namespace ops {
namespace {
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy - exp(c.output()) * reduce_sum(c.dy, -1, true)};
}
}  // namespace
const OpDef op_log_softmax{"log_softmax", 1, infer_last_axis, compute_softmax<true>, grad};
}  // namespace ops

Node log_softmax(const Node& x, const std::string& name) { return make_op(ops::op_log_softmax, {x}, {}, name); }
}  // namespace tg
