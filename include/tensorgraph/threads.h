#pragma once
// One thread budget for the whole library: oneDNN (matmul, convolution, pooling, batch norm), the
// BLAS and the element-wise kernels on large tensors (from 2^16 elements) use at most this many
// threads; small kernels run on the calling thread.

namespace tg {

/// Sets how many threads tensorgraph may use (>= 1); throws tg::Error otherwise.
void set_num_threads(int n);
/// The current budget (by default the BLAS's own choice: the machine's cores).
int num_threads();

}  // namespace tg
