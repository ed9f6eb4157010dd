// dx = avg_pool's adjoint applied to dy: each dy[o] / count(o) added over window o's input elements
// (x, TensorFlow's orig_input_shape, gives only the shape). Linear in dy:
// d/d dy = avg_pool(g) with the same attributes; nothing flows to x
#include "pooling.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) { return infer_pool_grad(c, 1, 0, "avg_pool_grad"); }
void compute(KernelCtx& c) {
  const kernels::PoolGeom g = pool_geom(c.input(0).shape(), c.attrs.as<PoolAttrs>(), "avg_pool_grad");
  kernels::avg_pool_backward(g, c.input(1), c.out);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PoolAttrs>();
  return {Node(), nn::avg_pool(c.dy, a.ksize, a.strides, a.padding, a.data_format)};
}
}  // namespace
const OpDef op_avg_pool_grad{.name = "avg_pool_grad", .num_inputs = 2, .infer = infer, .compute = compute,
                             .grad = grad, .attrs = &kPoolAttrs};
}  // namespace ops

Node nn::avg_pool_grad(const Node& orig_input, const Node& grad, const std::vector<std::int64_t>& ksize,
                       const std::vector<std::int64_t>& strides, const std::string& padding,
                       const std::string& data_format, const std::string& name) {
  return make_op(ops::op_avg_pool_grad, {orig_input, grad},
                 ops::PoolAttrs{.ksize = ksize, .strides = strides, .padding = padding, .data_format = data_format},
                 name);
}
}  // namespace tg
