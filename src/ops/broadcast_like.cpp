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
struct BroadcastLikeAttrs {
  std::vector<std::int64_t> axes;  // reduction adjoint: the axes the reduction removed
  bool all_axes = false;           // reduction adjoint: it removed every axis
  bool keepdims = false;           // reduction adjoint: it kept them as 1s
  bool mean = false;               // reduction adjoint: divide by the reduced count
  ReduceAttrs reduction() const { return {.axes = axes, .all_axes = all_axes, .keepdims = keepdims}; }
};
const AttrSchema kBroadcastLikeAttrs = AttrSchema::of<BroadcastLikeAttrs>(
    {{"axes", &BroadcastLikeAttrs::axes}, {"all_axes", &BroadcastLikeAttrs::all_axes},
     {"keepdims", &BroadcastLikeAttrs::keepdims}, {"mean", &BroadcastLikeAttrs::mean}});

namespace {
bool reduction_mode(const BroadcastLikeAttrs& a) { return a.all_axes || !a.axes.empty(); }

TypeShape infer(const InferCtx& c) {
  const Shape &y = c.input(0).shape, &like = c.input(1).shape;
  const auto& a = c.attrs.as<BroadcastLikeAttrs>();
  if (reduction_mode(a)) {
    Shape want = reduced_shape(like, a.reduction(), "broadcast_like");
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
  const auto& a = c.attrs.as<BroadcastLikeAttrs>();
  if (reduction_mode(a)) {  // view y with the reduced axes kept as 1s
    bool mask[kMaxRank] = {};
    for (int i = 0; i < out.rank(); ++i) mask[i] = a.all_axes;
    for (auto axis : a.axes) mask[normalize_axis(axis, out.rank(), "broadcast_like")] = true;
    yshape = Shape{};
    for (int i = 0; i < out.rank(); ++i) yshape.push_back(mask[i] ? 1 : out[i]);
  }
  dispatch_numeric(y.dtype(), "broadcast_like", [&]<class T>() {
    kernels::broadcast_copy<T>(y, yshape, c.out);
    if (a.mean && y.size() > 0) {
      const T inv = static_cast<T>(static_cast<double>(y.size()) / static_cast<double>(c.out.size()));
      T* p = c.out.data<T>();
      for (std::int64_t i = 0; i < c.out.size(); ++i) p[i] *= inv;
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<BroadcastLikeAttrs>();
  if (!reduction_mode(a)) return {sum_to(c.dy, c.input(0)), Node()};
  return {make_op(a.mean ? op_reduce_mean : op_reduce_sum, {c.dy}, a.reduction()), Node()};
}
}  // namespace
const OpDef op_broadcast_like{.name = "broadcast_like", .num_inputs = 2, .infer = infer, .compute = compute,
                              .grad = grad, .attrs = &kBroadcastLikeAttrs};

Node unreduce(const Node& dy, const Node& x, const ReduceAttrs& r, bool mean) {
  return make_op(op_broadcast_like, {dy, x},
                 BroadcastLikeAttrs{.axes = r.axes, .all_axes = r.all_axes, .keepdims = r.keepdims, .mean = mean});
}
}  // namespace ops

Node broadcast_like(const Node& y, const Node& like, const std::string& name) {
  return make_op(ops::op_broadcast_like, {y, like}, {}, name);
}
}  // namespace tg
