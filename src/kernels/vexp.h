#pragma once
// e^x and ln x over arrays, written so that the loops vectorise (no branches, no calls): the
// library's exp, log, sigmoid, softmax and cross-entropy kernels use them. Accuracy: within 2 ulp of std::exp on
// the whole double range, subnormal results included (tests/test_kernels.cpp checks it).
#include <cstdint>

namespace tg::kernels {

/// y[i] = e^x[i]; y may alias x. Runs the AVX-512 or AVX2 build of the loop where the CPU has it.
void exp_array(const double* x, double* y, std::int64_t n);
/// float32 version (computed in double, rounded once).
void exp_array(const float* x, float* y, std::int64_t n);
/// y[i] = ln x[i] (NaN below 0, -inf at 0); within 1 ulp of std::log; y may alias x.
void log_array(const double* x, double* y, std::int64_t n);
/// float32 version (computed in double, rounded once).
void log_array(const float* x, float* y, std::int64_t n);
/// y[i] = ln(1 + x[i]), accurate near 0 (within 2 ulp of std::log1p) with log_array's speed: ln w
/// with w = 1 + x rounded, times x / (w - 1), which cancels w's rounding (Goldberg); y may alias x.
void log1p_array(const double* x, double* y, std::int64_t n);
/// float32 version (computed in double, rounded once).
void log1p_array(const float* x, float* y, std::int64_t n);
/// y[i] = tanh x[i] (within 2 ulp of std::tanh); y may alias x.
void tanh_array(const double* x, double* y, std::int64_t n);
/// float32 version (computed in double, rounded once).
void tanh_array(const float* x, float* y, std::int64_t n);
/// The code path exp_array and log_array take on this CPU: "avx512 (x86-64-v4)", "avx2" or "baseline".
const char* exp_path();

}  // namespace tg::kernels
