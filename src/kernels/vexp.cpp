// x = n ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), e^r by its Taylor series to r^13
// (truncation below 1e-17 relative; Estrin's scheme), then scaled by 2^n1 * 2^n2 with
// n1 + n2 = n so that both factors stay normal numbers and a subnormal result is rounded once, as
// std::exp rounds it.
#include "vexp.h"

#include <algorithm>
#include <cstring>

namespace tg::kernels {
namespace {

inline std::int64_t bits_of(double d) {
  std::int64_t i;
  std::memcpy(&i, &d, sizeof i);
  return i;
}
inline double from_bits(std::int64_t i) {
  double d;
  std::memcpy(&d, &i, sizeof d);
  return d;
}

inline double exp_one(double x) {
  const double shifter = 0x1.8p52, log2e = 0x1.71547652b82fep0;
  const double ln2_hi = 0x1.62e42fefa3800p-1, ln2_lo = 0x1.ef35793c7673p-45;
  const bool nan = x != x;
  double xc = nan ? 0.0 : x;
  xc = xc < -1100.0 ? -1100.0 : xc;  // e^-1100 is 0 in double; e^710 is inf
  xc = xc > 710.0 ? 710.0 : xc;
  const double t = xc * log2e + shifter;  // round(x / ln2) lands in t's low mantissa bits
  const double n = t - shifter;
  const double r = (xc - n * ln2_hi) - n * ln2_lo;
  // e^r = 1 + (r + r^2 Q(r)), Q evaluated by Estrin's scheme: a dependency chain of 6 steps, not
  // Horner's 13, which decides the cost when a handful of values is computed (the vector loops
  // overlap iterations anyway). 1 + q is the only rounding at the result's scale.
  const double r2 = r * r, r4 = r2 * r2;
  const double a1 = 1.0 / 2 + r * (1.0 / 6), a2 = 1.0 / 24 + r * (1.0 / 120);
  const double a3 = 1.0 / 720 + r * (1.0 / 5040), a4 = 1.0 / 40320 + r * (1.0 / 362880);
  const double a5 = 1.0 / 3628800 + r * (1.0 / 39916800), a6 = 1.0 / 479001600 + r * (1.0 / 6227020800);
  const double u = (a3 + r2 * a4) + r4 * (a5 + r2 * a6);
  const double Q = (a1 + r2 * a2) + r4 * u;
  const double p = 1.0 + (r + r2 * Q);
  const std::int64_t ni = bits_of(t) - bits_of(shifter);                // n as an integer
  const std::int64_t n1 = static_cast<std::int64_t>(static_cast<std::uint64_t>(ni + 2048) >> 1) - 1024;
  const std::int64_t n2 = ni - n1;
  const double s1 = from_bits((n1 + 1023) << 52), s2 = from_bits((n2 + 1023) << 52);
  const double y = p * s1 * s2;
  return nan ? x : y;
}

// log x = e ln2 + log m with x = m 2^e, m in [sqrt(1/2), sqrt(2)); log m = f - (f^2/2 - s (f^2/2 + R(s^2)))
// with f = m - 1, s = f / (2 + f) and fdlibm's minimax R: within 1 ulp of std::log. NaN, negative
// numbers, 0 and +inf are selected at the end, so the loop stays branch-free.
inline double log_one(double x) {
  const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
  const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
               Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
               Lg7 = 1.479819860511658591e-01;
  const bool bad = !(x > 0) || x == __builtin_inf();
  double xs = bad ? 1.0 : x;
  const bool sub = xs < 0x1p-1022;  // subnormals: scale into the normal range first
  xs = sub ? xs * 0x1p54 : xs;
  const std::int64_t b = bits_of(xs);
  std::int64_t e = static_cast<std::int64_t>((static_cast<std::uint64_t>(b) >> 52) & 0x7ff) - 1023 - (sub ? 54 : 0);
  double m = from_bits((b & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);
  const bool big = m > 0x1.6a09e667f3bcdp0;  // sqrt(2)
  m = big ? m * 0.5 : m;
  e = big ? e + 1 : e;
  // e as a double without an int64 -> double conversion (AVX2 has none): through the mantissa.
  const double de = from_bits(e + 4096 + bits_of(0x1p52)) - 0x1p52 - 4096.0;
  const double f = m - 1.0, s = f / (2.0 + f), z = s * s, w = z * z;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6)), t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double R = t2 + t1, hfsq = 0.5 * f * f;
  const double y = de * ln2_hi - ((hfsq - (s * (hfsq + R) + de * ln2_lo)) - f);
  const double special = x == 0 ? -__builtin_inf() : (x == __builtin_inf() ? x : __builtin_nan(""));
  return bad ? special : y;
}

// tanh x: below |x| = 0.625 Cephes' rational approximation x + x z P(z) / Q(z) (z = x^2); above it
// 1 - 2 / (e^2|x| + 1) with the sign of x, free of cancellation there (the result exceeds 0.55), e^2|x|
// capped where tanh is 1 in double. Branch-free, so the loop vectorises with exp_one's.
inline double tanh_one(double x) {
  const double a = x < 0 ? -x : x;
  const double e = exp_one(2.0 * (a > 40.0 ? 40.0 : a));
  const double big = 1.0 - 2.0 / (e + 1.0);
  const double z = x * x;
  const double P = (-9.64399179425052238628E-1 * z - 9.92877231001918586564E1) * z - 1.61468768441708447952E3;
  const double Q = ((z + 1.12811678491632931402E2) * z + 2.23548839060100448583E3) * z + 4.84406305325125486048E3;
  const double small = x + x * z * P / Q;
  const double r = a < 0.625 ? small : (x < 0 ? -big : big);
  return x != x || x == 0 ? x : r;  // NaN, and the sign of a zero
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void tanh_loop(const double* x, double* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = tanh_one(x[i]);
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void tanh_loop_f32(const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(tanh_one(static_cast<double>(x[i])));
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void log_loop(const double* x, double* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = log_one(x[i]);
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void log_loop_f32(const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(log_one(static_cast<double>(x[i])));
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void exp_loop(const double* x, double* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = exp_one(x[i]);
}

__attribute__((target_clones("arch=x86-64-v4", "avx2", "default"))) void exp_loop_f32(const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = static_cast<float>(exp_one(static_cast<double>(x[i])));
}

}  // namespace

// NOTE: a handful of values (a 2-class softmax row, a 1-point batch) skip the vector loop's set-up
// and take a scalar loop, cloned for FMA as the vector loops are (so a value's result does not
// depend on its tensor's size), and kept scalar: vectorised, its remainder handling cost more.
#define TG_SCALAR_LOOP(name, T, one)                                                                    \
  __attribute__((target_clones("arch=x86-64-v4", "avx2", "default"), optimize("no-tree-vectorize"))) \
  void name(const T* x, T* y, std::int64_t n) {                                                       \
    for (std::int64_t i = 0; i < n; ++i) y[i] = static_cast<T>(one(static_cast<double>(x[i])));        \
  }
TG_SCALAR_LOOP(exp_few, double, exp_one)
TG_SCALAR_LOOP(exp_few_f32, float, exp_one)
TG_SCALAR_LOOP(log_few, double, log_one)
TG_SCALAR_LOOP(log_few_f32, float, log_one)
TG_SCALAR_LOOP(tanh_few, double, tanh_one)
TG_SCALAR_LOOP(tanh_few_f32, float, tanh_one)
#undef TG_SCALAR_LOOP

void exp_array(const double* x, double* y, std::int64_t n) { n >= 8 ? exp_loop(x, y, n) : exp_few(x, y, n); }
void exp_array(const float* x, float* y, std::int64_t n) { n >= 8 ? exp_loop_f32(x, y, n) : exp_few_f32(x, y, n); }
void log_array(const double* x, double* y, std::int64_t n) { n >= 8 ? log_loop(x, y, n) : log_few(x, y, n); }
void log_array(const float* x, float* y, std::int64_t n) { n >= 8 ? log_loop_f32(x, y, n) : log_few_f32(x, y, n); }
void tanh_array(const double* x, double* y, std::int64_t n) { n >= 8 ? tanh_loop(x, y, n) : tanh_few(x, y, n); }
void tanh_array(const float* x, float* y, std::int64_t n) { n >= 8 ? tanh_loop_f32(x, y, n) : tanh_few_f32(x, y, n); }

namespace {
template <class T> void log1p_block(const T* x, T* y, std::int64_t n) {
  constexpr std::int64_t kBlock = 256;
  double w[kBlock], lw[kBlock];
  for (std::int64_t b = 0; b < n; b += kBlock) {
    const std::int64_t m = std::min(kBlock, n - b);
    for (std::int64_t j = 0; j < m; ++j) w[j] = 1.0 + static_cast<double>(x[b + j]);
    log_array(w, lw, m);
    for (std::int64_t j = 0; j < m; ++j) {
      const double xj = static_cast<double>(x[b + j]);
      // w == 1: x below half an ulp of 1, where ln(1 + x) = x; w infinite (or NaN): ln w already is the answer
      const double r = w[j] == 1.0 ? xj : (w[j] - 1.0 == w[j] ? lw[j] : lw[j] * (xj / (w[j] - 1.0)));
      y[b + j] = static_cast<T>(r);
    }
  }
}
}  // namespace

void log1p_array(const double* x, double* y, std::int64_t n) { log1p_block(x, y, n); }
void log1p_array(const float* x, float* y, std::int64_t n) { log1p_block(x, y, n); }

const char* exp_path() {
  __builtin_cpu_init();
  // NOTE: x86-64-v4's AVX-512 subsets spelled one by one: clang 14 knows no "x86-64-v4" here.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "avx512 (x86-64-v4)";
  return __builtin_cpu_supports("avx2") ? "avx2" : "baseline";
}

}  // namespace tg::kernels
