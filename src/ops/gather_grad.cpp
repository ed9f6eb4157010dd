// dparams = zeros shaped like params (its values unread) with dy[..., j, ...] added at
// params[..., indices[j], ...] along `axis`: repeated indices accumulate. Inputs (params, indices, dy).
// Linear in dy: d/d dy = gather(g, indices, axis)
#include <cstring>

#include "gather.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  require_index_dtype(c.input(1).dtype, "gather_grad");
  const auto axis = c.attrs.as<GatherAttrs>().axis;
  const Shape want = gathered_shape(c.input(0).shape, c.input(1).shape, axis, "gather_grad");
  if (!agree(want, c.input(2).shape))
    throw ShapeError("gather_grad: dy " + c.input(2).shape.str() + " is not shaped like the gather's output " +
                     want.str());
  require_float(c.input(2).dtype, "gather_grad");
  return {common_dtype(c.input(0), c.input(2)), c.input(0).shape};
}
void compute(KernelCtx& c) {
  const int axis = normalize_axis(c.attrs.as<GatherAttrs>().axis, c.out.rank(), "gather_grad");
  std::memset(c.out.raw(), 0, c.out.nbytes());
  dispatch_float(c.out.dtype(), "gather_grad", [&]<class T>() {
    const T* dy = c.input(2).data<T>();
    T* dx = c.out.data<T>();
    for_each_gathered(c.out.shape(), c.input(1), axis, c.node_name, [&](std::int64_t at, std::int64_t from, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) dx[at + i] += dy[from + i];
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {Node(), Node(), gather(c.dy, c.input(1), c.node.attrs().as<GatherAttrs>().axis)};
}
}  // namespace
const OpDef op_gather_grad{.name = "gather_grad", .num_inputs = 3, .infer = infer, .compute = compute,
                           .grad = grad, .attrs = &kGatherAttrs};
}  // namespace ops

Node gather_grad(const Node& params, const Node& indices, const Node& dy, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_gather_grad, {params, indices, dy}, ops::GatherAttrs{.axis = axis}, name);
}
}  // namespace tg
