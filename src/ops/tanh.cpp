// y = tanh x;  dy/dx = 1 - y^2
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "tanh", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(std::tanh(x)); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  [[maybe_unused]] const Node x = c.input(0), y = c.output(), dy = c.dy;
  return {multiply(dy, subtract(scalar_like(y, 1), square(y)))};
}
}  // namespace
const OpDef op_tanh{"tanh", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node tanh(const Node& x, const std::string& name) { return make_op(ops::op_tanh, {x}, {}, name); }
}  // namespace tg
