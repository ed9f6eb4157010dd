// y broadcast to like's shape. Two modes:
// - numpy (no axes): y's shape broadcasts to like's;  dy_in = sum_to(dy, y)
// - reduction adjoint (all_axes or axes, keepdims as the reduction had): y has like's shape
//   reduced over those axes; with `mean` every value is divided by the reduced count;
//   dy_in = reduce_sum(dy) or reduce_mean(dy) over the same axes.
#include "../kernels/elementwise.h"
#include "op_helpers.h"
#include "op_list.h"

namespace tg {
namespace ops {
namespace {
bool reduction_mode(const Attrs& a) { return a.all_axes || !a.axes.empty(); }

TypeShape infer(const InferCtx& c) {
  const Shape &y = c.input(0).shape, &like = c.input(1).shape;
  if (reduction_mode(c.attrs)) {
    Shape want = reduced_shape(like, c.attrs, "broadcast_like");
    if (want.fully_known() && y.fully_known() && !(want == y))
      throw ShapeError("expected a value of the reduced shape " + want.str() + ", got " + y.str());
  } else {
    Shape b;
    if (!broadcast_shapes(y, like, b) || (b.fully_known() && like.fully_known() && !(b == like)))
      throw ShapeError("cannot broadcast " + y.str() + " to " + like.str());
  }
  return {c.input(0).dtype, like};
}
void compute(KernelCtx& c) {
  const Tensor& y = c.input(0);
  const Shape& out = c.out.shape();
  Shape yshape = y.shape();
  if (reduction_mode(c.attrs)) {  // view y with the reduced axes kept as 1s
    bool mask[kMaxRank] = {};
    for (int i = 0; i < out.rank(); ++i) mask[i] = c.attrs.all_axes;
    for (auto a : c.attrs.axes) mask[normalize_axis(a, out.rank(), "broadcast_like")] = true;
    yshape = Shape{};
    for (int i = 0; i < out.rank(); ++i) yshape.push_back(mask[i] ? 1 : out[i]);
  }
  dispatch_numeric(y.dtype(), "broadcast_like", [&]<class T>() {
    kernels::broadcast_copy<T>(y, yshape, c.out);
    if (c.attrs.mean && y.size() > 0) {
      const T inv = static_cast<T>(static_cast<double>(y.size()) / static_cast<double>(c.out.size()));
      T* p = c.out.data<T>();
      for (std::int64_t i = 0; i < c.out.size(); ++i) p[i] *= inv;
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Attrs& a = c.node.attrs();
  if (!reduction_mode(a)) return {sum_to(c.dy, c.input(0)), Node()};
  Attrs r;
  r.axes = a.axes;
  r.all_axes = a.all_axes;
  r.keepdims = a.keepdims;
  return {make_op(a.mean ? op_reduce_mean : op_reduce_sum, {c.dy}, r), Node()};
}
}  // namespace
const OpDef op_broadcast_like{"broadcast_like", 2, infer, compute, grad};
}  // namespace ops

Node broadcast_like(const Node& y, const Node& like, const std::string& name) {
  return make_op(ops::op_broadcast_like, {y, like}, {}, name);
}
}  // namespace tg
