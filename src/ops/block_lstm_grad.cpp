// block_lstm's gradient w.r.t. all five inputs at once, given dy [T+1, B, U] (the gradient of its
// packed output: every h_t, then c_T): one flat tensor [dx (T·B·I), dc0 (B·U), dh0 (B·U),
// dkernel ((I+U)·4U), dbias (4U)]. Recomputes the forward pass, then runs the recurrence backwards
// (kernels/lstm.h: oneDNN for float32). Inputs (x, c0, h0, kernel, bias, dy); not differentiable itself.
#include "block_lstm.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  kernels::LstmDims d;
  const DType dtype = common_dtype({block_lstm_inputs(c, "block_lstm_grad", d), {}}, c.input(5));
  const Shape want({d.T < 0 ? -1 : d.T + 1, d.B, d.U});
  if (!agree(want, c.input(5).shape))
    throw ShapeError("block_lstm_grad: dy " + c.input(5).shape.str() + " is not shaped like block_lstm's output " +
                     want.str());
  const bool known = d.T >= 0 && d.B >= 0 && d.I >= 0 && d.U >= 0;
  return {dtype, Shape({known ? d.T * d.B * d.I + 2 * d.B * d.U + (d.I + d.U) * 4 * d.U + 4 * d.U : -1})};
}
void compute(KernelCtx& c) {
  const kernels::LstmDims d = block_lstm_dims(c.input(0), c.input(3));
  dispatch_float(c.out.dtype(), "block_lstm_grad", [&]<class T>() {
    const std::int64_t BU = d.B * d.U;
    const T* dy = c.input(5).data<T>();
    T* dx = c.out.data<T>();
    T* dc0 = dx + d.T * d.B * d.I;
    T* dh0 = dc0 + BU;
    T* dK = dh0 + BU;
    T* dbias = dK + (d.I + d.U) * 4 * d.U;
    kernels::lstm_backward<T>(d, c.input(0).data<T>(), c.input(1).data<T>(), c.input(2).data<T>(),
                              c.input(3).data<T>(), c.input(4).data<T>(), c.attrs.as<BlockLstmAttrs>().forget_bias, dy,
                              dy + d.T * BU, dx, dc0, dh0, dK, dbias);
  });
}
}  // namespace
const OpDef op_block_lstm_grad{.name = "block_lstm_grad", .num_inputs = 6, .infer = infer, .compute = compute,
                               .attrs = &kBlockLstmAttrs};
}  // namespace ops
}  // namespace tg
