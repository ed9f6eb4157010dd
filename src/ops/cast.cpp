// y = x converted to `dtype` (C++ conversion; float -> int truncates);
// dx = cast(dy, x's dtype) between float dtypes, no gradient otherwise
#include "op_helpers.h"

namespace tg {
namespace ops {
struct CastAttrs {
  DType dtype = DType::unknown;  // the target
};
const AttrSchema kCastAttrs = AttrSchema::of<CastAttrs>({{"dtype", &CastAttrs::dtype}});
namespace {
TypeShape infer(const InferCtx& c) {
  const DType to = c.attrs.as<CastAttrs>().dtype;
  if (to == DType::unknown) throw DTypeError("cast needs a target dtype");
  return {to, c.input(0).shape};
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  dispatch_all(x.dtype(), [&]<class S>() {
    dispatch_all(c.out.dtype(), [&]<class D>() {
      const S* s = x.data<S>();
      D* d = c.out.data<D>();
      for (std::int64_t i = 0; i < x.size(); ++i) d[i] = static_cast<D>(s[i]);
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0);
  if (!is_floating(x.dtype()) || !is_floating(c.node.dtype())) return {Node()};
  return {cast(c.dy, x.dtype())};
}
}  // namespace
const OpDef op_cast{.name = "cast", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                   .attrs = &kCastAttrs};
}  // namespace ops

Node cast(const Node& x, DType dtype, const std::string& name) {
  return make_op(ops::op_cast, {x}, ops::CastAttrs{.dtype = dtype}, name);
}
}  // namespace tg
