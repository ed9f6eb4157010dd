// y = x - log(sum(e^x)) over the last axis;  dx = dy - e^y * sum(dy, last axis)
#include "../kernels/softmax.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "log_softmax");
  if (c.input(0).shape.rank() == 0) throw ShapeError("log_softmax needs at least 1 dimension, got a scalar");
  return c.input(0);
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const std::int64_t cols = x.shape().dim(-1), rows = cols ? x.size() / cols : 0;
  dispatch_float(x.dtype(), "log_softmax", [&]<class T>() {
    kernels::softmax_rows<T>(x.data<T>(), c.out.data<T>(), rows, cols, true);
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {subtract(c.dy, multiply(exp(c.output()), reduce_sum(c.dy, -1, true)))};
}
}  // namespace
const OpDef op_log_softmax{"log_softmax", 1, infer, compute, grad};
}  // namespace ops

Node log_softmax(const Node& x, const std::string& name) { return make_op(ops::op_log_softmax, {x}, {}, name); }
}  // namespace tg
