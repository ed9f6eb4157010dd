#pragma once
// What conv2d and its two gradient ops share: their attributes and the geometry of one
// convolution from its input and filter shapes (partial at build time).
#include "../kernels/conv.h"
#include "op_helpers.h"
#include "tensorgraph/nn/conv.h"

namespace tg::ops {

struct Conv2DAttrs {
  std::vector<std::int64_t> strides{1, 1, 1, 1};    // in the data format's order
  std::string padding = "VALID";                     // "SAME" or "VALID"
  std::string data_format = "NHWC";                  // or "NCHW"
  std::vector<std::int64_t> dilations{1, 1, 1, 1};  // in the data format's order; 1 is dense
  // The gradient ops with 2 inputs: the input's (input_sizes) or filters' (filter_sizes) shape;
  // empty when a third input gives it.
  std::vector<std::int64_t> sizes;
};
extern const AttrSchema kConv2DAttrs, kConv2DBackpropInputAttrs, kConv2DBackpropFilterAttrs;
Conv2DAttrs conv2d_attrs(const std::vector<std::int64_t>& strides, const std::string& padding,
                         const nn::Conv2DOptions& o, std::vector<std::int64_t> sizes = {});

/// The geometry of conv2d(x, w): sizes -1 where unknown; ShapeError naming `what` and the
/// argument for a wrong rank, channel count, attribute or empty VALID output.
kernels::ConvGeometry conv_geometry(const Shape& x, const Shape& w, const Conv2DAttrs& a, const char* what);
/// conv2d's output shape for that geometry (in its data format).
Shape conv_output(const kernels::ConvGeometry& g);
/// ShapeError naming `what` unless out_backprop's shape `dy` fits the convolution's output.
void check_out_backprop(const kernels::ConvGeometry& g, const Shape& dy, const char* what);
/// A gradient op's sizes attribute `attr` (its 2-input form) as a shape: 4 entries, known, but for a
/// -1 batch where `batch_unknown_ok` (it becomes `batch`); ShapeError naming `what` and `attr` otherwise.
Shape listed_sizes(const std::vector<std::int64_t>& sizes, bool batch_unknown_ok, std::int64_t batch,
                   const char* what, const char* attr);
/// GraphError unless a gradient op has 3 inputs or 2 and its sizes attribute `attr`, not both.
void check_arity(int num_inputs, const Conv2DAttrs& a, const char* what, const char* attr);
/// A float dtype shared by `a` and `b` (unknown allowed); DTypeError naming `what` otherwise.
DType conv_dtype(const TypeShape& a, const TypeShape& b, const char* what);

}  // namespace tg::ops
