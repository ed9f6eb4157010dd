#pragma once
// A whole LSTM layer over a sequence, for the fused op block_lstm: TensorFlow's LSTMCell math with
// gates i, j, f, o along the kernel's columns (c' = σ(f + forget_bias)·c + σ(i)·tanh(j), h' =
// σ(o)·tanh(c')). The input projection of every step is one product; each step adds h_{t-1}·K_h. The
// backward pass reads the activated gates and cells the forward pass keeps, and computes the
// weights' gradients as one product each over all steps.
#include <cstdint>

namespace tg::kernels {

struct LstmDims {
  std::int64_t T, B, I, U;  // steps, batch, input features, units
};

/// x [T,B,I], c0 and h0 [B,U], K [I+U,4U], bias [4U] -> h [T,B,U], c [T,B,U] (every step's cell) and
/// gates [T,B,4U] (the activated i, j, f, o).
template <class T>
void lstm_forward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias, double forget_bias,
                  T* h, T* c, T* gates);
/// The gradients given dh [T,B,U] (w.r.t. every h_t) and dc_last [B,U] (w.r.t. c_T), and the forward
/// pass's h, c and gates: dx [T,B,I], dc0 and dh0 [B,U], dK [I+U,4U], dbias [4U]. `work` holds
/// T·B·(4U + U) + 2·B·U elements.
template <class T>
void lstm_backward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* h, const T* c,
                   const T* gates, const T* dh, const T* dc_last, T* dx, T* dc0, T* dh0, T* dK, T* dbias, T* work);

}  // namespace tg::kernels
