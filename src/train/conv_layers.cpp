// The convolutional layers (tf.layers.conv2d, conv2d_transpose, max_pooling2d, average_pooling2d, flatten) over the
// tf.nn ops: TensorFlow's layer arguments ("same", "channels_last", one or two sizes) become the
// ops' (SAME, NHWC, 4-entry lists).
#include <algorithm>
#include <cctype>

#include "initializers.h"
#include "tensorgraph/layers.h"
#include "tensorgraph/nn.h"
#include "tensorgraph/ops.h"

namespace tg::layers {
namespace {

struct Layout {
  std::string data_format;  // "NHWC" or "NCHW"
  int channel_axis;
};

Layout layout(const std::string& data_format, const std::string& layer) {
  if (data_format == "channels_last") return {"NHWC", 3};
  if (data_format == "channels_first") return {"NCHW", 1};
  throw GraphError(layer + ": data_format must be \"channels_last\" or \"channels_first\", got \"" + data_format + "\"");
}

std::string upper_padding(const std::string& padding, const std::string& layer) {
  std::string p;
  for (char ch : padding) p += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (p != "SAME" && p != "VALID")
    throw GraphError(layer + ": padding must be \"same\" or \"valid\", got \"" + padding + "\"");
  return p;
}

/// One or two positive sizes as a pair.
std::vector<std::int64_t> pair(const std::vector<std::int64_t>& v, const std::string& layer, const char* what) {
  if ((v.size() != 1 && v.size() != 2) || v[0] < 1 || v.back() < 1)
    throw GraphError(layer + ": " + what + " must be one or two sizes >= 1");
  return {v[0], v.back()};
}

/// TensorFlow's 4-entry list for an (H, W) pair in the layout.
std::vector<std::int64_t> four(const std::vector<std::int64_t>& hw, const Layout& l) {
  return l.data_format == "NHWC" ? std::vector<std::int64_t>{1, hw[0], hw[1], 1}
                                 : std::vector<std::int64_t>{1, 1, hw[0], hw[1]};
}

/// The layer's "<name>/bias" [filters], zeros.
Node bias(const Node& x, const std::string& layer, const std::string& name, std::int64_t filters, DType dtype,
          bool reuse) {
  return detail::layer_variable(x, layer, name + "/bias", {filters}, dtype, reuse,
                                [&] { return Tensor::zeros({filters}, dtype); });
}

}  // namespace

Node conv2d(const Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size, Rng& rng,
            const Conv2DOptions& o) {
  const std::string layer = "conv2d '" + o.name + "'";
  const Layout l = layout(o.data_format, layer);
  const Shape& s = x.shape();
  if (!s.rank_known() || s.rank() != 4 || s[l.channel_axis] < 0)
    throw GraphError(layer + ": input '" + x.name() + "' must be 4-D with known channels (" + l.data_format +
                     "), got " + s.str());
  if (filters < 1) throw GraphError(layer + ": filters must be at least 1, got " + std::to_string(filters));
  const auto k = pair(kernel_size, layer, "kernel_size");
  const DType dtype = detail::layer_dtype(x, layer);
  const std::int64_t in = s[l.channel_axis], area = k[0] * k[1];
  const Node kernel = detail::layer_variable(x, layer, o.name + "/kernel", {k[0], k[1], in, filters}, dtype, o.reuse, [&] {
    return detail::initial_kernel({k[0], k[1], in, filters}, area * in, area * filters, o.init, o.activation, rng, dtype);
  });
  Node z = nn::conv2d(x, kernel, four(pair(o.strides, layer, "strides"), l), upper_padding(o.padding, layer),
                      {.data_format = l.data_format, .dilations = four(pair(o.dilation_rate, layer, "dilation_rate"), l)});
  if (o.use_bias)
    z = nn::bias_add(z, bias(x, layer, o.name, filters, dtype, o.reuse), l.data_format);
  return detail::activate(z, o.activation);
}

Node conv2d_transpose(const Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size, Rng& rng,
                      const Conv2DTransposeOptions& o) {
  const std::string layer = "conv2d_transpose '" + o.name + "'";
  const Layout l = layout(o.data_format, layer);
  const Shape& s = x.shape();
  const int h = l.channel_axis == 3 ? 1 : 2;
  if (!s.rank_known() || s.rank() != 4 || s[l.channel_axis] < 0 || s[h] < 0 || s[h + 1] < 0)
    throw GraphError(layer + ": input '" + x.name() + "' must be 4-D with known height, width and channels (" +
                     l.data_format + "), got " + s.str());
  if (filters < 1) throw GraphError(layer + ": filters must be at least 1, got " + std::to_string(filters));
  const auto k = pair(kernel_size, layer, "kernel_size");
  const auto st = pair(o.strides, layer, "strides");
  const std::string padding = upper_padding(o.padding, layer);
  const DType dtype = detail::layer_dtype(x, layer);
  const std::int64_t in = s[l.channel_axis], area = k[0] * k[1];
  // TensorFlow's deconv_output_length: the size whose convolution (same padding, stride) gives x's.
  const auto out = [&](std::int64_t n, int i) {
    return padding == "SAME" ? n * st[i] : n * st[i] + std::max<std::int64_t>(k[i] - st[i], 0);
  };
  const std::vector<std::int64_t> shape = l.channel_axis == 3
                                              ? std::vector<std::int64_t>{-1, out(s[1], 0), out(s[2], 1), filters}
                                              : std::vector<std::int64_t>{-1, filters, out(s[2], 0), out(s[3], 1)};
  const Node kernel = detail::layer_variable(x, layer, o.name + "/kernel", {k[0], k[1], filters, in}, dtype, o.reuse, [&] {
    return detail::initial_kernel({k[0], k[1], filters, in}, area * filters, area * in, o.init, o.activation, rng, dtype);
  });
  Node z = nn::conv2d_transpose(x, kernel, shape, four(st, l), padding, {.data_format = l.data_format});
  if (o.use_bias) z = nn::bias_add(z, bias(x, layer, o.name, filters, dtype, o.reuse), l.data_format);
  return detail::activate(z, o.activation);
}

Node max_pooling2d(const Node& x, const std::vector<std::int64_t>& pool_size, const std::vector<std::int64_t>& strides,
                   const Pooling2DOptions& o) {
  const std::string layer = "max_pooling2d";
  const Layout l = layout(o.data_format, layer);
  return nn::max_pool(x, four(pair(pool_size, layer, "pool_size"), l), four(pair(strides, layer, "strides"), l),
                      upper_padding(o.padding, layer), l.data_format, o.name);
}

Node average_pooling2d(const Node& x, const std::vector<std::int64_t>& pool_size,
                       const std::vector<std::int64_t>& strides, const Pooling2DOptions& o) {
  const std::string layer = "average_pooling2d";
  const Layout l = layout(o.data_format, layer);
  return nn::avg_pool(x, four(pair(pool_size, layer, "pool_size"), l), four(pair(strides, layer, "strides"), l),
                      upper_padding(o.padding, layer), l.data_format, o.name);
}

Node flatten(const Node& x, const std::string& name) {
  const Shape& s = x.shape();
  if (!s.rank_known() || s.rank() < 1)
    throw GraphError("flatten: input '" + x.name() + "' needs a known rank >= 1, got " + s.str());
  std::int64_t rest = 1;
  for (int i = 1; i < s.rank(); ++i) {
    if (s[i] < 0)
      throw GraphError("flatten: the dimensions of '" + x.name() + "' after the first must be known, got " + s.str());
    rest *= s[i];
  }
  return reshape(x, {kUnknownDim, rest}, name);
}

}  // namespace tg::layers
