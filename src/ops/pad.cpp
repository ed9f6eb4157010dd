// y = x padded along each axis by paddings[i] = [before, after] (TensorFlow's tf.pad): with
// constant_values (CONSTANT), or mirrored without the edge (REFLECT) or with it (SYMMETRIC);
// dx = pad_grad(dy): the slice back, plus the mirrored elements folded onto their sources
#include "pad.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  return {c.input(0).dtype, padded_shape(c.input(0).shape, c.attrs.as<PadAttrs>(), true, "pad")};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<PadAttrs>();
  dispatch_all(c.out.dtype(), [&]<class T>() {
    const T* x = c.input(0).data<T>();
    T* y = c.out.data<T>();
    const T fill = static_cast<T>(a.constant_values);
    for_each_padded(c.input(0).shape(), a, [&](std::int64_t o, std::int64_t i) { y[o] = i < 0 ? fill : x[i]; });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PadAttrs>();
  return {make_op(op_pad_grad, {c.dy}, PadAttrs{.paddings = a.paddings, .mode = a.mode})};
}
}  // namespace
const OpDef op_pad{.name = "pad", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                   .attrs = &kPadAttrs};
}  // namespace ops

namespace {
std::vector<std::int64_t> flat(const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings) {
  std::vector<std::int64_t> p;
  for (const auto& [before, after] : paddings) p.insert(p.end(), {before, after});
  return p;
}
}  // namespace

Node pad(const Node& tensor, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings,
         const std::string& mode, double constant_values, const std::string& name) {
  if (is_integer(tensor.dtype())) ops::require_fits(constant_values, tensor.dtype(), "pad: constant_values");
  return make_op(ops::op_pad, {tensor},
                 ops::PadAttrs{.paddings = flat(paddings), .mode = mode, .constant_values = constant_values}, name);
}
Node pad_grad(const Node& grad, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings,
              const std::string& mode, const std::string& name) {
  return make_op(ops::op_pad_grad, {grad}, ops::PadAttrs{.paddings = flat(paddings), .mode = mode}, name);
}
}  // namespace tg
