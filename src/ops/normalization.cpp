// tf.nn.moments and tf.nn.batch_normalization: composites of reductions and element-wise ops (so
// differentiable to any order for free). The fused op is fused_batch_norm.cpp.
#include "tensorgraph/nn/normalization.h"

namespace tg::nn {

Moments moments(const Node& x, const std::vector<std::int64_t>& axes, bool keep_dims, const std::string& name) {
  if (axes.empty()) throw GraphError("moments '" + name + "': axes must not be empty");
  // NOTE: TensorFlow's shift: the variance is the mean of the squared deviations from the mean,
  // not E[x²] - E[x]², which cancels catastrophically in float32.
  const Node mean = reduce_mean(x, axes, true, name + "/mean");
  const Node variance = reduce_mean(square(x - mean), axes, keep_dims, name + "/variance");
  return {keep_dims ? mean : reduce_mean(mean, axes, false), variance};
}

Node batch_normalization(const Node& x, const Node& mean, const Node& variance, const Node& offset, const Node& scale,
                         double variance_epsilon, const std::string& name) {
  if (!(variance_epsilon >= 0))
    throw GraphError("batch_normalization: variance_epsilon must be >= 0, got " + std::to_string(variance_epsilon));
  // TensorFlow's formula: inv = rsqrt(variance + ε) · scale; x · inv + (offset - mean · inv)
  Node inv = 1.0 / sqrt(variance + variance_epsilon);
  if (scale.valid()) inv = inv * scale;
  const Node shift = offset.valid() ? offset - mean * inv : -(mean * inv);
  return name.empty() ? x * inv + shift : add(x * inv, shift, name);
}

}  // namespace tg::nn
