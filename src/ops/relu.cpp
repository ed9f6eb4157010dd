// y = max(x, 0) (NaN stays NaN, as numpy.maximum);  dy/dx = 1 if x > 0 else 0, i.e. if y > 0
// (relu_grad, one pass; from y, so x need not be kept)
#include <cmath>

#include "../kernels/elementwise.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "relu", [&]<class T>() {
    kernels::map_unary<T>(c.input(0), c.out, [](T x) { return static_cast<T>(x <= T(0) ? T(0) : x); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {nn::relu_grad(c.dy, c.output())};
}
}  // namespace
const OpDef op_relu{"relu", 1, infer_float_unary, compute, grad};
}  // namespace ops

Node relu(const Node& x, const std::string& name) { return make_op(ops::op_relu, {x}, {}, name); }
}  // namespace tg
