// dx = Sᵀ dy, S selecting the first maximum of each window of x (row-major order, TensorFlow's
// CPU rule; y, TensorFlow's orig_output, is an input for its signature, the argmax is recomputed
// from x). S is piecewise constant in x: d/dx = d/dy = 0 (as TensorFlow);
// d/d dy = S g = max_pool_grad_grad(x, y, g)
#include "pooling.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  (void)common_dtype(c.input(0), c.input(1));
  return infer_pool_grad(c, 2, 0, "max_pool_grad");
}
void compute(KernelCtx& c) {
  const kernels::PoolGeom g = pool_geom(c.input(0).shape(), c.attrs.as<PoolAttrs>(), "max_pool_grad");
  kernels::max_pool_backward(g, c.input(0), c.input(2), c.out);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PoolAttrs>();
  return {Node(), Node(),
          nn::max_pool_grad_grad(c.input(0), c.input(1), c.dy, a.ksize, a.strides, a.padding, a.data_format)};
}
}  // namespace
const OpDef op_max_pool_grad{.name = "max_pool_grad", .num_inputs = 3, .infer = infer, .compute = compute,
                             .grad = grad, .attrs = &kPoolAttrs};
}  // namespace ops

Node nn::max_pool_grad(const Node& orig_input, const Node& orig_output, const Node& grad,
                       const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                       const std::string& padding, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_max_pool_grad, {orig_input, orig_output, grad},
                 ops::PoolAttrs{.ksize = ksize, .strides = strides, .padding = padding, .data_format = data_format},
                 name);
}
}  // namespace tg
