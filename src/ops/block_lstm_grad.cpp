// block_lstm's gradient w.r.t. all five inputs at once, given dy [T+1, B, U] (the gradient of its
// packed output: every h_t, then c_T): one flat tensor [dx (T·B·I), dc0 (B·U), dh0 (B·U),
// dkernel ((I+U)·4U), dbias (4U)]. Recomputes the forward pass (its gates), then runs the recurrence
// backwards (kernels/lstm.cpp). Inputs (x, c0, h0, kernel, bias, dy); not differentiable itself.
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
    const std::int64_t BU = d.B * d.U, G = 4 * d.U;
    std::vector<T> h(static_cast<std::size_t>(d.T * BU)), cells(h.size()), gates(static_cast<std::size_t>(d.T * d.B * G));
    std::vector<T> work(static_cast<std::size_t>(d.T * d.B * (G + d.U) + 2 * BU));
    const T *x = c.input(0).data<T>(), *c0 = c.input(1).data<T>(), *h0 = c.input(2).data<T>(),
            *K = c.input(3).data<T>(), *dy = c.input(5).data<T>();
    kernels::lstm_forward<T>(d, x, c0, h0, K, c.input(4).data<T>(), c.attrs.as<BlockLstmAttrs>().forget_bias, h.data(),
                             cells.data(), gates.data());
    T* out = c.out.data<T>();
    T* dx = out;
    T* dc0 = dx + d.T * d.B * d.I;
    T* dh0 = dc0 + BU;
    T* dK = dh0 + BU;
    T* dbias = dK + (d.I + d.U) * G;
    kernels::lstm_backward<T>(d, x, c0, h0, K, h.data(), cells.data(), gates.data(), dy, dy + d.T * BU, dx, dc0, dh0,
                              dK, dbias, work.data());
  });
}
}  // namespace
const OpDef op_block_lstm_grad{.name = "block_lstm_grad", .num_inputs = 6, .infer = infer, .compute = compute,
                               .attrs = &kBlockLstmAttrs};
}  // namespace ops
}  // namespace tg
