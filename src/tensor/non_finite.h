#pragma once
#include <string>

#include "tensorgraph/tensor.h"

namespace tg {

/// "" when every element of x is finite (always for ints and bools), else e.g. "2 NaN and 1 Inf
/// values among 6 (float64 [2, 3]); the first at flat index 4 [1, 1] is nan".
std::string describe_non_finite(const Tensor& x);

}  // namespace tg
