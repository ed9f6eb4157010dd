#pragma once
// 2-D max and average pooling over a batch of images (NHWC or NCHW), TensorFlow's semantics:
// max ignores the padding (as TensorFlow's -inf padding), the average excludes it from the count.
// Reference loops (templated, float64 always) and, for float32 with oneDNN, its pooling
// primitives (pooling_max / pooling_avg_exclude_padding, uneven SAME via padding_l/padding_r).
#include <cstdint>
#include <string>

#include "tensorgraph/tensor.h"
#include "window.h"

namespace tg::kernels {

/// The geometry of one pooling: input and output sizes, window, strides, padding, layout.
struct PoolGeom {
  DataFormat format = DataFormat::nhwc;
  std::int64_t n = 0, h = 0, w = 0, c = 0, oh = 0, ow = 0;
  std::int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  std::int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
};

enum class PoolKind { max, avg };
/// Which implementation runs: oneDNN for float32 where available (auto), or the reference loops.
enum class PoolPath { automatic, reference };

/// y = pool(x); y is allocated with the output shape.
void pool_forward(PoolKind kind, const PoolGeom& g, const Tensor& x, Tensor& y, PoolPath path = PoolPath::automatic);
/// dx for max pooling: each dy goes to the first maximum of its window (row-major window order),
/// recomputed from x, as TensorFlow's CPU kernel; dx is allocated with x's shape.
void max_pool_backward(const PoolGeom& g, const Tensor& x, const Tensor& dy, Tensor& dx,
                       PoolPath path = PoolPath::automatic);
/// out[o] = g_in[argmax of window o of x] (the adjoint of max_pool_backward in dy); reference loops.
void max_pool_select(const PoolGeom& g, const Tensor& x, const Tensor& gin, Tensor& out);
/// dx for average pooling: dy / count spread over each window's input elements (padding excluded).
void avg_pool_backward(const PoolGeom& g, const Tensor& dy, Tensor& dx, PoolPath path = PoolPath::automatic);

}  // namespace tg::kernels
