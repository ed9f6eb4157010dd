#pragma once
// e^x over arrays, written so that the loop vectorises (no branches, no calls): the library's
// exp, sigmoid, softmax and cross-entropy kernels use it. Accuracy: within 2 ulp of std::exp on
// the whole double range, subnormal results included (tests/test_kernels.cpp checks it).
#include <cstdint>

namespace tg::kernels {

/// y[i] = e^x[i]; y may alias x. Runs the AVX2 build of the loop where the CPU has it.
void exp_array(const double* x, double* y, std::int64_t n);
/// float32 version (computed in double, rounded once).
void exp_array(const float* x, float* y, std::int64_t n);
/// The code path exp_array takes on this CPU: "avx2" or "baseline".
const char* exp_path();

}  // namespace tg::kernels
