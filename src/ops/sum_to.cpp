// y = g summed over the axes that numpy broadcasting added to turn like's shape into g's:
// the central "undo broadcasting" step of autodiff. dg = broadcast_like(dy, g)
#include <cstring>

#include "../kernels/reduce.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const Shape &g = c.input(0).shape, &like = c.input(1).shape;
  Shape b;
  if (!broadcast_shapes(g, like, b) || (b.fully_known() && g.fully_known() && !(b == g)))
    throw ShapeError("cannot sum " + g.str() + " down to " + like.str() + " (not a broadcast of it)");
  return {c.input(0).dtype, like};
}
void compute(KernelCtx& c) {
  const Tensor& g = c.input(0);
  const Shape& like = c.out.shape();
  // NOTE: autodiff inserts sum_to wherever shapes are unknown when the graph is built (an unshaped
  // placeholder); at run time most turn out equal: a copy.
  if (g.shape() == like) {
    std::memcpy(c.out.raw(), g.raw(), g.nbytes());
    return;
  }
  const int r = g.rank(), off = r - like.rank();
  bool mask[kMaxRank];
  for (int i = 0; i < r; ++i) mask[i] = i < off || (like[i - off] == 1 && g.shape()[i] != 1);
  dispatch_numeric(g.dtype(), "sum_to", [&]<class T>() {
    kernels::reduce<T>(g, c.out, mask, T(0), [](T a, T b) { return static_cast<T>(a + b); });
  });
}
std::vector<Node> grad(const GradCtx& c) { return {broadcast_like(c.dy, c.input(0)), Node()}; }
}  // namespace
const OpDef op_sum_to{"sum_to", 2, infer, compute, grad};
}  // namespace ops

Node sum_to(const Node& g, const Node& like, const std::string& name) {
  return make_op(ops::op_sum_to, {g, like}, {}, name);
}
}  // namespace tg
