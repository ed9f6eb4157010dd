#pragma once
// A whole LSTM layer over a sequence, for the fused op block_lstm: TensorFlow's LSTMCell math with
// gates i, j, f, o along the kernel's columns (c' = σ(f + forget_bias)·c + σ(i)·tanh(j), h' =
// σ(o)·tanh(c')). float32 runs through oneDNN's LSTM primitive (lstm_dnnl.cpp) when the library
// has it; float64, and float32 on request, through the reference (lstm.cpp): the input projection
// of every step as one product, h_{t-1}·K_h per step, the weights' gradients one product each.
#include <cstdint>

namespace tg::kernels {

struct LstmDims {
  std::int64_t T, B, I, U;  // steps, batch, input features, units
  std::int64_t work() const { return T * B * (I + U) * 4 * U; }  // multiply-adds of one pass
};

enum class LstmPath { automatic, reference };

/// x [T,B,I], c0 and h0 [B,U], K [I+U,4U], bias [4U] -> h [T,B,U] (every step's output) and
/// c_last [B,U] (the last step's cell; c0 when T is 0).
template <class T>
void lstm_forward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias, double forget_bias,
                  T* h, T* c_last, LstmPath path = LstmPath::automatic);
/// The gradients given dh [T,B,U] (w.r.t. every h_t) and dc_last [B,U] (w.r.t. c_T): dx [T,B,I],
/// dc0 and dh0 [B,U], dK [I+U,4U], dbias [4U]. Runs the forward pass again (its gates and cells).
template <class T>
void lstm_backward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias,
                   double forget_bias, const T* dh, const T* dc_last, T* dx, T* dc0, T* dh0, T* dK, T* dbias,
                   LstmPath path = LstmPath::automatic);

/// The oneDNN passes (lstm_dnnl.cpp): false when the library was built without oneDNN or the sizes
/// are empty, and nothing was written.
bool lstm_forward_dnnl(const LstmDims& d, const float* x, const float* c0, const float* h0, const float* K,
                       const float* bias, double forget_bias, float* h, float* c_last);
bool lstm_backward_dnnl(const LstmDims& d, const float* x, const float* c0, const float* h0, const float* K,
                        const float* bias, double forget_bias, const float* dh, const float* dc_last, float* dx,
                        float* dc0, float* dh0, float* dK, float* dbias);

}  // namespace tg::kernels
