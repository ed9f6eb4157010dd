// y = 1/(1+e^-x);  dy/dx = y(1-y). Both branches avoid overflow of e^-x.
#include <cmath>

#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "sigmoid", [&]<class T>() {
    // e = e^-|x| never overflows; y = 1/(1+e) for x >= 0, e/(1+e) below.
    const T* x = c.input(0).data<T>();
    T* y = c.out.data<T>();
    const std::int64_t n = c.out.size();
    for (std::int64_t i = 0; i < n; ++i) y[i] = -std::fabs(x[i]);
    kernels::exp_array(y, y, n);
    for (std::int64_t i = 0; i < n; ++i) y[i] = (x[i] >= T(0) ? T(1) : y[i]) / (T(1) + y[i]);
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node y = c.output();
  return {c.dy * (y * (1.0 - y))};
}
}  // namespace
const OpDef op_sigmoid{"sigmoid", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node sigmoid(const Node& x, const std::string& name) { return make_op(ops::op_sigmoid, {x}, {}, name); }
}  // namespace tg
