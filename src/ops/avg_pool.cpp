// y[n, i, j, c] = mean of x over the window's elements inside the image (TensorFlow's avg_pool:
// the padding is excluded from the count);  dx = avg_pool_grad(x, dy): dy / count over each window
#include "pooling.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) { return infer_pool(c, "avg_pool"); }
void compute(KernelCtx& c) {
  const kernels::PoolGeom g = pool_geom(c.input(0).shape(), c.attrs.as<PoolAttrs>(), "avg_pool");
  kernels::pool_forward(kernels::PoolKind::avg, g, c.input(0), c.out);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PoolAttrs>();
  return {nn::avg_pool_grad(c.input(0), c.dy, a.ksize, a.strides, a.padding, a.data_format)};
}
}  // namespace
const OpDef op_avg_pool{.name = "avg_pool", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                        .attrs = &kPoolAttrs};
}  // namespace ops

Node nn::avg_pool(const Node& value, const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                  const std::string& padding, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_avg_pool, {value},
                 ops::PoolAttrs{.ksize = ksize, .strides = strides, .padding = padding, .data_format = data_format},
                 name);
}
}  // namespace tg
