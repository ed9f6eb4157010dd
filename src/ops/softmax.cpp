// y = e^x / sum(e^x) over the last axis;  dx = y * (dy - sum(dy * y, last axis))
#include "../kernels/softmax.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "softmax");
  if (c.input(0).shape.rank() == 0) throw ShapeError("softmax needs at least 1 dimension, got a scalar");
  return c.input(0);
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const std::int64_t cols = x.shape().dim(-1), rows = cols ? x.size() / cols : 0;
  dispatch_float(x.dtype(), "softmax", [&]<class T>() {
    kernels::softmax_rows<T>(x.data<T>(), c.out.data<T>(), rows, cols, false);
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node y = c.output();
  return {multiply(y, subtract(c.dy, reduce_sum(multiply(c.dy, y), -1, true)))};
}
}  // namespace
const OpDef op_softmax{"softmax", 1, infer, compute, grad};
}  // namespace ops

Node softmax(const Node& x, const std::string& name) { return make_op(ops::op_softmax, {x}, {}, name); }
}  // namespace tg
