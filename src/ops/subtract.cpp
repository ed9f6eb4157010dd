// z = x - y;  dz/dx = 1, dz/dy = -1
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "subtract", [&]<class T>() {
    kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T x, T y) { return static_cast<T>(x - y); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node& dy = c.dy;
  return {dy, -dy};
}
}  // namespace
const OpDef op_subtract{"subtract", 2, infer_arith, compute, grad, /*broadcasting=*/true};
}  // namespace ops

Node subtract(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_subtract, {x, y}, {}, name); }
}  // namespace tg
