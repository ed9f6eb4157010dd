// y = x^2;  dy/dx = 2x
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "square", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(x * x); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy * (c.input(0) * 2.0)};
}
}  // namespace
const OpDef op_square{"square", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node square(const Node& x, const std::string& name) { return make_op(ops::op_square, {x}, {}, name); }
}  // namespace tg
