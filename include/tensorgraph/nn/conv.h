#pragma once
// tensorgraph::nn convolutions, as TensorFlow 1.x's tf.nn: images NHWC (default) or NCHW, filters
// HWIO [kh, kw, in_channels, out_channels] whatever the data format, strides and dilations as
// 4-entry lists in the data format's order, padding "SAME" or "VALID" with TensorFlow's arithmetic.
//
//   tg::Node x = tg::placeholder(tg::DType::f32, {-1, 28, 28, 1});
//   tg::Node w = tg::Variable(..., {5, 5, 1, 32}).node();
//   tg::Node y = tg::nn::conv2d(x, w, {1, 1, 1, 1}, "SAME");  // [?, 28, 28, 32]
#include <cstdint>
#include <string>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg::nn {

/// The optional arguments of the convolutions.
struct Conv2DOptions {
  std::string data_format = "NHWC";              // or "NCHW"
  std::vector<std::int64_t> dilations{1, 1, 1, 1};  // in the data format's order; 1 is dense
  std::string name = "";
};

/// y = input ⊛ filters: TensorFlow's conv2d (a cross-correlation, as every framework's).
Node conv2d(const Node& input, const Node& filters, const std::vector<std::int64_t>& strides,
            const std::string& padding, const Conv2DOptions& options = {});
/// conv2d's gradient w.r.t. its input: `input_sizes` gives only its shape (conv2d's input itself).
Node conv2d_backprop_input(const Node& input_sizes, const Node& filters, const Node& out_backprop,
                           const std::vector<std::int64_t>& strides, const std::string& padding,
                           const Conv2DOptions& options = {});
/// As above with the input's shape as a list (TensorFlow's input_sizes); a -1 batch is out_backprop's.
Node conv2d_backprop_input(const std::vector<std::int64_t>& input_sizes, const Node& filters,
                           const Node& out_backprop, const std::vector<std::int64_t>& strides,
                           const std::string& padding, const Conv2DOptions& options = {});
/// conv2d's gradient w.r.t. its filters: `filter_sizes` gives only their shape (the filters themselves).
Node conv2d_backprop_filter(const Node& input, const Node& filter_sizes, const Node& out_backprop,
                            const std::vector<std::int64_t>& strides, const std::string& padding,
                            const Conv2DOptions& options = {});
/// As above with the filters' shape as a list (TensorFlow's filter_sizes, all known).
Node conv2d_backprop_filter(const Node& input, const std::vector<std::int64_t>& filter_sizes,
                            const Node& out_backprop, const std::vector<std::int64_t>& strides,
                            const std::string& padding, const Conv2DOptions& options = {});
/// TensorFlow's conv2d_transpose: conv2d_backprop_input of `value` into `output_shape` (a -1 batch is
/// value's), filters [kh, kw, output channels, input channels].
Node conv2d_transpose(const Node& value, const Node& filters, const std::vector<std::int64_t>& output_shape,
                      const std::vector<std::int64_t>& strides, const std::string& padding = "SAME",
                      const Conv2DOptions& options = {});

}  // namespace tg::nn
