#pragma once
// Batch normalization over every axis but the channel axis, x viewed as [outer, C, inner]
// (NHWC or [batch, features]: inner = 1; NCHW: outer = N, inner = H·W).
//   forward:  y = scale (x - mean) rstd + offset,  rstd = 1 / sqrt(var + eps)
//   backward: dx = scale rstd (dy - mean(dy) - x̂ mean(dy x̂)),  x̂ = (x - mean) rstd  (batch statistics)
// float64 (and float32 without oneDNN) on the reference loops; float32 through oneDNN's
// batch_normalization primitives when TG_HAVE_DNNL, unless `reference` is asked for (tests).
#include <cstdint>

#include "tensorgraph/dtype.h"
#include "tensorgraph/shape.h"

namespace tg::kernels {

struct BatchNormDims {
  std::int64_t outer = 1, channels = 1, inner = 1;
  std::int64_t count() const { return outer * inner; }  // values per channel
};
/// The [outer, C, inner] view of `x` with its channel axis `channel_axis`.
BatchNormDims batch_norm_dims(const Shape& x, int channel_axis);

/// y from x; `mean` and `var` null: the batch statistics (training), else the given ones.
void batch_norm_forward(DType dtype, const void* x, const void* scale, const void* offset, const void* mean,
                        const void* var, void* y, const BatchNormDims& d, double epsilon, bool reference = false);
/// dx of the training-mode forward (batch statistics) from dy.
void batch_norm_backward(DType dtype, const void* dy, const void* x, const void* scale, void* dx,
                         const BatchNormDims& d, double epsilon, bool reference = false);

}  // namespace tg::kernels
