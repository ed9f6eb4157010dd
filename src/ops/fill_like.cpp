// y = `value` everywhere, shaped like x (a 0-d scalar when attrs.all_axes); reads only x's
// dtype and shape. dx = 0: no gradient flows.
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const DType d = c.input(0).dtype;
  const double v = c.attrs.value, top = d == DType::i32 ? 0x1p31 : 0x1p63;  // NOTE: exclusive bound, exact
  if ((d == DType::i32 || d == DType::i64) && !(v >= -top && v < top))  // NaN fails too
    throw DTypeError("fill_like: value " + std::to_string(v) + " does not fit " + dtype_name(d));
  return {d, c.attrs.all_axes ? Shape{} : c.input(0).shape};
}
void compute(KernelCtx& c) {
  dispatch_all(c.out.dtype(), [&]<class T>() {
    T* y = c.out.data<T>();
    const T v = static_cast<T>(c.attrs.value);
    for (std::int64_t i = 0; i < c.out.size(); ++i) y[i] = v;
  });
}
std::vector<Node> grad(const GradCtx&) { return {Node()}; }
}  // namespace
const OpDef op_fill_like{"fill_like", 1, infer, compute, grad};
}  // namespace ops

Node fill_like(const Node& x, double value, const std::string& name) {
  Attrs a;
  a.value = value;
  return make_op(ops::op_fill_like, {x}, a, name);
}
}  // namespace tg
