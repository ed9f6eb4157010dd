#pragma once
// C = op(A)·op(B) for float32/float64: OpenBLAS when the product is big enough to pay for the
// call, the reference loops of matmul.h otherwise. Transposes are BLAS flags, never copies.
#include "matmul.h"
#include "tensorgraph/dtype.h"

namespace tg::kernels {

enum class GemmPath { automatic, reference, blas };

/// The thread budget when there is no BLAS to hold it (see tensorgraph/threads.h).
int& detail_threads();
/// True when the library was built with a BLAS.
bool blas_available();
/// C = op(A)·op(B); `path` forces one implementation (tests compare them).
void gemm(DType dtype, const void* a, const void* b, void* c, const MatmulDims& d,
          GemmPath path = GemmPath::automatic);

}  // namespace tg::kernels
