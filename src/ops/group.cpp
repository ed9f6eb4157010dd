// group(a, b, ...): TensorFlow's tf.group, a node whose run runs its inputs and nothing else. Its
// inputs may be updates (stateful ops, which no other op may consume); it is stateful itself, so
// it runs after them, and it too has no output value.
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx&) { return {DType::unknown, Shape{}}; }
void compute(KernelCtx&) {}
}  // namespace
const OpDef op_group{.name = "group", .num_inputs = -1, .infer = infer, .compute = compute, .stateful = true};
}  // namespace ops

Node group(const std::vector<Node>& inputs, const std::string& name) {
  if (inputs.empty()) throw GraphError("group: no inputs");
  return make_op(ops::op_group, inputs, {}, name);
}
}  // namespace tg
