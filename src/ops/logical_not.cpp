// y = not x, element-wise on bools; not differentiable.
#include "comparison.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  require_bool(c);
  return {DType::boolean, c.input(0).shape};
}
void compute(KernelCtx& c) { kernels::map_unary<bool>(c.input(0), c.out, [](bool x) { return !x; }); }
}  // namespace
const OpDef op_logical_not{"logical_not", 1, infer, compute, nullptr};
}  // namespace ops

Node logical_not(const Node& x, const std::string& name) { return make_op(ops::op_logical_not, {x}, {}, name); }
}  // namespace tg
