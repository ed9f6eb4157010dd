// dw[p,q,c,o] = Σ_{n,i,j} x[n, i·sh - pad_top + p·dh, j·sw - pad_left + q·dw, c] · dy[n,i,j,o]: conv2d's
// adjoint in w, linear in (x) and in (dy). Inputs (input, filter_sizes, out_backprop): the second
// gives only its shape; or (input, out_backprop) with the filter_sizes attribute.
// d/dx <g, dw> = conv2d_backprop_input(x, g, dy);  d/d dy <g, dw> = conv2d(x, g)
#include "conv2d.h"

namespace tg {
namespace ops {
namespace {
constexpr const char* kWhat = "conv2d_backprop_filter";

struct Parts {
  Shape w;
  kernels::ConvGeometry g;
};
Parts parts(int num_inputs, const Shape& x, const Shape& second, const Shape& dy, const Conv2DAttrs& a) {
  check_arity(num_inputs, a, kWhat, "filter_sizes");
  Parts p{num_inputs == 3 ? second : listed_sizes(a.sizes, false, 0, kWhat, "filter_sizes"), {}};
  p.g = conv_geometry(x, p.w, a, kWhat);
  check_out_backprop(p.g, dy, kWhat);
  return p;
}
TypeShape infer(const InferCtx& c) {
  const TypeShape &x = c.input(0), &dy = c.input(c.num_inputs - 1);
  const Conv2DAttrs& a = c.attrs.as<Conv2DAttrs>();
  return {conv_dtype(x, dy, kWhat), parts(c.num_inputs, x.shape, c.input(1).shape, dy.shape, a).w};
}
void compute(KernelCtx& c) {
  const Tensor &x = c.input(0), &dy = c.input(c.num_inputs - 1);
  const Parts p = parts(c.num_inputs, x.shape(), c.input(1).shape(), dy.shape(), c.attrs.as<Conv2DAttrs>());
  kernels::conv2d(kernels::ConvPass::backward_weights, x.dtype(), p.g, x.raw(), dy.raw(), c.out.raw(), c.node_name);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<Conv2DAttrs>();
  const nn::Conv2DOptions o{.data_format = a.data_format, .dilations = a.dilations};
  const bool listed = !a.sizes.empty();
  const Node x = c.input(0), dy = c.input(listed ? 1 : 2);
  std::vector<Node> d{nn::conv2d_backprop_input(x, c.dy, dy, a.strides, a.padding, o),
                      nn::conv2d(x, c.dy, a.strides, a.padding, o)};
  if (!listed) d.insert(d.begin() + 1, Node());
  return d;
}
}  // namespace
const OpDef op_conv2d_backprop_filter{.name = kWhat, .num_inputs = -1, .infer = infer, .compute = compute,
                                      .grad = grad, .attrs = &kConv2DBackpropFilterAttrs};
}  // namespace ops

Node nn::conv2d_backprop_filter(const Node& input, const Node& filter_sizes, const Node& out_backprop,
                                const std::vector<std::int64_t>& strides, const std::string& padding,
                                const Conv2DOptions& o) {
  return make_op(ops::op_conv2d_backprop_filter, {input, filter_sizes, out_backprop},
                 ops::conv2d_attrs(strides, padding, o), o.name);
}
Node nn::conv2d_backprop_filter(const Node& input, const std::vector<std::int64_t>& filter_sizes,
                                const Node& out_backprop, const std::vector<std::int64_t>& strides,
                                const std::string& padding, const Conv2DOptions& o) {
  return make_op(ops::op_conv2d_backprop_filter, {input, out_backprop},
                 ops::conv2d_attrs(strides, padding, o, filter_sizes), o.name);
}
}  // namespace tg
