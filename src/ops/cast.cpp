// y = x converted to `dtype` (C++ conversion; float -> int truncates);
// dx = cast(dy, x's dtype) between float dtypes, no gradient otherwise
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.attrs.dtype == DType::unknown) throw DTypeError("cast needs a target dtype");
  return {c.attrs.dtype, c.input(0).shape};
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
const OpDef op_cast{"cast", 1, infer, compute, grad};
}  // namespace ops

Node cast(const Node& x, DType dtype, const std::string& name) {
  Attrs a;
  a.dtype = dtype;
  return make_op(ops::op_cast, {x}, a, name);
}
}  // namespace tg
