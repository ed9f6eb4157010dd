// y = ln x;  dy/dx = 1/x (log(0) = -inf and the gradient there is inf, as numpy)
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "log", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(std::log(x)); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  [[maybe_unused]] const Node x = c.input(0), y = c.output(), dy = c.dy;
  return {divide(dy, x)};
}
}  // namespace
const OpDef op_log{"log", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node log(const Node& x, const std::string& name) { return make_op(ops::op_log, {x}, {}, name); }
}  // namespace tg
