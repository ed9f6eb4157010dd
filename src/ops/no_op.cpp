// no_op(): TensorFlow's tf.no_op, an update that does nothing (what an initializer of no Variables
// is). No inputs, no value.
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx&) { return {DType::unknown, Shape{}}; }
void compute(KernelCtx&) {}
}  // namespace
const OpDef op_no_op{.name = "no_op", .num_inputs = 0, .infer = infer, .compute = compute, .stateful = true};
}  // namespace ops

Node no_op(const std::string& name) { return make_op(ops::op_no_op, {}, {}, name.empty() ? "NoOp" : name); }
}  // namespace tg
