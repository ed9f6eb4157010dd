// y = e^x;  dy/dx = y
#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "exp", [&]<class T>() {
    kernels::exp_array(c.input(0).data<T>(), c.out.data<T>(), c.out.size());
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy * c.output()};
}
}  // namespace
const OpDef op_exp{"exp", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node exp(const Node& x, const std::string& name) { return make_op(ops::op_exp, {x}, {}, name); }
}  // namespace tg
