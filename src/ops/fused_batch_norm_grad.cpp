// dx of the training-mode fused_batch_norm (batch statistics μ, σ² of x, per channel; s = scale):
//   dx = s r P(dy),  r = (σ² + ε)^-1/2,  x̂ = (x - μ) r,  P(v) = v - mean(v) - x̂ mean(v x̂).
// With g the gradient of dx (dy, s and x independent inputs):
//   d dy = s r P(g)  (P is a symmetric projection: this op again on g),
//   d s  = Σ g r P(dy),
//   d x  = -s r² (x̂ mean(g P(dy)) + mean(dy x̂) P(g) + mean(g x̂) P(dy)),
// from dx̂_i/dx_j = r (δ_ij - 1/n - x̂_i x̂_j / n) and dr/dx_j = -r² x̂_j / n. Built of reductions
// and element-wise ops, so differentiable again.
#include "../kernels/batch_norm.h"
#include "fused_batch_norm.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  static const char* const kNames[] = {"dy", "x", "scale"};
  const TypeShape out = infer_batch_norm(c, 1, 2, kNames, "fused_batch_norm_grad");
  const Shape& dy = c.input(0).shape;
  bool fits = !dy.rank_known() || !out.shape.rank_known() || dy.rank() == out.shape.rank();
  for (int i = 0; fits && dy.rank_known() && out.shape.rank_known() && i < dy.rank(); ++i)
    fits = dy[i] < 0 || out.shape[i] < 0 || dy[i] == out.shape[i];
  if (!fits)
    throw ShapeError("dy " + dy.str() + " does not have x's shape " + out.shape.str());
  return out;
}
void compute(KernelCtx& c) {
  const Tensor &dy = c.input(0), &x = c.input(1);
  kernels::batch_norm_backward(x.dtype(), dy.raw(), x.raw(), c.input(2).raw(), c.out.raw(),
                               batch_norm_view(x.shape(), c.attrs, "fused_batch_norm_grad"),
                               c.attrs.as<FusedBatchNormAttrs>().epsilon);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<FusedBatchNormAttrs>();
  const Node dy = c.input(0), x = c.input(1), scale = c.input(2), g = c.dy;
  const ChannelGeometry geo = channel_geometry(x, a, "fused_batch_norm_grad gradient");
  const Node centered = x - reduce_mean(x, geo.axes, true);
  const Node r = 1.0 / sqrt(reduce_mean(square(centered), geo.axes, true) + a.epsilon), x_hat = centered * r;
  auto mean = [&](const Node& v) { return reduce_mean(v, geo.axes, true); };
  auto P = [&](const Node& v) { return v - mean(v) - x_hat * mean(v * x_hat); };
  const Node p_dy = P(dy), s = geo.broadcast(scale);
  const Node d_x = -(s * r * r) * (x_hat * mean(g * p_dy) + mean(dy * x_hat) * P(g) + mean(g * x_hat) * p_dy);
  return {nn::fused_batch_norm_grad(g, x, scale, a.epsilon, a.data_format), d_x,
          reduce_sum(g * r * p_dy, geo.axes)};
}
}  // namespace
const OpDef op_fused_batch_norm_grad{.name = "fused_batch_norm_grad", .num_inputs = 3, .infer = infer,
                                     .compute = compute, .grad = grad, .attrs = &kFusedBatchNormAttrs};
}  // namespace ops

Node nn::fused_batch_norm_grad(const Node& dy, const Node& x, const Node& scale, double epsilon,
                               const std::string& data_format, const std::string& name) {
  return make_op(ops::op_fused_batch_norm_grad, {dy, x, scale},
                 ops::FusedBatchNormAttrs{.epsilon = epsilon, .data_format = data_format, .is_training = true}, name);
}
}  // namespace tg
