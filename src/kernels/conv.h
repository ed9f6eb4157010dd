#pragma once
// 2-D convolution kernels, TensorFlow's conv2d: images NHWC or NCHW, filters HWIO [kh, kw, ic, oc]
//   y[n, i, j, o] = Σ_{p, q, c} x[n, i·sh - pt + p·dh, j·sw - pl + q·dw, c] · w[p, q, c, o]
// (x is 0 outside the image), and its two adjoints: backward data dx = Σ dy · w (scattered) and
// backward weights dw = Σ x · dy. A reference loop nest for float32/float64 (float64 always uses
// it), and float32 through oneDNN's convolution primitives when the library has it.
#include <cstdint>
#include <string>

#include "tensorgraph/dtype.h"
#include "window.h"

namespace tg::kernels {

/// Every size of one convolution (all known).
struct ConvGeometry {
  DataFormat format = DataFormat::nhwc;
  std::int64_t n = 0, ih = 0, iw = 0, ic = 0;  // input
  std::int64_t oh = 0, ow = 0, oc = 0;         // output
  std::int64_t kh = 0, kw = 0;                 // filter
  std::int64_t sh = 1, sw = 1, dh = 1, dw = 1;  // strides, dilations (TensorFlow's: 1 is dense)
  std::int64_t pt = 0, pl = 0, pb = 0, pr = 0;  // padding: top, left, bottom, right
  /// Multiply-adds of one pass.
  std::int64_t work() const { return n * oh * ow * oc * kh * kw * ic; }
  /// "[n,ih,iw,ic] * [kh,kw,ic,oc] -> [n,oh,ow,oc] strides s dilations d pads t,l,b,r NHWC" (a cache key, errors).
  std::string str() const;
};

enum class ConvPath { automatic, reference };
enum class ConvPass { forward, backward_data, backward_weights };

/// One pass: forward y = conv(x, w); backward_data dx from (dy, w); backward_weights dw from (x, dy).
/// `a`, `b` are the pass's two operands in that order, `out` its result (fully overwritten).
/// float32 takes oneDNN unless `path` is reference; `what` names the op in errors.
void conv2d(ConvPass pass, DType dtype, const ConvGeometry& g, const void* a, const void* b, void* out,
            const std::string& what, ConvPath path = ConvPath::automatic);

#ifdef TG_HAVE_DNNL
/// The oneDNN pass (float32 only): conv_dnnl.cpp.
void conv2d_dnnl(ConvPass pass, const ConvGeometry& g, const float* a, const float* b, float* out,
                 const std::string& what);
#endif

}  // namespace tg::kernels
