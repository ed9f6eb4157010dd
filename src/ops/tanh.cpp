// y = tanh x;  dy/dx = 1 - y^2
#include "../kernels/parallel.h"
#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "tanh", [&]<class T>() {
    const T* x = c.input(0).data<T>();
    T* y = c.out.data<T>();
    kernels::parallel_for(c.out.size(), 1, [&](std::int64_t b, std::int64_t e) { kernels::tanh_array(x + b, y + b, e - b); });
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
