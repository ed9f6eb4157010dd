// y = index of the first maximum of x along `axis` (a NaN counts as the maximum, as numpy and
// reduce_max), int64; not differentiable
#include "op_helpers.h"

namespace tg {
namespace ops {
struct ArgmaxAttrs {
  std::int64_t axis = 0;  // negative counts from the end
};
const AttrSchema kArgmaxAttrs = AttrSchema::of<ArgmaxAttrs>({{"axis", &ArgmaxAttrs::axis}},
                                                            {{"axes", "axis"}});  // NOTE: "axes": [k] before issue 12
namespace {
TypeShape infer(const InferCtx& c) {
  const Shape& s = c.input(0).shape;
  TypeShape out{DType::i64, Shape::unknown_rank()};
  if (c.input(0).dtype == DType::boolean) throw DTypeError("argmax of bool is not supported");
  if (!s.rank_known()) return out;
  if (s.rank() == 0) throw ShapeError("argmax needs at least 1 dimension, got a scalar");
  int axis = normalize_axis(c.attrs.as<ArgmaxAttrs>().axis, s.rank(), "argmax");
  if (s[axis] == 0) throw ShapeError("argmax along an empty axis of " + s.str());
  out.shape = Shape{};
  for (int i = 0; i < s.rank(); ++i)
    if (i != axis) out.shape.push_back(s[i]);
  return out;
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const Shape& s = x.shape();
  const int axis = normalize_axis(c.attrs.as<ArgmaxAttrs>().axis, s.rank(), "argmax");
  std::int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= s[i];
  for (int i = axis + 1; i < s.rank(); ++i) inner *= s[i];
  const std::int64_t n = s[axis];
  std::int64_t* y = c.out.data<std::int64_t>();
  dispatch_numeric(x.dtype(), "argmax", [&]<class T>() {
    const T* xp = x.data<T>();
    for (std::int64_t o = 0; o < outer; ++o)
      for (std::int64_t i = 0; i < inner; ++i) {
        const T* base = xp + o * n * inner + i;
        std::int64_t best = 0;
        for (std::int64_t k = 1; k < n; ++k) {
          const T v = base[k * inner], m = base[best * inner];
          if (m != m) break;  // the first NaN is the answer
          if (v > m || v != v) best = k;
        }
        y[o * inner + i] = best;
      }
  });
}
}  // namespace
const OpDef op_argmax{.name = "argmax", .num_inputs = 1, .infer = infer, .compute = compute, .attrs = &kArgmaxAttrs};
}  // namespace ops

Node argmax(const Node& x, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_argmax, {x}, ops::ArgmaxAttrs{.axis = axis}, name);
}
}  // namespace tg
