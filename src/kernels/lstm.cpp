#include "lstm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "gemm.h"
#include "tensorgraph/dtype.h"

namespace tg::kernels {
namespace {
template <class T> constexpr DType dtype_of() { return sizeof(T) == 4 ? DType::f32 : DType::f64; }
template <class T> T sigmoid(T v) { return T(1) / (T(1) + std::exp(-v)); }

// C[m,n] (row-major, contiguous) = alpha·op(A)·op(B) + beta·C with the given element strides.
template <class T>
void product(const T* a, std::int64_t a_row, std::int64_t a_col, const T* b, std::int64_t b_row, std::int64_t b_col,
             T* c, std::int64_t m, std::int64_t n, std::int64_t k, double beta) {
  gemm(dtype_of<T>(), a, b, c, MatmulDims{m, n, k, a_row, a_col, b_row, b_col}, GemmPath::automatic, 1.0, beta);
}
// The reference forward pass, keeping what the backward pass reads: c [T,B,U] (every step's cell)
// and gates [T,B,4U] (the activated i, j, f, o).
template <class T>
void forward_keeping(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias,
                     double forget_bias, T* h, T* c, T* gates) {
  const std::int64_t G = 4 * d.U, rows = d.T * d.B;
  if (rows == 0) return;
  // every step's x_t·K_x at once: [T·B, I]·[I, 4U]
  if (d.I > 0) product(x, d.I, 1, K, G, 1, gates, rows, G, d.I, 0.0);
  else std::fill(gates, gates + rows * G, T(0));
  for (std::int64_t t = 0; t < d.T; ++t) {
    T* g = gates + t * d.B * G;
    const T* h_prev = t ? h + (t - 1) * d.B * d.U : h0;
    const T* c_prev = t ? c + (t - 1) * d.B * d.U : c0;
    product(h_prev, d.U, 1, K + d.I * G, G, 1, g, d.B, G, d.U, 1.0);  // + h_{t-1}·K_h
    for (std::int64_t b = 0; b < d.B; ++b) {
      T* z = g + b * G;
      for (std::int64_t u = 0; u < d.U; ++u) {
        const T i = sigmoid(z[u] + bias[u]), j = std::tanh(z[d.U + u] + bias[d.U + u]);
        const T f = sigmoid(z[2 * d.U + u] + bias[2 * d.U + u] + static_cast<T>(forget_bias));
        const T o = sigmoid(z[3 * d.U + u] + bias[3 * d.U + u]);
        const T cn = f * c_prev[b * d.U + u] + i * j;
        c[(t * d.B + b) * d.U + u] = cn;
        h[(t * d.B + b) * d.U + u] = o * std::tanh(cn);
        z[u] = i, z[d.U + u] = j, z[2 * d.U + u] = f, z[3 * d.U + u] = o;
      }
    }
  }
}

// The reference backward pass from forward_keeping's h, c and gates; `work` holds
// T·B·(4U + U) + 2·B·U elements.
template <class T>
void backward_from(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* h, const T* c,
                   const T* gates, const T* dh, const T* dc_last, T* dx, T* dc0, T* dh0, T* dK, T* dbias, T* work) {
  const std::int64_t G = 4 * d.U, rows = d.T * d.B, BU = d.B * d.U;
  T* dz = work;                  // [T·B, 4U]: the gradient w.r.t. each step's pre-activations
  T* h_prev_all = dz + rows * G;  // [T·B, U]: h_{t-1} for every step
  T* dh_next = h_prev_all + rows * d.U;
  T* dc_next = dh_next + BU;
  std::fill(dh_next, dh_next + BU, T(0));
  std::copy(dc_last, dc_last + BU, dc_next);
  for (std::int64_t t = d.T - 1; t >= 0; --t) {
    const T* g = gates + t * d.B * G;
    const T* c_prev = t ? c + (t - 1) * BU : c0;
    T* z = dz + t * d.B * G;
    for (std::int64_t b = 0; b < d.B; ++b)
      for (std::int64_t u = 0; u < d.U; ++u) {
        const std::int64_t k = b * d.U + u, at = b * G;
        const T i = g[at + u], j = g[at + d.U + u], f = g[at + 2 * d.U + u], o = g[at + 3 * d.U + u];
        const T tc = std::tanh(c[t * BU + k]);
        const T dht = dh[t * BU + k] + dh_next[k];
        const T dct = dc_next[k] + dht * o * (T(1) - tc * tc);
        z[at + u] = dct * j * i * (T(1) - i);                           // d/d z_i
        z[at + d.U + u] = dct * i * (T(1) - j * j);                     // d/d z_j
        z[at + 2 * d.U + u] = dct * c_prev[k] * f * (T(1) - f);         // d/d z_f
        z[at + 3 * d.U + u] = dht * tc * o * (T(1) - o);                // d/d z_o
        dc_next[k] = dct * f;
      }
    product(z, G, 1, K + d.I * G, 1, G, dh_next, d.B, d.U, G, 0.0);  // dh_{t-1} = dz_t·K_hᵀ
  }
  std::copy(dc_next, dc_next + BU, dc0);
  std::copy(dh_next, dh_next + BU, dh0);
  if (rows == 0) {
    std::fill(dK, dK + (d.I + d.U) * G, T(0));
    std::fill(dbias, dbias + G, T(0));
    std::fill(dx, dx + rows * d.I, T(0));
    return;
  }
  if (d.I > 0) {
    product(dz, G, 1, K, 1, G, dx, rows, d.I, G, 0.0);    // dx = dz·K_xᵀ
    product(x, 1, d.I, dz, G, 1, dK, d.I, G, rows, 0.0);  // dK_x = xᵀ·dz over every step
  }
  std::copy(h0, h0 + BU, h_prev_all);
  std::copy(h, h + (d.T - 1) * BU, h_prev_all + BU);
  product(h_prev_all, 1, d.U, dz, G, 1, dK + d.I * G, d.U, G, rows, 0.0);  // dK_h = h_prevᵀ·dz
  std::fill(dbias, dbias + G, T(0));
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t k = 0; k < G; ++k) dbias[k] += dz[r * G + k];
}

template <class T> std::vector<T> buffer(std::int64_t n) { return std::vector<T>(static_cast<std::size_t>(n)); }
}  // namespace

template <class T>
void lstm_forward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias, double forget_bias,
                  T* h, T* c_last, LstmPath path) {
  if constexpr (std::is_same_v<T, float>)
    if (path == LstmPath::automatic && lstm_forward_dnnl(d, x, c0, h0, K, bias, forget_bias, h, c_last)) return;
  std::vector<T> cells = buffer<T>(d.T * d.B * d.U), gates = buffer<T>(d.T * d.B * 4 * d.U);
  forward_keeping(d, x, c0, h0, K, bias, forget_bias, h, cells.data(), gates.data());
  const T* last = d.T ? cells.data() + (d.T - 1) * d.B * d.U : c0;
  std::copy(last, last + d.B * d.U, c_last);
}

template <class T>
void lstm_backward(const LstmDims& d, const T* x, const T* c0, const T* h0, const T* K, const T* bias,
                   double forget_bias, const T* dh, const T* dc_last, T* dx, T* dc0, T* dh0, T* dK, T* dbias,
                   LstmPath path) {
  if constexpr (std::is_same_v<T, float>)
    if (path == LstmPath::automatic &&
        lstm_backward_dnnl(d, x, c0, h0, K, bias, forget_bias, dh, dc_last, dx, dc0, dh0, dK, dbias))
      return;
  const std::int64_t BU = d.B * d.U;
  std::vector<T> h = buffer<T>(d.T * BU), cells = buffer<T>(d.T * BU), gates = buffer<T>(d.T * d.B * 4 * d.U);
  std::vector<T> work = buffer<T>(d.T * d.B * 5 * d.U + 2 * BU);
  forward_keeping(d, x, c0, h0, K, bias, forget_bias, h.data(), cells.data(), gates.data());
  backward_from(d, x, c0, h0, K, h.data(), cells.data(), gates.data(), dh, dc_last, dx, dc0, dh0, dK, dbias,
                work.data());
}

#define TG_LSTM_INSTANTIATE(T)                                                                                     \
  template void lstm_forward<T>(const LstmDims&, const T*, const T*, const T*, const T*, const T*, double, T*, T*,   \
                                LstmPath);                                                                        \
  template void lstm_backward<T>(const LstmDims&, const T*, const T*, const T*, const T*, const T*, double, const T*, \
                                 const T*, T*, T*, T*, T*, T*, LstmPath);
TG_LSTM_INSTANTIATE(float)
TG_LSTM_INSTANTIATE(double)
#undef TG_LSTM_INSTANTIATE

}  // namespace tg::kernels
