#include "batch_norm.h"

#include <cmath>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "channel_sums.h"
#include "dnnl_support.h"
#include "parallel.h"
#include "tensorgraph/error.h"

namespace tg::kernels {

BatchNormDims batch_norm_dims(const Shape& x, int channel_axis) {
  BatchNormDims d;
  for (int i = 0; i < x.rank(); ++i) (i < channel_axis ? d.outer : i == channel_axis ? d.channels : d.inner) *= x[i];
  return d;
}

namespace {

// Calls f(o, c, i, at) for every element, at its flat index.
template <class F> void each(const BatchNormDims& d, F&& f) {
  for (std::int64_t o = 0, at = 0; o < d.outer; ++o)
    for (std::int64_t c = 0; c < d.channels; ++c)
      for (std::int64_t i = 0; i < d.inner; ++i, ++at) f(c, at);
}

// Per-channel mean and population variance (two passes, accumulated in double).
template <class T> void statistics(const T* x, const BatchNormDims& d, std::vector<double>& mean, std::vector<double>& var) {
  const double n = static_cast<double>(d.count());
  mean = channel_sums<double>(x, d.outer, d.channels, d.inner, [](std::int64_t, double v) { return v; });
  for (double& m : mean) m /= n;
  const double* mu = mean.data();
  var = channel_sums<double>(x, d.outer, d.channels, d.inner,
                           [mu](std::int64_t c, double v) { return (v - mu[c]) * (v - mu[c]); });
  for (double& v : var) v /= n;
}

template <class T>
void forward_ref(const T* x, const T* scale, const T* offset, const T* mean, const T* var, T* y, const BatchNormDims& d,
                 double eps) {
  std::vector<double> m, v;
  if (mean) {
    m.assign(mean, mean + d.channels);
    v.assign(var, var + d.channels);
  } else {
    statistics(x, d, m, v);
  }
  each(d, [&](std::int64_t c, std::int64_t at) {
    const auto k = static_cast<std::size_t>(c);
    y[at] = static_cast<T>((x[at] - m[k]) / std::sqrt(v[k] + eps) * scale[c] + offset[c]);
  });
}

template <class T>
void backward_ref(const T* dy, const T* x, const T* scale, T* dx, const BatchNormDims& d, double eps) {
  std::vector<double> m, v, rstd, sum_dy(static_cast<std::size_t>(d.channels)), sum_dy_xhat(sum_dy.size());
  statistics(x, d, m, v);
  for (double var : v) rstd.push_back(1 / std::sqrt(var + eps));
  each(d, [&](std::int64_t c, std::int64_t at) {
    const auto k = static_cast<std::size_t>(c);
    sum_dy[k] += dy[at];
    sum_dy_xhat[k] += dy[at] * (x[at] - m[k]) * rstd[k];
  });
  const double n = static_cast<double>(d.count());
  each(d, [&](std::int64_t c, std::int64_t at) {
    const auto k = static_cast<std::size_t>(c);
    const double xhat = (x[at] - m[k]) * rstd[k];
    dx[at] = static_cast<T>(scale[c] * rstd[k] * (dy[at] - sum_dy[k] / n - xhat * sum_dy_xhat[k] / n));
  });
}

#ifdef TG_HAVE_DNNL
namespace onednn_bn {
using namespace dnnl;
using onednn::engine;

// x as oneDNN sees it: [outer, C] (nc) when inner is 1, else [outer, C, inner, 1] (nchw).
memory::desc data_desc(const BatchNormDims& d) {
  if (d.inner == 1) return memory::desc({d.outer, d.channels, 1, 1}, memory::data_type::f32, memory::format_tag::nhwc);
  return memory::desc({d.outer, d.channels, d.inner, 1}, memory::data_type::f32, memory::format_tag::nchw);
}

// Primitives per geometry, epsilon and mode, built once per thread.
struct Prims {
  batch_normalization_forward::primitive_desc fpd;
  batch_normalization_forward forward;
  batch_normalization_backward backward;  // training only
};
using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t, double, bool>;

// Batch normalization is memory-bound: its thread count follows the elements.
int threads_of(const BatchNormDims& d) { return threads_for_elements(d.count() * d.channels); }

const Prims& prims(const BatchNormDims& d, double eps, bool training) {
  return onednn::cached<Prims>(Key{d.outer, d.channels, d.inner, eps, training}, threads_of(d), [&] {
    return onednn::checked("batch_norm (oneDNN)", [&] {
    const memory::desc md = data_desc(d);
    const auto flags = normalization_flags::use_scale | normalization_flags::use_shift |
                       (training ? normalization_flags::none : normalization_flags::use_global_stats);
    const auto prop = training ? prop_kind::forward_training : prop_kind::forward_inference;
    batch_normalization_forward::primitive_desc fpd({prop, md, static_cast<float>(eps), flags}, engine());
    Prims p{fpd, batch_normalization_forward(fpd), {}};
    if (training) {
      const auto bflags = normalization_flags::use_scale | normalization_flags::use_shift;
      batch_normalization_backward::primitive_desc bpd({prop_kind::backward, md, md, static_cast<float>(eps), bflags},
                                                       engine(), fpd);
      p.backward = batch_normalization_backward(bpd);
    }
    return p;
    });
  });
}

memory mem(const memory::desc& md, const void* p) { return memory(md, engine(), const_cast<void*>(p)); }

void forward(const float* x, const float* scale, const float* offset, const float* mean, const float* var, float* y,
             const BatchNormDims& d, double eps) {
  const bool training = mean == nullptr;
  const Prims& p = prims(d, eps, training);
  const memory::desc md = data_desc(d), cd({d.channels}, memory::data_type::f32, memory::format_tag::x);
  std::vector<float> stats(training ? static_cast<std::size_t>(2 * d.channels) : 0);
  if (training) mean = stats.data(), var = stats.data() + d.channels;
  onednn::execute(p.forward,
                  {{DNNL_ARG_SRC, mem(md, x)}, {DNNL_ARG_DST, mem(md, y)}, {DNNL_ARG_SCALE, mem(cd, scale)},
                   {DNNL_ARG_SHIFT, mem(cd, offset)}, {DNNL_ARG_MEAN, mem(cd, mean)}, {DNNL_ARG_VARIANCE, mem(cd, var)}},
                  threads_of(d), "batch_norm forward (oneDNN)");
}

void backward(const float* dy, const float* x, const float* scale, float* dx, const BatchNormDims& d, double eps) {
  const Prims& p = prims(d, eps, true);
  const memory::desc md = data_desc(d), cd({d.channels}, memory::data_type::f32, memory::format_tag::x);
  // The batch statistics, as the forward computes them (oneDNN's backward takes them as inputs).
  std::vector<double> m, v;
  statistics(x, d, m, v);
  std::vector<float> mean(m.begin(), m.end()), var(v.begin(), v.end());
  // NOTE: with use_shift oneDNN 2.6's backward refuses to run without a shift, which dx does not read.
  std::vector<float> diff_scale(static_cast<std::size_t>(d.channels)), diff_shift(diff_scale.size()),
      shift(diff_scale.size());
  onednn::execute(p.backward,
                  {{DNNL_ARG_SRC, mem(md, x)}, {DNNL_ARG_DIFF_DST, mem(md, dy)}, {DNNL_ARG_MEAN, mem(cd, mean.data())},
                   {DNNL_ARG_VARIANCE, mem(cd, var.data())}, {DNNL_ARG_SCALE, mem(cd, scale)},
                   {DNNL_ARG_SHIFT, mem(cd, shift.data())},
                   {DNNL_ARG_DIFF_SRC, mem(md, dx)}, {DNNL_ARG_DIFF_SCALE, mem(cd, diff_scale.data())},
                   {DNNL_ARG_DIFF_SHIFT, mem(cd, diff_shift.data())}},
                  threads_of(d), "batch_norm backward (oneDNN)");
}
}  // namespace onednn_bn
#endif

}  // namespace

void batch_norm_forward(DType dtype, const void* x, const void* scale, const void* offset, const void* mean,
                        const void* var, void* y, const BatchNormDims& d, double epsilon, bool reference) {
  if (d.count() == 0 || d.channels == 0) return;
#ifdef TG_HAVE_DNNL
  if (dtype == DType::f32 && !reference)
    return onednn_bn::forward(static_cast<const float*>(x), static_cast<const float*>(scale),
                              static_cast<const float*>(offset), static_cast<const float*>(mean),
                              static_cast<const float*>(var), static_cast<float*>(y), d, epsilon);
#else
  (void)reference;
#endif
  dispatch_float(dtype, "batch_norm", [&]<class T>() {
    forward_ref<T>(static_cast<const T*>(x), static_cast<const T*>(scale), static_cast<const T*>(offset),
                   static_cast<const T*>(mean), static_cast<const T*>(var), static_cast<T*>(y), d, epsilon);
  });
}

void batch_norm_backward(DType dtype, const void* dy, const void* x, const void* scale, void* dx,
                         const BatchNormDims& d, double epsilon, bool reference) {
  if (d.count() == 0 || d.channels == 0) return;
#ifdef TG_HAVE_DNNL
  if (dtype == DType::f32 && !reference)
    return onednn_bn::backward(static_cast<const float*>(dy), static_cast<const float*>(x),
                               static_cast<const float*>(scale), static_cast<float*>(dx), d, epsilon);
#else
  (void)reference;
#endif
  dispatch_float(dtype, "batch_norm_grad", [&]<class T>() {
    backward_ref<T>(static_cast<const T*>(dy), static_cast<const T*>(x), static_cast<const T*>(scale),
                    static_cast<T*>(dx), d, epsilon);
  });
}

}  // namespace tg::kernels
