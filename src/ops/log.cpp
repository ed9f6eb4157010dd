// y = ln x;  dy/dx = 1/x (log(0) = -inf and the gradient there is inf, as numpy)
#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "log", [&]<class T>() {
    kernels::log_array(c.input(0).data<T>(), c.out.data<T>(), c.out.size());
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy / c.input(0)};
}
}  // namespace
const OpDef op_log{"log", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node log(const Node& x, const std::string& name) { return make_op(ops::op_log, {x}, {}, name); }
}  // namespace tg
