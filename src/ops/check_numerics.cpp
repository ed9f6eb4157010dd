// y = x, or NumericsError if x holds a NaN or an Inf;  dx = check_numerics(dy) (TensorFlow's rule:
// the gradient is checked too). Integer and bool values are always finite: they pass through.
#include <cstring>

#include "../tensor/non_finite.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct CheckNumericsAttrs {
  std::string message;  // the user's text for the error
};
const AttrSchema kCheckNumericsAttrs = AttrSchema::of<CheckNumericsAttrs>({{"message", &CheckNumericsAttrs::message}});
namespace {
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const std::string bad = describe_non_finite(c.input(0));
  if (!bad.empty()) throw NumericsError("check_numerics '" + c.node_name + "': " + c.attrs.as<CheckNumericsAttrs>().message +
                                          ": " + bad);
  std::memcpy(c.out.raw(), x.raw(), c.out.nbytes());
}
std::vector<Node> grad(const GradCtx& c) {
  return {check_numerics(c.dy, "gradient of " + c.node.name() + ": " + c.node.attrs().as<CheckNumericsAttrs>().message)};
}
}  // namespace
const OpDef op_check_numerics{.name = "check_numerics", .num_inputs = 1,
                              .infer = [](const InferCtx& c) { return c.input(0); }, .compute = compute, .grad = grad,
                              .attrs = &kCheckNumericsAttrs};
}  // namespace ops

Node check_numerics(const Node& x, const std::string& message, const std::string& name) {
  return make_op(ops::op_check_numerics, {x}, ops::CheckNumericsAttrs{.message = message}, name);
}
}  // namespace tg
