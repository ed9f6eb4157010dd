// y = scale (x - μ) / sqrt(σ² + ε) + offset, per channel (every axis but the channel's reduced).
// Training: μ, σ² the batch's (population variance); dx = fused_batch_norm_grad(dy, x, scale),
// d scale = Σ dy x̂, d offset = Σ dy, with x̂ = (x - μ) / sqrt(σ² + ε) built from reductions.
// Inference (is_training false): μ, σ² are inputs 3 and 4; dx = dy scale r, r = (σ² + ε)^-1/2,
// d scale = Σ dy (x - μ) r, d offset = Σ dy, dμ = -Σ dy scale r, dσ² = -½ Σ dy (x - μ) scale r³.
#include "fused_batch_norm.h"

namespace tg {
namespace ops {
const AttrSchema kFusedBatchNormAttrs = AttrSchema::of<FusedBatchNormAttrs>(
    {{"epsilon", &FusedBatchNormAttrs::epsilon}, {"data_format", &FusedBatchNormAttrs::data_format},
     {"is_training", &FusedBatchNormAttrs::is_training}});

int channel_axis(int rank, const FusedBatchNormAttrs& a, const char* what) {
  if (a.data_format != "NHWC" && a.data_format != "NCHW")
    throw GraphError(std::string(what) + ": data_format must be \"NHWC\" or \"NCHW\", got \"" + a.data_format + "\"");
  if (!(a.epsilon >= 0)) throw GraphError(std::string(what) + ": epsilon must be >= 0, got " + std::to_string(a.epsilon));
  if (rank != 2 && rank != 4 && rank >= 0)
    throw ShapeError(std::string(what) + ": x must be 4-D (NHWC/NCHW) or 2-D [batch, features], got rank " +
                     std::to_string(rank));
  return a.data_format == "NCHW" || rank == 2 ? 1 : rank - 1;
}

TypeShape infer_batch_norm(const InferCtx& c, int x_input, int first_vector, const char* const* names,
                           const char* what) {
  const auto& a = c.attrs.as<FusedBatchNormAttrs>();
  const TypeShape& x = c.input(x_input);
  require_float(x.dtype, what);
  const int axis = channel_axis(x.shape.rank_known() ? x.shape.rank() : -1, a, what);
  const std::int64_t channels = x.shape.rank_known() ? x.shape[axis] : -1;
  for (int i = 0; i < c.num_inputs; ++i) {
    const TypeShape& v = c.input(i);
    if (i == x_input) continue;
    if (v.dtype != DType::unknown && x.dtype != DType::unknown && v.dtype != x.dtype)
      throw DTypeError(std::string(names[i]) + " is " + dtype_name(v.dtype) + ", x " + dtype_name(x.dtype));
    if (i < first_vector) continue;
    if (v.shape.rank_known() && (v.shape.rank() != 1 || (channels >= 0 && v.shape[0] >= 0 && v.shape[0] != channels)))
      throw ShapeError(std::string(names[i]) + " must be 1-D [" + std::to_string(channels) + "] (x's channels), got " +
                       v.shape.str());
  }
  return {x.dtype, x.shape};
}

kernels::BatchNormDims batch_norm_view(const Shape& x, const Attrs& attrs, const char* what) {
  return kernels::batch_norm_dims(x, channel_axis(x.rank(), attrs.as<FusedBatchNormAttrs>(), what));
}

ChannelGeometry channel_geometry(const Node& x, const FusedBatchNormAttrs& a, const char* what) {
  if (!x.shape().rank_known()) throw GraphError(std::string(what) + ": the rank of '" + x.name() + "' must be known");
  const int rank = x.shape().rank(), axis = channel_axis(rank, a, what);
  std::vector<std::int64_t> axes;
  for (int i = 0; i < rank; ++i)
    if (i != axis) axes.push_back(i);
  return {axes, rank == 4 && axis == 1};
}

namespace {
TypeShape infer(const InferCtx& c) {
  const bool training = c.attrs.as<FusedBatchNormAttrs>().is_training;
  if (c.num_inputs != (training ? 3 : 5))
    throw GraphError(std::string("fused_batch_norm takes x, scale, offset") + (training ? "" : ", mean, variance") +
                     (training ? " while training" : " for inference") + ", got " + std::to_string(c.num_inputs) +
                     " inputs");
  static const char* const kNames[] = {"x", "scale", "offset", "mean", "variance"};
  return infer_batch_norm(c, 0, 1, kNames, "fused_batch_norm");
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const bool training = c.attrs.as<FusedBatchNormAttrs>().is_training;
  kernels::batch_norm_forward(x.dtype(), x.raw(), c.input(1).raw(), c.input(2).raw(),
                              training ? nullptr : c.input(3).raw(), training ? nullptr : c.input(4).raw(), c.out.raw(),
                              batch_norm_view(x.shape(), c.attrs, "fused_batch_norm"),
                              c.attrs.as<FusedBatchNormAttrs>().epsilon);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<FusedBatchNormAttrs>();
  const Node x = c.input(0), scale = c.input(1), dy = c.dy;
  const ChannelGeometry g = channel_geometry(x, a, "fused_batch_norm gradient");
  const Node d_offset = reduce_sum(dy, g.axes);
  if (a.is_training) {
    const Node mean = reduce_mean(x, g.axes, true), centered = x - mean;
    const Node x_hat = centered / sqrt(reduce_mean(square(centered), g.axes, true) + a.epsilon);
    return {nn::fused_batch_norm_grad(dy, x, scale, a.epsilon, a.data_format), reduce_sum(dy * x_hat, g.axes), d_offset};
  }
  const Node mean = c.input(3), r = 1.0 / sqrt(c.input(4) + a.epsilon);
  const Node centered = x - g.broadcast(mean);
  const Node d_scale_r = reduce_sum(dy * centered, g.axes);  // Σ dy (x - μ)
  return {dy * g.broadcast(scale * r), d_scale_r * r, d_offset, -d_offset * scale * r,
          -0.5 * d_scale_r * scale * r * r * r};
}
}  // namespace
const OpDef op_fused_batch_norm{.name = "fused_batch_norm", .num_inputs = -1, .infer = infer, .compute = compute,
                                .grad = grad, .attrs = &kFusedBatchNormAttrs};
}  // namespace ops

namespace {
// n, the values per channel: the product of x's reduced dimensions, those the static shape leaves
// unknown (the batch) counted at run time on a slice one element wide in every other dimension.
Node values_per_channel(const Node& x, const Axes& axes) {
  const Shape& s = x.shape();
  double known = 1;
  Node n;
  for (std::int64_t i : axes.list) {
    if (s[static_cast<int>(i)] >= 0) {
      known *= static_cast<double>(s[static_cast<int>(i)]);
      continue;
    }
    SliceSpec line{.end_mask = std::int64_t{1} << i};  // x[:1, ..., :, ..., :1], axis i whole
    for (int k = 0; k < s.rank(); ++k) line.begin.push_back(0), line.end.push_back(1);
    const Node extent = reduce_sum(ones_like(strided_slice(x, line)));
    n = n.valid() ? n * extent : extent;
  }
  return n.valid() ? n * known : scalar_like(x, known);
}
}  // namespace

namespace nn {
FusedBatchNorm fused_batch_norm(const Node& x, const Node& scale, const Node& offset, const FusedBatchNormOptions& o) {
  const ops::FusedBatchNormAttrs a{.epsilon = o.epsilon, .data_format = o.data_format, .is_training = o.is_training};
  std::vector<Node> in{x, scale, offset};
  if (!o.is_training) in.insert(in.end(), {o.mean, o.variance});
  const Node y = make_op(ops::op_fused_batch_norm, in, a, o.name);
  if (!o.is_training) return {y, o.mean, o.variance};
  if (!x.shape().rank_known()) return {y, {}, {}};
  const ops::ChannelGeometry g = ops::channel_geometry(x, a, "fused_batch_norm");
  const Node mean = reduce_mean(x, g.axes), n = values_per_channel(x, g.axes);
  const Node squares = reduce_sum(square(x - g.broadcast(mean)), g.axes);
  return {y, mean, squares / maximum(n - 1.0, ones_like(n))};  // n - 1, at least 1 (TensorFlow's)
}
}  // namespace nn
}  // namespace tg
