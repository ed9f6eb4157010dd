// y = sqrt(x);  dy/dx = 1/(2y)
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "sqrt", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(std::sqrt(x)); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy * 0.5 / c.output()};
}
}  // namespace
const OpDef op_sqrt{"sqrt", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node sqrt(const Node& x, const std::string& name) { return make_op(ops::op_sqrt, {x}, {}, name); }
}  // namespace tg
