#include "conv.h"

#include <cstring>
#include <sstream>

#include "tensorgraph/error.h"

namespace tg::kernels {

std::string ConvGeometry::str() const {
  std::ostringstream s;
  s << '[' << n << ',' << ih << ',' << iw << ',' << ic << "] * [" << kh << ',' << kw << ',' << ic << ',' << oc
    << "] -> [" << n << ',' << oh << ',' << ow << ',' << oc << "] strides " << sh << ',' << sw << " dilations " << dh
    << ',' << dw << " pads " << pt << ',' << pl << ',' << pb << ',' << pr
    << (format == DataFormat::nhwc ? " NHWC" : " NCHW");
  return s.str();
}

namespace {

// Element strides of a 4-D image by meaning (n, h, w, c).
struct ImageStrides {
  std::int64_t n, h, w, c;
};
ImageStrides strides_of(DataFormat f, std::int64_t h, std::int64_t w, std::int64_t c) {
  return f == DataFormat::nhwc ? ImageStrides{h * w * c, w * c, c, 1} : ImageStrides{c * h * w, w, 1, h * w};
}

// Calls f(x offset, w offset, y offset) for every filter tap (n, oh, ow, kh, kw) inside the image:
// the channels are left to f (x's at x + c·xs.c, y's at y + o·ys.c, w's at w + c·oc + o).
template <class F> void for_each_tap(const ConvGeometry& g, const ImageStrides& xs, const ImageStrides& ys, F f) {
  for (std::int64_t n = 0; n < g.n; ++n)
    for (std::int64_t i = 0; i < g.oh; ++i)
      for (std::int64_t j = 0; j < g.ow; ++j)
        for (std::int64_t p = 0; p < g.kh; ++p) {
          const std::int64_t h = i * g.sh - g.pt + p * g.dh;
          if (h < 0 || h >= g.ih) continue;
          for (std::int64_t q = 0; q < g.kw; ++q) {
            const std::int64_t w = j * g.sw - g.pl + q * g.dw;
            if (w < 0 || w >= g.iw) continue;
            f(n * xs.n + h * xs.h + w * xs.w, (p * g.kw + q) * g.ic * g.oc, n * ys.n + i * ys.h + j * ys.w);
          }
        }
}

template <class T> void reference(ConvPass pass, const ConvGeometry& g, const T* a, const T* b, T* out) {
  const ImageStrides xs = strides_of(g.format, g.ih, g.iw, g.ic), ys = strides_of(g.format, g.oh, g.ow, g.oc);
  const std::int64_t ic = g.ic, oc = g.oc, xc = xs.c, yc = ys.c;
  switch (pass) {
    case ConvPass::forward:  // a = x, b = w, out = y
      std::memset(out, 0, sizeof(T) * static_cast<std::size_t>(g.n * g.oh * g.ow * oc));
      for_each_tap(g, xs, ys, [&](std::int64_t x, std::int64_t w, std::int64_t y) {
        for (std::int64_t c = 0; c < ic; ++c) {
          const T xv = a[x + c * xc];
          const T* wr = b + w + c * oc;
          for (std::int64_t o = 0; o < oc; ++o) out[y + o * yc] += xv * wr[o];
        }
      });
      return;
    case ConvPass::backward_data:  // a = dy, b = w, out = dx
      std::memset(out, 0, sizeof(T) * static_cast<std::size_t>(g.n * g.ih * g.iw * ic));
      for_each_tap(g, xs, ys, [&](std::int64_t x, std::int64_t w, std::int64_t y) {
        for (std::int64_t c = 0; c < ic; ++c) {
          const T* wr = b + w + c * oc;
          T sum = 0;
          for (std::int64_t o = 0; o < oc; ++o) sum += a[y + o * yc] * wr[o];
          out[x + c * xc] += sum;
        }
      });
      return;
    case ConvPass::backward_weights:  // a = x, b = dy, out = dw
      std::memset(out, 0, sizeof(T) * static_cast<std::size_t>(g.kh * g.kw * ic * oc));
      for_each_tap(g, xs, ys, [&](std::int64_t x, std::int64_t w, std::int64_t y) {
        for (std::int64_t c = 0; c < ic; ++c) {
          const T xv = a[x + c * xc];
          T* wr = out + w + c * oc;
          for (std::int64_t o = 0; o < oc; ++o) wr[o] += xv * b[y + o * yc];
        }
      });
      return;
  }
}

}  // namespace

void conv2d(ConvPass pass, DType dtype, const ConvGeometry& g, const void* a, const void* b, void* out,
            const std::string& what, ConvPath path) {
#ifdef TG_HAVE_DNNL
  if (dtype == DType::f32 && path == ConvPath::automatic && g.work() > 0)
    return conv2d_dnnl(pass, g, static_cast<const float*>(a), static_cast<const float*>(b), static_cast<float*>(out),
                       what);
#else
  (void)path;
#endif
  dispatch_float(dtype, what.c_str(), [&]<class T>() {
    reference<T>(pass, g, static_cast<const T*>(a), static_cast<const T*>(b), static_cast<T*>(out));
  });
}

}  // namespace tg::kernels
