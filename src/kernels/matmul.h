#pragma once
// Reference matmul: C[M,N] = op(A)[M,K] · op(B)[K,N], any element strides. Loop orders keep the
// innermost loop contiguous where the layout allows, so the compiler vectorises it.
#include <cstdint>

#include "tensorgraph/shape.h"

namespace tg::kernels {

struct MatmulDims {
  std::int64_t m, n, k;
  std::int64_t a_row, a_col;  // element strides of op(A) along M and K
  std::int64_t b_row, b_col;  // element strides of op(B) along K and N
};

/// Dimensions and strides of op(A)·op(B) for 1-D/2-D operands (shapes already checked).
inline MatmulDims matmul_dims(const Shape& a, const Shape& b, bool ta, bool tb) {
  MatmulDims d{};
  if (a.rank() == 2) {
    d.m = ta ? a[1] : a[0];
    d.k = ta ? a[0] : a[1];
    d.a_row = ta ? 1 : a[1];
    d.a_col = ta ? a[1] : 1;
  } else {
    d.m = 1, d.k = a[0], d.a_row = 0, d.a_col = 1;
  }
  if (b.rank() == 2) {
    d.n = tb ? b[0] : b[1];
    d.b_row = tb ? 1 : b[1];
    d.b_col = tb ? b[1] : 1;
  } else {
    d.n = 1, d.b_row = 1, d.b_col = 0;
  }
  return d;
}

/// c[i, :] = sum_k a[i, k] * b[k, :] with a compile-time row width N (tiny layers: N <= 4); b's
/// columns may be strided (a transposed b: the gradient G·Wᵀ of a tiny layer).
template <int N, class T> void matmul_narrow(const T* a, const T* b, T* c, const MatmulDims& d) {
  const std::int64_t bc = d.n == 1 ? 0 : d.b_col;
  for (std::int64_t i = 0; i < d.m; ++i) {
    T acc[N] = {};
    for (std::int64_t k = 0; k < d.k; ++k) {
      const T aik = a[i * d.a_row + k * d.a_col];
      const T* bk = b + k * d.b_row;
      for (int j = 0; j < N; ++j) acc[j] += aik * bk[j * bc];
    }
    for (int j = 0; j < N; ++j) c[i * N + j] = acc[j];
  }
}

/// c = a·b for b of at most 4x4 (compile-time K x N), held in registers across the rows of a.
template <int K, int N, class T> void matmul_tiny(const T* a, const T* b, T* c, const MatmulDims& d) {
  const std::int64_t bc = d.n == 1 ? 0 : d.b_col;
  T bb[K][N];
  for (int k = 0; k < K; ++k)
    for (int j = 0; j < N; ++j) bb[k][j] = b[k * d.b_row + j * bc];
  for (std::int64_t i = 0; i < d.m; ++i) {
    const T* ai = a + i * d.a_row;
    T acc[N] = {};
    for (int k = 0; k < K; ++k)
      for (int j = 0; j < N; ++j) acc[j] += ai[k * d.a_col] * bb[k][j];
    for (int j = 0; j < N; ++j) c[i * N + j] = acc[j];
  }
}

/// Output width N <= 4: b in registers when K <= 4 too, else the narrow kernel.
template <int N, class T> void matmul_small_n(const T* a, const T* b, T* c, const MatmulDims& d) {
  switch (d.k) {
    case 1: return matmul_tiny<1, N>(a, b, c, d);
    case 2: return matmul_tiny<2, N>(a, b, c, d);  // the tutorial's forward products: [100, 2]·[2, 2]
    case 3: return matmul_tiny<3, N>(a, b, c, d);
    case 4: return matmul_tiny<4, N>(a, b, c, d);
    default: return matmul_narrow<N>(a, b, c, d);
  }
}

template <class T> void matmul(const T* a, const T* b, T* c, const MatmulDims& d) {
  switch (d.n) {  // NOTE: the tutorial's 2-unit layers take these paths
    case 1: return matmul_small_n<1>(a, b, c, d);
    case 2: return matmul_small_n<2>(a, b, c, d);
    case 3: return matmul_small_n<3>(a, b, c, d);
    case 4: return matmul_small_n<4>(a, b, c, d);
    default: break;
  }
  for (std::int64_t i = 0; i < d.m * d.n; ++i) c[i] = T(0);
  if (d.b_col == 1) {
    // c[i, :] += a[i, k] * b[k, :]  (b rows contiguous)
    for (std::int64_t i = 0; i < d.m; ++i) {
      T* ci = c + i * d.n;
      for (std::int64_t k = 0; k < d.k; ++k) {
        const T aik = a[i * d.a_row + k * d.a_col];
        const T* bk = b + k * d.b_row;
        for (std::int64_t j = 0; j < d.n; ++j) ci[j] += aik * bk[j];
      }
    }
    return;
  }
  // b transposed: c[i, j] = sum_k a[i, k] * b[k, j] with b[k, j] contiguous along k.
  for (std::int64_t i = 0; i < d.m; ++i)
    for (std::int64_t j = 0; j < d.n; ++j) {
      T s = T(0);
      const T* bj = b + j * d.b_col;
      for (std::int64_t k = 0; k < d.k; ++k) s += a[i * d.a_row + k * d.a_col] * bj[k * d.b_row];
      c[i * d.n + j] = s;
    }
}

}  // namespace tg::kernels
