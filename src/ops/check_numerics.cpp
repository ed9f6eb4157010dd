// y = x, or NumericsError if x holds a NaN or an Inf;  dx = check_numerics(dy) (TensorFlow's rule:
// the gradient is checked too). Integer and bool values are always finite: they pass through.
#include <cstring>

#include "../graph/graph_impl.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const std::string bad = describe_non_finite(c.input(0));
  if (!bad.empty()) throw NumericsError("check_numerics '" + c.node.name + "': " + c.attrs.message + ": " + bad);
  std::memcpy(c.out.raw(), x.raw(), c.out.nbytes());
}
std::vector<Node> grad(const GradCtx& c) {
  return {check_numerics(c.dy, "gradient of " + c.node.name() + ": " + c.node.attrs().message)};
}
}  // namespace
const OpDef op_check_numerics{"check_numerics", 1, [](const InferCtx& c) { return c.input(0); }, compute, grad};
}  // namespace ops

Node check_numerics(const Node& x, const std::string& message, const std::string& name) {
  Attrs a;
  a.message = message;
  return make_op(ops::op_check_numerics, {x}, a, name);
}
}  // namespace tg
