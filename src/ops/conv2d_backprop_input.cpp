// dx[n,h,w,c] = Σ dy[n,i,j,o] · w[p,q,c,o] over the taps (i,j,p,q) that read x[n,h,w,c] in conv2d:
// conv2d's adjoint in x, linear in (dy) and in (w). Inputs (input_sizes, filters, out_backprop):
// the first gives only its shape; or (filters, out_backprop) with the input_sizes attribute.
// d/dw <g, dx> = conv2d_backprop_filter(g, dy);  d/d dy <g, dx> = conv2d(g, w)
#include "conv2d.h"

namespace tg {
namespace ops {
namespace {
constexpr const char* kWhat = "conv2d_backprop_input";

struct Parts {
  Shape x;
  kernels::ConvGeometry g;
};
Parts parts(int num_inputs, const Shape& first, const Shape& w, const Shape& dy, const Conv2DAttrs& a) {
  check_arity(num_inputs, a, kWhat, "input_sizes");
  const std::int64_t batch = dy.rank_known() && dy.rank() == 4 ? dy[0] : -1;
  Parts p{num_inputs == 3 ? first : listed_sizes(a.sizes, true, batch, kWhat, "input_sizes"), {}};
  p.g = conv_geometry(p.x, w, a, kWhat);
  check_out_backprop(p.g, dy, kWhat);
  return p;
}
TypeShape infer(const InferCtx& c) {
  const int f = c.num_inputs - 2;  // the filters' index
  const Shape& first = c.input(0).shape;
  return {conv_dtype(c.input(f), c.input(f + 1), kWhat),
          parts(c.num_inputs, first, c.input(f).shape, c.input(f + 1).shape, c.attrs.as<Conv2DAttrs>()).x};
}
void compute(KernelCtx& c) {
  const int f = c.num_inputs - 2;
  const Tensor &w = c.input(f), &dy = c.input(f + 1);
  const Parts p = parts(c.num_inputs, c.input(0).shape(), w.shape(), dy.shape(), c.attrs.as<Conv2DAttrs>());
  kernels::conv2d(kernels::ConvPass::backward_data, dy.dtype(), p.g, dy.raw(), w.raw(), c.out.raw(), c.node_name);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<Conv2DAttrs>();
  const nn::Conv2DOptions o{.data_format = a.data_format, .dilations = a.dilations};
  const bool listed = !a.sizes.empty();
  const Node w = c.input(listed ? 0 : 1), dy = c.input(listed ? 1 : 2);
  std::vector<Node> d{nn::conv2d_backprop_filter(c.dy, w, dy, a.strides, a.padding, o),
                      nn::conv2d(c.dy, w, a.strides, a.padding, o)};
  if (!listed) d.insert(d.begin(), Node());
  return d;
}
}  // namespace
const OpDef op_conv2d_backprop_input{.name = kWhat, .num_inputs = -1, .infer = infer, .compute = compute,
                                     .grad = grad, .attrs = &kConv2DBackpropInputAttrs};
}  // namespace ops

Node nn::conv2d_backprop_input(const Node& input_sizes, const Node& filters, const Node& out_backprop,
                               const std::vector<std::int64_t>& strides, const std::string& padding,
                               const Conv2DOptions& o) {
  return make_op(ops::op_conv2d_backprop_input, {input_sizes, filters, out_backprop},
                 ops::conv2d_attrs(strides, padding, o), o.name);
}
Node nn::conv2d_backprop_input(const std::vector<std::int64_t>& input_sizes, const Node& filters,
                               const Node& out_backprop, const std::vector<std::int64_t>& strides,
                               const std::string& padding, const Conv2DOptions& o) {
  return make_op(ops::op_conv2d_backprop_input, {filters, out_backprop},
                 ops::conv2d_attrs(strides, padding, o, input_sizes), o.name);
}
Node nn::conv2d_transpose(const Node& value, const Node& filters, const std::vector<std::int64_t>& output_shape,
                          const std::vector<std::int64_t>& strides, const std::string& padding,
                          const Conv2DOptions& o) {
  return conv2d_backprop_input(output_shape, filters, value, strides, padding, o);
}
}  // namespace tg
