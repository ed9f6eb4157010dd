// y = x[spec]: numpy's basic indexing (integers, slices with steps, ..., new axes), specified as
// TensorFlow's strided_slice;  dx = dy scattered into zeros of x's shape (strided_slice_grad)
#include <algorithm>

#include "strided_slice.h"

namespace tg {
namespace ops {
const AttrSchema kStridedSliceAttrs = AttrSchema::of<SliceSpec>(
    {{"begin", &SliceSpec::begin}, {"end", &SliceSpec::end}, {"strides", &SliceSpec::strides},
     {"begin_mask", &SliceSpec::begin_mask}, {"end_mask", &SliceSpec::end_mask},
     {"ellipsis_mask", &SliceSpec::ellipsis_mask}, {"new_axis_mask", &SliceSpec::new_axis_mask},
     {"shrink_axis_mask", &SliceSpec::shrink_axis_mask}});

namespace {
TypeShape infer(const InferCtx& c) {
  return {c.input(0).dtype, resolve_slice(c.input(0).shape, c.attrs.as<SliceSpec>(), "strided_slice").out};
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const ResolvedSlice r = resolve_slice(x.shape(), c.attrs.as<SliceSpec>(), "strided_slice");
  dispatch_all(x.dtype(), [&]<class T>() {
    const T* xp = x.data<T>();
    T* y = c.out.data<T>();
    for_each_sliced_run(x.shape(), r, [&](std::int64_t at, std::int64_t i, std::int64_t n, std::int64_t step) {
      if (step == 1) {
        std::copy_n(xp + at, n, y + i);
      } else {
        for (std::int64_t k = 0; k < n; ++k) y[i + k] = xp[at + k * step];
      }
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {strided_slice_grad(c.input(0), c.dy, c.node.attrs().as<SliceSpec>())};
}
}  // namespace
const OpDef op_strided_slice{.name = "strided_slice", .num_inputs = 1, .infer = infer, .compute = compute,
                             .grad = grad, .attrs = &kStridedSliceAttrs};
}  // namespace ops

Node strided_slice(const Node& x, const SliceSpec& spec, const std::string& name) {
  return make_op(ops::op_strided_slice, {x}, spec, name);
}
}  // namespace tg
