// y[n, i, j, c] = max over the window of x (TensorFlow's max_pool: padding never wins, as its -inf);
// dx = max_pool_grad(x, y, dy): each dy to the first maximum of its window (row-major order)
#include "pooling.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) { return infer_pool(c, "max_pool"); }
void compute(KernelCtx& c) {
  const kernels::PoolGeom g = pool_geom(c.input(0).shape(), c.attrs.as<PoolAttrs>(), "max_pool");
  kernels::pool_forward(kernels::PoolKind::max, g, c.input(0), c.out);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PoolAttrs>();
  return {nn::max_pool_grad(c.input(0), c.output(), c.dy, a.ksize, a.strides, a.padding, a.data_format)};
}
}  // namespace
const OpDef op_max_pool{.name = "max_pool", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                        .attrs = &kPoolAttrs};
}  // namespace ops

Node nn::max_pool(const Node& value, const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                  const std::string& padding, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_max_pool, {value},
                 ops::PoolAttrs{.ksize = ksize, .strides = strides, .padding = padding, .data_format = data_format},
                 name);
}
}  // namespace tg
