#pragma once
// Batch normalization under TensorFlow 1.x's tf.nn names.
//
//   auto [mean, variance] = tg::nn::moments(x, {0, 1, 2});
//   tg::Node y = tg::nn::batch_normalization(x, mean, variance, beta, gamma, 1e-3);   // composite
//   tg::Node y2 = tg::nn::fused_batch_norm(x, gamma, beta).y;                         // one op
#include <string>

#include "tensorgraph/ops.h"

namespace tg::nn {

/// The mean and population variance (TF's nn.moments).
struct Moments {
  Node mean, variance;
};
/// mean and variance of x over `axes` (reduced, or kept as 1s with keep_dims).
Moments moments(const Node& x, const std::vector<std::int64_t>& axes, bool keep_dims = false,
                const std::string& name = "moments");
/// (x - mean) scale / sqrt(variance + variance_epsilon) + offset, broadcasting (TF's formula);
/// an invalid offset or scale (TF's None) is 0 or 1.
Node batch_normalization(const Node& x, const Node& mean, const Node& variance, const Node& offset, const Node& scale,
                         double variance_epsilon, const std::string& name = "");

/// fused_batch_norm's optional arguments, as TensorFlow names them.
struct FusedBatchNormOptions {
  Node mean{}, variance{};  // inference (is_training false) only: the statistics to normalize with
  double epsilon = 0.001;
  std::string data_format = "NHWC";  // or "NCHW"; a 2-D x is [batch, features] either way
  bool is_training = true;
  std::string name = "";
};
/// TF's (y, batch_mean, batch_variance). y is the fused_batch_norm op node; the statistics are
/// separate nodes (reductions of x): while training the batch's mean and its Bessel-corrected
/// variance (n / (n - 1), as TensorFlow's fused kernel returns it and moving averages use it),
/// else the mean and variance given. Invalid while training on an x of unknown rank.
struct FusedBatchNorm {
  Node y, batch_mean, batch_variance;
};
/// Normalizes a 4-D (NHWC/NCHW) or 2-D [batch, features] x over every axis but the channel's.
FusedBatchNorm fused_batch_norm(const Node& x, const Node& scale, const Node& offset,
                                const FusedBatchNormOptions& options = {});
/// The gradient op of the training-mode fused_batch_norm: dx from dy (TF's FusedBatchNormGrad's x_backprop).
Node fused_batch_norm_grad(const Node& dy, const Node& x, const Node& scale, double epsilon = 0.001,
                           const std::string& data_format = "NHWC", const std::string& name = "");

}  // namespace tg::nn
