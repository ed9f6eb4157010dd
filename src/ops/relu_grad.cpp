// dx = g where f > 0, else 0 (TensorFlow's ReluGrad; f is relu's input or output: same sign).
// A select, not g·[f > 0]: an infinite g where f <= 0 gives 0, not NaN.
// d/dg = relu_grad(dout, f); d/df = 0 (almost everywhere)
#include "../kernels/elementwise.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &g = c.input(0), &f = c.input(1);
  require_float(g.dtype, "relu_grad");
  const DType d = common_dtype(g, f);
  if (!agree(g.shape, f.shape))
    throw ShapeError("relu_grad: argument 'gradients' has shape " + g.shape.str() + ", but 'features' has " +
                     f.shape.str() + " (they must be equal)");
  return {d, g.shape.rank_known() ? g.shape : f.shape};
}
void compute(KernelCtx& c) {
  dispatch_float(c.out.dtype(), "relu_grad", [&]<class T>() {
    kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T g, T f) { return f > T(0) ? g : T(0); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {nn::relu_grad(c.dy, c.input(1)), Node()}; }
}  // namespace
const OpDef op_relu_grad{.name = "relu_grad", .num_inputs = 2, .infer = infer, .compute = compute, .grad = grad};
}  // namespace ops

Node nn::relu_grad(const Node& gradients, const Node& features, const std::string& name) {
  return make_op(ops::op_relu_grad, {gradients, features}, {}, name);
}
}  // namespace tg
