// Every fast path against the plain one: the BLAS gemm against the reference loops on awkward
// shapes (batch 1, odd sizes, vectors, every transpose combination), float32 and float64.
#include <gtest/gtest.h>

#include <cmath>

#include "kernels/gemm.h"
#include "tensorgraph/tensor.h"

using namespace tg;

namespace {
template <class T> void compare(const Shape& as, const Shape& bs, bool ta, bool tb, Rng& rng) {
  Tensor a = Tensor::randn(as, rng, dtype_of<T>()), b = Tensor::randn(bs, rng, dtype_of<T>());
  kernels::MatmulDims d = kernels::matmul_dims(as, bs, ta, tb);
  Tensor fast(dtype_of<T>(), {d.m * d.n}), plain(dtype_of<T>(), {d.m * d.n});
  kernels::gemm(dtype_of<T>(), a.raw(), b.raw(), fast.raw(), d, kernels::GemmPath::blas);
  kernels::gemm(dtype_of<T>(), a.raw(), b.raw(), plain.raw(), d, kernels::GemmPath::reference);
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-12;
  for (std::int64_t i = 0; i < d.m * d.n; ++i)
    ASSERT_NEAR(fast.flat(i), plain.flat(i), tol * (1 + std::fabs(plain.flat(i)) + std::sqrt(double(d.k))))
        << as.str() << (ta ? "T" : "") << " x " << bs.str() << (tb ? "T" : "") << " at " << i;
}

template <class T> void all_shapes() {
  Rng rng(11);
  for (std::int64_t m : {1, 2, 7, 33})
    for (std::int64_t k : {1, 3, 17, 64})
      for (std::int64_t n : {1, 5, 31}) {
        for (bool ta : {false, true})
          for (bool tb : {false, true})
            compare<T>(ta ? Shape{k, m} : Shape{m, k}, tb ? Shape{n, k} : Shape{k, n}, ta, tb, rng);
        compare<T>({k}, {k, n}, false, false, rng);     // vector x matrix
        compare<T>({k}, {n, k}, false, true, rng);
        compare<T>({m, k}, {k}, false, false, rng);     // matrix x vector
        compare<T>({k, m}, {k}, true, false, rng);
        compare<T>({k}, {k}, false, false, rng);        // inner product
      }
}
}  // namespace

TEST(Gemm, BlasMatchesReferenceFloat64) {
  if (!kernels::blas_available()) GTEST_SKIP() << "built without BLAS";
  all_shapes<double>();
}

TEST(Gemm, BlasMatchesReferenceFloat32) {
  if (!kernels::blas_available()) GTEST_SKIP() << "built without BLAS";
  all_shapes<float>();
}
