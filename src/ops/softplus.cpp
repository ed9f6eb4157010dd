// y = ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|) (no overflow for large |x|);  dy/dx = sigmoid(x)
#include <algorithm>
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "softplus", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out,
                          [](T x) { return static_cast<T>(std::max(x, T(0)) + std::log1p(std::exp(-std::fabs(x)))); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {c.dy * sigmoid(c.input(0))}; }
}  // namespace
const OpDef op_softplus{"softplus", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node nn::softplus(const Node& features, const std::string& name) {
  return make_op(ops::op_softplus, {features}, {}, name);
}
}  // namespace tg
