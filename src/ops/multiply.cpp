// z = x * y;  dz/dx = y, dz/dy = x
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "multiply", [&]<class T>() {
    kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T x, T y) { return static_cast<T>(x * y); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0), y = c.input(1), dy = c.dy;
  return {dy * y, dy * x};
}
}  // namespace
const OpDef op_multiply{"multiply", 2, infer_arith, compute, grad, /*broadcasting=*/true};
}  // namespace ops

Node multiply(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_multiply, {x, y}, {}, name); }
}  // namespace tg
