// out = S g: g (shaped like x) read at the first maximum of each window of x, shaped like y
// (TensorFlow's MaxPoolGradGrad; S as in max_pool_grad). d/dx = d/dy = 0; d/dg = Sᵀ dout =
// max_pool_grad(x, y, dout), so gradients of any order stay in this pair of ops
#include "pooling.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape& g = c.input(2);
  require_float(g.dtype, "max_pool_grad_grad");
  (void)common_dtype(c.input(0), g);
  if (!agree(g.shape, c.input(0).shape))
    throw ShapeError("max_pool_grad_grad: argument 'grad' has shape " + g.shape.str() +
                     ", expected orig_input's shape " + c.input(0).shape.str());
  const Shape y = pooled_shape(c.input(0).shape, c.attrs.as<PoolAttrs>(), "max_pool_grad_grad");
  return {common_dtype(c.input(0), c.input(1)), y};
}
void compute(KernelCtx& c) {
  const kernels::PoolGeom g = pool_geom(c.input(0).shape(), c.attrs.as<PoolAttrs>(), "max_pool_grad_grad");
  kernels::max_pool_select(g, c.input(0), c.input(2), c.out);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PoolAttrs>();
  return {Node(), Node(),
          nn::max_pool_grad(c.input(0), c.input(1), c.dy, a.ksize, a.strides, a.padding, a.data_format)};
}
}  // namespace
const OpDef op_max_pool_grad_grad{.name = "max_pool_grad_grad", .num_inputs = 3, .infer = infer,
                                  .compute = compute, .grad = grad, .attrs = &kPoolAttrs};
}  // namespace ops

Node nn::max_pool_grad_grad(const Node& orig_input, const Node& orig_output, const Node& grad,
                            const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                            const std::string& padding, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_max_pool_grad_grad, {orig_input, orig_output, grad},
                 ops::PoolAttrs{.ksize = ksize, .strides = strides, .padding = padding, .data_format = data_format},
                 name);
}
}  // namespace tg
