// y = 1/(1+e^-x);  dy/dx = y(1-y). Both branches avoid overflow of e^-x.
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "sigmoid", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x))); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  [[maybe_unused]] const Node x = c.input(0), y = c.output(), dy = c.dy;
  return {multiply(dy, multiply(y, subtract(scalar_like(y, 1), y)))};
}
}  // namespace
const OpDef op_sigmoid{"sigmoid", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node sigmoid(const Node& x, const std::string& name) { return make_op(ops::op_sigmoid, {x}, {}, name); }
}  // namespace tg
