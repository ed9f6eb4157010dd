// z = (x > y) as bool, with broadcasting; not differentiable.
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  TypeShape ts = infer_broadcast(c);
  ts.dtype = DType::boolean;
  return ts;
}
void compute(KernelCtx& c) {
  dispatch_all(c.input(0).dtype(), [&]<class T>() {
    kernels::map_binary<T, bool>(c.input(0), c.input(1), c.out, [](T x, T y) { return x > y; });
  });
}
}  // namespace
const OpDef op_greater{"greater", 2, infer, compute, nullptr, /*broadcasting=*/true};
}  // namespace ops

Node greater(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_greater, {x, y}, {}, name); }
}  // namespace tg
