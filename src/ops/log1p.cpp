// y = ln(1 + x), accurate for small x (std::log1p);  dy/dx = 1/(1 + x)
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "log1p", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(std::log1p(x)); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {c.dy / (1.0 + c.input(0))}; }
}  // namespace
const OpDef op_log1p{"log1p", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node log1p(const Node& x, const std::string& name) { return make_op(ops::op_log1p, {x}, {}, name); }
}  // namespace tg
