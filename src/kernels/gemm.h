#pragma once
// C = op(A)·op(B) for float32/float64: oneDNN (float32) or OpenBLAS (float64) when the product is
// big enough to pay for the call, the reference loops of matmul.h otherwise. Transposes are
// flags, never copies.
#include <atomic>
#include <string>

#include "matmul.h"
#include "tensorgraph/dtype.h"

namespace tg::kernels {

enum class GemmPath { automatic, reference, blas };

/// The thread budget when there is no BLAS to hold it (see tensorgraph/threads.h).
std::atomic<int>& detail_threads();
/// The threads a call of `work` multiply-adds runs on: the budget from 256^3 up, else 1 (see gemm.cpp).
int threads_for(std::int64_t work);
/// True when the library was built with a BLAS.
bool blas_available();
/// Which libraries and instruction sets run the products, e.g. "float32: oneDNN 2.7.3 (avx512_core_bf16); ...".
std::string gemm_backends();
/// C = alpha·op(A)·op(B) + beta·C (C is not read when beta is 0); `path` forces one
/// implementation (tests compare them).
void gemm(DType dtype, const void* a, const void* b, void* c, const MatmulDims& d,
          GemmPath path = GemmPath::automatic, double alpha = 1, double beta = 0);

}  // namespace tg::kernels
