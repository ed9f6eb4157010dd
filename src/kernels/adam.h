#pragma once
// Adam's element-wise update, vectorised for the CPU at hand (AVX-512, AVX2 or baseline) and split
// over threads: the update of the generative models' 650,000 parameters took a fifth of their step.
#include <cstdint>

namespace tg::kernels {

/// The constants of one Adam step (t = step + 1): step_size = lr / (1 - b1^t), root_bc2 = sqrt(1 - b2^t),
/// ub1 = 1 - b1, ub2 = 1 - b2 (each computed in double, then rounded).
template <class T> struct AdamStep {
  T step_size, root_bc2, b1, b2, ub1, ub2, eps;
};

/// m = b1 m + ub1 g;  v = b2 v + ub2 g^2;  p -= step_size m / (sqrt(v) / root_bc2 + eps), element by element.
void adam_update(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep<float>& s);
void adam_update(double* p, const double* g, double* m, double* v, std::int64_t n, const AdamStep<double>& s);

}  // namespace tg::kernels
