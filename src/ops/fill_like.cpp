// y = `value` everywhere, shaped like x (a 0-d scalar when `scalar`); reads only x's
// dtype and shape. dx = 0: no gradient flows.
#include "../graph/graph_impl.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct FillLikeAttrs {
  double value = 0;     // the value of every element
  bool scalar = false;  // a 0-d result instead of x's shape
};
const AttrSchema kFillLikeAttrs =
    AttrSchema::of<FillLikeAttrs>({{"value", &FillLikeAttrs::value}, {"scalar", &FillLikeAttrs::scalar}},
                                  {{"all_axes", "scalar"}});  // NOTE: its name in model files before issue 12
namespace {
TypeShape infer(const InferCtx& c) {
  const DType d = c.input(0).dtype;
  const auto& a = c.attrs.as<FillLikeAttrs>();
  require_fits(a.value, d, "fill_like");
  return {d, a.scalar ? Shape{} : c.input(0).shape};
}
void compute(KernelCtx& c) {
  dispatch_all(c.out.dtype(), [&]<class T>() {
    T* y = c.out.data<T>();
    const T v = static_cast<T>(c.attrs.as<FillLikeAttrs>().value);
    for (std::int64_t i = 0; i < c.out.size(); ++i) y[i] = v;
  });
}
std::vector<Node> grad(const GradCtx&) { return {Node()}; }
}  // namespace
const OpDef op_fill_like{.name = "fill_like", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                         .attrs = &kFillLikeAttrs};
}  // namespace ops

Node fill_like(const Node& x, double value, const std::string& name) {
  return make_op(ops::op_fill_like, {x}, ops::FillLikeAttrs{.value = value}, name);
}

Node zeros_like(const Node& x, const std::string& name) { return fill_like(x, 0, name); }
Node ones_like(const Node& x, const std::string& name) { return fill_like(x, 1, name); }

Node scalar_like(const Node& x, double v) {
  if (x.dtype() != DType::unknown) return detail::constant_in(x.graph(), Tensor::full({}, v, x.dtype()));
  return make_op(ops::op_fill_like, {x}, ops::FillLikeAttrs{.value = v, .scalar = true});
}
}  // namespace tg
