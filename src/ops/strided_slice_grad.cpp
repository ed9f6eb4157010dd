// dx = dy scattered into zeros of x's shape at the elements strided_slice(x, spec) reads: its
// adjoint (x gives only its shape);  d/d dy = strided_slice(g, spec), nothing flows to x
#include <algorithm>
#include <cstring>

#include "strided_slice.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const Shape& x = c.input(0).shape;
  const Shape sliced = resolve_slice(x, c.attrs.as<SliceSpec>(), "strided_slice_grad").out;
  const Shape& dy = c.input(1).shape;
  bool fits = !sliced.rank_known() || !dy.rank_known() || sliced.rank() == dy.rank();
  for (int i = 0; fits && sliced.rank_known() && i < sliced.rank() && dy.rank_known(); ++i)
    fits = sliced[i] < 0 || dy[i] < 0 || sliced[i] == dy[i];
  if (!fits) throw ShapeError("the gradient " + dy.str() + " does not have the slice's shape " + sliced.str());
  return {c.input(1).dtype, x};
}
void compute(KernelCtx& c) {
  const Shape& x = c.input(0).shape();
  const ResolvedSlice r = resolve_slice(x, c.attrs.as<SliceSpec>(), "strided_slice_grad");
  std::memset(c.out.raw(), 0, c.out.nbytes());
  dispatch_all(c.out.dtype(), [&]<class T>() {
    const T* dy = c.input(1).data<T>();
    T* dx = c.out.data<T>();
    for_each_sliced_run(x, r, [&](std::int64_t at, std::int64_t i, std::int64_t n, std::int64_t step) {
      if (step == 1) {
        std::copy_n(dy + i, n, dx + at);
      } else {
        for (std::int64_t k = 0; k < n; ++k) dx[at + k * step] = dy[i + k];
      }
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {Node(), strided_slice(c.dy, c.node.attrs().as<SliceSpec>())};
}
}  // namespace
const OpDef op_strided_slice_grad{.name = "strided_slice_grad", .num_inputs = 2, .infer = infer,
                                  .compute = compute, .grad = grad, .attrs = &kStridedSliceAttrs};
}  // namespace ops

Node strided_slice_grad(const Node& x, const Node& dy, const SliceSpec& spec, const std::string& name) {
  return make_op(ops::op_strided_slice_grad, {x, dy}, spec, name);
}
}  // namespace tg
