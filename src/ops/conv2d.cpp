// y[n,i,j,o] = Σ_{p,q,c} x[n, i·sh - pad_top + p·dh, j·sw - pad_left + q·dw, c] · w[p,q,c,o]
// (TensorFlow's conv2d, NHWC shown);  dx = conv2d_backprop_input(dy, w), dw = conv2d_backprop_filter(x, dy)
#include "conv2d.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const DType d = conv_dtype(c.input(0), c.input(1), "conv2d");
  return {d, conv_output(conv_geometry(c.input(0).shape, c.input(1).shape, c.attrs.as<Conv2DAttrs>(), "conv2d"))};
}
void compute(KernelCtx& c) {
  const Tensor &x = c.input(0), &w = c.input(1);
  const auto g = conv_geometry(x.shape(), w.shape(), c.attrs.as<Conv2DAttrs>(), "conv2d");
  kernels::conv2d(kernels::ConvPass::forward, x.dtype(), g, x.raw(), w.raw(), c.out.raw(), c.node_name);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<Conv2DAttrs>();
  const nn::Conv2DOptions o{.data_format = a.data_format, .dilations = a.dilations};
  const Node x = c.input(0), w = c.input(1);
  return {nn::conv2d_backprop_input(x, w, c.dy, a.strides, a.padding, o),
          nn::conv2d_backprop_filter(x, w, c.dy, a.strides, a.padding, o)};
}
}  // namespace
const OpDef op_conv2d{.name = "conv2d", .num_inputs = 2, .infer = infer, .compute = compute, .grad = grad,
                      .attrs = &kConv2DAttrs};
}  // namespace ops

Node nn::conv2d(const Node& input, const Node& filters, const std::vector<std::int64_t>& strides,
                const std::string& padding, const Conv2DOptions& o) {
  return make_op(ops::op_conv2d, {input, filters}, ops::conv2d_attrs(strides, padding, o), o.name);
}
}  // namespace tg
