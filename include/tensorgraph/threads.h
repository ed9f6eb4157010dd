#pragma once
// One thread budget for the whole library: tensorgraph's own kernels run on the calling thread,
// and the BLAS (matmul) uses at most this many threads.

namespace tg {

/// Sets how many threads tensorgraph may use (>= 1); throws tg::Error otherwise.
void set_num_threads(int n);
/// The current budget (by default the BLAS's own choice: the machine's cores).
int num_threads();

}  // namespace tg
