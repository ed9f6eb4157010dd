// dx = pad's adjoint applied to dy (shaped like pad's output): each dy element added to the input
// element it was copied from (the slice back for CONSTANT; mirrored ones folded for REFLECT and
// SYMMETRIC). Linear: d/d dy = pad(g) with the same paddings and mode, constant 0
#include <cstring>

#include "pad.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("pad_grad of bool is not supported");
  return {c.input(0).dtype, padded_shape(c.input(0).shape, c.attrs.as<PadAttrs>(), false, "pad_grad")};
}
void compute(KernelCtx& c) {
  std::memset(c.out.raw(), 0, c.out.nbytes());
  dispatch_numeric(c.out.dtype(), "pad_grad", [&]<class T>() {
    const T* dy = c.input(0).data<T>();
    T* dx = c.out.data<T>();
    for_each_padded(c.out.shape(), c.attrs.as<PadAttrs>(), [&](std::int64_t o, std::int64_t i) {
      if (i >= 0) dx[i] += dy[o];
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<PadAttrs>();
  return {make_op(op_pad, {c.dy}, PadAttrs{.paddings = a.paddings, .mode = a.mode})};
}
}  // namespace
const OpDef op_pad_grad{.name = "pad_grad", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                        .attrs = &kPadAttrs};
}  // namespace ops
}  // namespace tg
