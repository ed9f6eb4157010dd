// y = -x;  dy/dx = -1
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("negative of bool is not supported");
  return c.input(0);
}
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "negative", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(-x); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {-c.dy}; }
}  // namespace
const OpDef op_negative{"negative", 1, infer, compute, grad};
}  // namespace ops

Node negative(const Node& x, const std::string& name) { return make_op(ops::op_negative, {x}, {}, name); }
}  // namespace tg
