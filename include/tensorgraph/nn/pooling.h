#pragma once
// tg::nn pooling and bias_add, with TensorFlow 1.x's names, arguments and semantics: a 4-D batch of
// images in NHWC (default) or NCHW; ksize and strides have 4 entries in the data format's order,
// those of N and C being 1; padding "SAME" or "VALID" (TensorFlow's arithmetic: SAME's odd extra
// row or column of padding goes after).
//
//   tg::Node y = tg::nn::max_pool(x, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME");
#include <cstdint>
#include <string>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg::nn {

/// The maximum of each window (the padding never wins); the gradient goes to the first maximum of
/// each window in row-major order (TensorFlow's CPU rule for ties)
Node max_pool(const Node& value, const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
              const std::string& padding, const std::string& data_format = "NHWC", const std::string& name = "");
/// The mean of each window over the elements inside the image (the padding is not counted)
Node avg_pool(const Node& value, const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
              const std::string& padding, const std::string& data_format = "NHWC", const std::string& name = "");
/// max_pool's gradient (TensorFlow's MaxPoolGrad): grad (shaped like orig_output) to the first maximum
/// of each window of orig_input
Node max_pool_grad(const Node& orig_input, const Node& orig_output, const Node& grad,
                   const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                   const std::string& padding, const std::string& data_format = "NHWC", const std::string& name = "");
/// max_pool_grad's gradient in grad (TensorFlow's MaxPoolGradGrad): grad (shaped like orig_input) read at
/// the first maximum of each window of orig_input, shaped like orig_output
Node max_pool_grad_grad(const Node& orig_input, const Node& orig_output, const Node& grad,
                        const std::vector<std::int64_t>& ksize, const std::vector<std::int64_t>& strides,
                        const std::string& padding, const std::string& data_format = "NHWC",
                        const std::string& name = "");
/// avg_pool's gradient (TensorFlow's AvgPoolGrad; orig_input gives the shape): grad / count over each window
Node avg_pool_grad(const Node& orig_input, const Node& grad, const std::vector<std::int64_t>& ksize,
                   const std::vector<std::int64_t>& strides, const std::string& padding,
                   const std::string& data_format = "NHWC", const std::string& name = "");

/// value + bias along the channel axis: the last ("NHWC", any rank >= 2) or axis 1 ("NCHW"); bias is 1-D
Node bias_add(const Node& value, const Node& bias, const std::string& data_format = "NHWC",
              const std::string& name = "");
/// bias_add's gradient in bias (TensorFlow's BiasAddGrad): out_backprop summed over all but the channel axis
Node bias_add_grad(const Node& out_backprop, const std::string& data_format = "NHWC", const std::string& name = "");

}  // namespace tg::nn
