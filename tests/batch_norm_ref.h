#pragma once
// Batch normalization written out in float64 loops, the expected values of the tests: y and the
// training-mode dx over every axis but `axis`, of any rank.
#include <cmath>
#include <vector>

#include "tensorgraph/tensor.h"

namespace tg::testing {

struct BnView {
  std::int64_t outer = 1, channels = 1, inner = 1;
  BnView(const Shape& s, int axis) {
    for (int i = 0; i < s.rank(); ++i) (i < axis ? outer : i == axis ? channels : inner) *= s[i];
  }
  std::int64_t channel(std::int64_t at) const { return at / inner % channels; }
};

// Per-channel batch mean and population variance.
inline void bn_stats(const Tensor& x, const BnView& v, std::vector<double>& mean, std::vector<double>& var) {
  const double n = static_cast<double>(v.outer * v.inner);
  mean.assign(static_cast<std::size_t>(v.channels), 0);
  var = mean;
  for (std::int64_t i = 0; i < x.size(); ++i) mean[static_cast<std::size_t>(v.channel(i))] += x.flat(i) / n;
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const double e = x.flat(i) - mean[static_cast<std::size_t>(v.channel(i))];
    var[static_cast<std::size_t>(v.channel(i))] += e * e / n;
  }
}

// y = scale (x - mean) / sqrt(var + eps) + offset; mean, var undefined: the batch's.
inline Tensor bn_ref(const Tensor& x, const Tensor& scale, const Tensor& offset, int axis, double eps,
                     const Tensor& mean = {}, const Tensor& var = {}) {
  const BnView v(x.shape(), axis);
  std::vector<double> m, s2;
  bn_stats(x, v, m, s2);
  Tensor y(DType::f64, x.shape());
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const std::int64_t c = v.channel(i);
    const double mu = mean.defined() ? mean.flat(c) : m[static_cast<std::size_t>(c)];
    const double sigma2 = var.defined() ? var.flat(c) : s2[static_cast<std::size_t>(c)];
    y.data<double>()[i] = scale.flat(c) * (x.flat(i) - mu) / std::sqrt(sigma2 + eps) + offset.flat(c);
  }
  return y;
}

// dx = scale r (dy - mean(dy) - x̂ mean(dy x̂)), batch statistics.
inline Tensor bn_grad_ref(const Tensor& dy, const Tensor& x, const Tensor& scale, int axis, double eps) {
  const BnView v(x.shape(), axis);
  std::vector<double> m, s2, mdy(static_cast<std::size_t>(v.channels)), mdyx(mdy.size());
  bn_stats(x, v, m, s2);
  const double n = static_cast<double>(v.outer * v.inner);
  auto xhat = [&](std::int64_t i) {
    const auto c = static_cast<std::size_t>(v.channel(i));
    return (x.flat(i) - m[c]) / std::sqrt(s2[c] + eps);
  };
  for (std::int64_t i = 0; i < x.size(); ++i) {
    mdy[static_cast<std::size_t>(v.channel(i))] += dy.flat(i) / n;
    mdyx[static_cast<std::size_t>(v.channel(i))] += dy.flat(i) * xhat(i) / n;
  }
  Tensor dx(DType::f64, x.shape());
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const auto c = static_cast<std::size_t>(v.channel(i));
    dx.data<double>()[i] =
        scale.flat(v.channel(i)) / std::sqrt(s2[c] + eps) * (dy.flat(i) - mdy[c] - xhat(i) * mdyx[c]);
  }
  return dx;
}

}  // namespace tg::testing
