#pragma once
// What fused_batch_norm and its gradient op fused_batch_norm_grad share: the attributes, the
// channel axis, and the per-channel pieces of the gradients (composite graph nodes).
#include "../kernels/batch_norm.h"
#include "op_helpers.h"
#include "tensorgraph/nn/normalization.h"

namespace tg::ops {

struct FusedBatchNormAttrs {
  double epsilon = 0.001;             // added to the variance
  std::string data_format = "NHWC";   // NHWC (channels last, also [batch, features]) or NCHW
  bool is_training = true;            // batch statistics; false: the mean and variance inputs
};
extern const AttrSchema kFusedBatchNormAttrs;

/// The channel axis of a rank-2 or rank-4 x (throws ShapeError/GraphError naming `what`).
int channel_axis(int rank, const FusedBatchNormAttrs& a, const char* what);
/// The shape rule: x (input `x_input`) float, rank 2 or 4; every other input of x's dtype, those
/// from `first_vector` on 1-D [C]; `names` names the inputs. Returns x's dtype and shape.
TypeShape infer_batch_norm(const InferCtx& c, int x_input, int first_vector, const char* const* names,
                           const char* what);
/// The view of x's value for the kernels.
kernels::BatchNormDims batch_norm_view(const Shape& x, const Attrs& attrs, const char* what);

/// Graph pieces: the axes reduced (all but the channel's), and a [C] vector shaped to broadcast
/// against x ([1, C, 1, 1] for NCHW, itself otherwise).
struct ChannelGeometry {
  Axes axes;
  bool nchw = false;
  Node broadcast(const Node& v) const { return nchw ? reshape(v, {1, -1, 1, 1}) : v; }
};
ChannelGeometry channel_geometry(const Node& x, const FusedBatchNormAttrs& a, const char* what);

}  // namespace tg::ops
