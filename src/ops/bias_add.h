#pragma once
// Shared by bias_add and bias_add_grad: the data format and the channel axis it names.
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg::ops {

struct BiasAddAttrs {
  std::string data_format = "NHWC";  // channels last ("NHWC", any rank >= 2) or at axis 1 ("NCHW")
};
extern const AttrSchema kBiasAddAttrs;

/// A value of rank >= 2 as [outer, channels, inner] around its channel axis.
struct ChannelSplit {
  int axis = -1;  // -1 while the rank is unknown
  std::int64_t outer = 1, channels = -1, inner = 1;
};
/// The channel axis of `value` for `data_format`; ShapeError naming `what` and the argument for a
/// rank below 2 or an unknown format.
ChannelSplit channel_split(const Shape& value, const std::string& data_format, const char* what);

}  // namespace tg::ops
