#pragma once
// What block_lstm and block_lstm_grad share: the attribute, the inputs' shape rule and the sizes.
#include "../kernels/lstm.h"
#include "op_helpers.h"

namespace tg::ops {
struct BlockLstmAttrs {
  double forget_bias = 1.0;  // added to the forget gate's pre-activation
};
extern const AttrSchema kBlockLstmAttrs;

/// Checks inputs 0..4 (x [T,B,I], c0 [B,U], h0 [B,U], kernel [I+U,4U], bias [4U]: one float dtype,
/// sizes that agree where known); returns the dtype and sets T, B, I, U (-1 where unknown).
DType block_lstm_inputs(const InferCtx& c, const char* what, kernels::LstmDims& d);
/// The sizes of concrete inputs.
kernels::LstmDims block_lstm_dims(const Tensor& x, const Tensor& kernel);
}  // namespace tg::ops
