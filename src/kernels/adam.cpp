#include "adam.h"

#include <cmath>

#include "parallel.h"

namespace tg::kernels {
namespace {
template <class T>
inline void adam_loop(T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v, std::int64_t n,
                      const AdamStep<T>& s) {
  for (std::int64_t k = 0; k < n; ++k) {
    m[k] = s.b1 * m[k] + s.ub1 * g[k];
    v[k] = s.b2 * v[k] + s.ub2 * g[k] * g[k];
    p[k] -= s.step_size * m[k] / (std::sqrt(v[k]) / s.root_bc2 + s.eps);
  }
}
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void adam_f32(
    float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep<float>& s) {
  adam_loop(p, g, m, v, n, s);
}
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void adam_f64(
    double* p, const double* g, double* m, double* v, std::int64_t n, const AdamStep<double>& s) {
  adam_loop(p, g, m, v, n, s);
}
// NOTE: chunks start at multiples of 16 elements, so each thread's vector loop stays aligned alike
// and an element's result does not depend on the thread count.
constexpr std::int64_t kAlign = 16;
}  // namespace

void adam_update(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep<float>& s) {
  parallel_for(n, kAlign, [&](std::int64_t b, std::int64_t e) { adam_f32(p + b, g + b, m + b, v + b, e - b, s); },
               n * 4);  // NOTE: 7 streams and a sqrt and a division per element: worth threads early
}
void adam_update(double* p, const double* g, double* m, double* v, std::int64_t n, const AdamStep<double>& s) {
  parallel_for(n, kAlign, [&](std::int64_t b, std::int64_t e) { adam_f64(p + b, g + b, m + b, v + b, e - b, s); },
               n * 4);
}

}  // namespace tg::kernels
