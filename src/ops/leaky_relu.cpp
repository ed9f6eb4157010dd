// y = x if x > 0 else alpha·x (tf.nn.leaky_relu, alpha 0.2 by default);
// dy/dx = 1 if x > 0 else alpha, i.e. alpha + (1 - alpha)·[x > 0]
#include "../kernels/elementwise.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
struct LeakyReluAttrs {
  double alpha = 0.2;  // the slope below 0
};
const AttrSchema kLeakyReluAttrs = AttrSchema::of<LeakyReluAttrs>({{"alpha", &LeakyReluAttrs::alpha}});
namespace {
void compute(KernelCtx& c) {
  const double alpha = c.attrs.as<LeakyReluAttrs>().alpha;
  dispatch_float(c.out.dtype(), "leaky_relu", [&]<class T>() {
    const T a = static_cast<T>(alpha);
    kernels::map_unary<T>(c.input(0), c.out, [a](T x) { return x > T(0) ? x : a * x; });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const double alpha = c.node.attrs().as<LeakyReluAttrs>().alpha;
  const Node x = c.input(0);
  return {c.dy * (alpha + (1.0 - alpha) * cast_like(greater(x, scalar_like(x, 0)), x, "leaky_relu"))};
}
}  // namespace
const OpDef op_leaky_relu{.name = "leaky_relu", .num_inputs = 1, .infer = infer_float_unary, .compute = compute,
                          .grad = grad, .attrs = &kLeakyReluAttrs};
}  // namespace ops

Node nn::leaky_relu(const Node& features, double alpha, const std::string& name) {
  return make_op(ops::op_leaky_relu, {features}, ops::LeakyReluAttrs{.alpha = alpha}, name);
}
}  // namespace tg
