// y = ln(1 + x), accurate for small x (kernels::log1p_array);  dy/dx = 1/(1 + x)
#include "../kernels/parallel.h"
#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "log1p", [&]<class T>() {
    const T* x = c.input(0).data<T>();
    T* y = c.out.data<T>();
    kernels::parallel_for(c.out.size(), 1, [&](std::int64_t b, std::int64_t e) { kernels::log1p_array(x + b, y + b, e - b); },
                          c.out.size() * 8);  // NOTE: a log per element: worth threads below a copy's size
  });
}
std::vector<Node> grad(const GradCtx& c) { return {c.dy / (1.0 + c.input(0))}; }
}  // namespace
const OpDef op_log1p{"log1p", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node log1p(const Node& x, const std::string& name) { return make_op(ops::op_log1p, {x}, {}, name); }
}  // namespace tg
