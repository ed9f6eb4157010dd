#include "conv2d.h"

namespace tg::ops {

const AttrSchema kConv2DAttrs = AttrSchema::of<Conv2DAttrs>(
    {{"strides", &Conv2DAttrs::strides}, {"padding", &Conv2DAttrs::padding},
     {"data_format", &Conv2DAttrs::data_format}, {"dilations", &Conv2DAttrs::dilations}});
const AttrSchema kConv2DBackpropInputAttrs = AttrSchema::of<Conv2DAttrs>(
    {{"strides", &Conv2DAttrs::strides}, {"padding", &Conv2DAttrs::padding},
     {"data_format", &Conv2DAttrs::data_format}, {"dilations", &Conv2DAttrs::dilations},
     {"input_sizes", &Conv2DAttrs::sizes}});
const AttrSchema kConv2DBackpropFilterAttrs = AttrSchema::of<Conv2DAttrs>(
    {{"strides", &Conv2DAttrs::strides}, {"padding", &Conv2DAttrs::padding},
     {"data_format", &Conv2DAttrs::data_format}, {"dilations", &Conv2DAttrs::dilations},
     {"filter_sizes", &Conv2DAttrs::sizes}});

Conv2DAttrs conv2d_attrs(const std::vector<std::int64_t>& strides, const std::string& padding,
                         const nn::Conv2DOptions& o, std::vector<std::int64_t> sizes) {
  return {.strides = strides, .padding = padding, .data_format = o.data_format, .dilations = o.dilations,
          .sizes = std::move(sizes)};
}

kernels::ConvGeometry conv_geometry(const Shape& x, const Shape& w, const Conv2DAttrs& a, const char* what) {
  using namespace kernels;
  const std::string op(what);
  ConvGeometry g;
  g.format = parse_data_format(a.data_format, what);
  const Padding padding = parse_padding(a.padding, what);
  const auto s = spatial_pair(a.strides, g.format, what, "strides");
  const auto d = spatial_pair(a.dilations, g.format, what, "dilations");
  g.sh = s[0], g.sw = s[1], g.dh = d[0], g.dw = d[1];
  const Image im = image_of(x, g.format, (op + ": input").c_str());
  g.n = im.n, g.ih = im.h, g.iw = im.w, g.ic = im.c;
  g.kh = g.kw = g.oc = -1;
  if (w.rank_known()) {
    if (w.rank() != 4)
      throw ShapeError(op + ": filters must be 4-D [height, width, in_channels, out_channels], got " + w.str());
    g.kh = w[0], g.kw = w[1], g.oc = w[3];
    if (w[2] >= 0 && g.ic >= 0 && w[2] != g.ic)
      throw ShapeError(op + ": filters " + w.str() + " take " + std::to_string(w[2]) +
                       " input channels, the input " + x.str() + " has " + std::to_string(g.ic));
    if (g.ic < 0) g.ic = w[2];
  }
  g.oh = g.ow = -1;
  if (g.kh >= 0) {
    const Window wh = window(g.ih, g.kh, g.sh, g.dh, padding, (op + ": along the height").c_str());
    g.oh = wh.out, g.pt = wh.pad_before, g.pb = wh.pad_after;
  }
  if (g.kw >= 0) {
    const Window ww = window(g.iw, g.kw, g.sw, g.dw, padding, (op + ": along the width").c_str());
    g.ow = ww.out, g.pl = ww.pad_before, g.pr = ww.pad_after;
  }
  return g;
}

Shape conv_output(const kernels::ConvGeometry& g) {
  return kernels::shape_of(kernels::Image{g.n, g.oh, g.ow, g.oc}, g.format);
}

void check_out_backprop(const kernels::ConvGeometry& g, const Shape& dy, const char* what) {
  const Shape want = conv_output(g);
  bool fits = !dy.rank_known() || dy.rank() == 4;
  for (int i = 0; fits && dy.rank_known() && i < 4; ++i) fits = dy[i] < 0 || want[i] < 0 || dy[i] == want[i];
  if (!fits)
    throw ShapeError(std::string(what) + ": out_backprop " + dy.str() + " is not the convolution's output shape " +
                     want.str());
}

Shape listed_sizes(const std::vector<std::int64_t>& sizes, bool batch_unknown_ok, std::int64_t batch,
                   const char* what, const char* attr) {
  Shape s = Shape::from(sizes.begin(), sizes.end());
  bool ok = sizes.size() == 4;
  for (int i = 0; ok && i < 4; ++i) ok = s[i] >= 0 || (i == 0 && batch_unknown_ok && s[i] == -1);
  if (!ok)
    throw ShapeError(std::string(what) + ": " + attr + " " + s.str() + ": expected 4 sizes, all known" +
                     (batch_unknown_ok ? " but the batch (-1: out_backprop's)" : ""));
  if (s[0] < 0) s[0] = batch;
  return s;
}

void check_arity(int num_inputs, const Conv2DAttrs& a, const char* what, const char* attr) {
  if ((num_inputs == 3 && a.sizes.empty()) || (num_inputs == 2 && !a.sizes.empty())) return;
  throw GraphError(std::string(what) + ": give " + attr + " either as an input (3 inputs) or as the attribute " +
                   "(2 inputs), got " + std::to_string(num_inputs) + " inputs and " +
                   (a.sizes.empty() ? "no attribute" : "the attribute"));
}

DType conv_dtype(const TypeShape& a, const TypeShape& b, const char* what) {
  const DType d = a.dtype != DType::unknown ? a.dtype : b.dtype;
  if (a.dtype != DType::unknown && b.dtype != DType::unknown && a.dtype != b.dtype)
    throw DTypeError(std::string(what) + ": operands of different dtypes, " + dtype_name(a.dtype) + " and " +
                     dtype_name(b.dtype));
  require_float(d, what);
  return d;
}

}  // namespace tg::ops
