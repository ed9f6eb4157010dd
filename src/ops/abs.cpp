// y = |x|;  dy/dx = sign(x) (0 at 0, as TensorFlow). Integers wrap at the most negative value (numpy).
#include <cmath>
#include <type_traits>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype == DType::boolean) throw DTypeError("abs of bool is not supported");
  return c.input(0);
}
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "abs", [&]<class T>() {
    if constexpr (std::is_integral_v<T>) {
      using U = std::make_unsigned_t<T>;  // NOTE: -x of the most negative value would be UB
      kernels::map_unary<T>(c.input(0), c.out, [](T x) { return x < 0 ? static_cast<T>(U(0) - U(x)) : x; });
    } else {
      kernels::map_unary<T>(c.input(0), c.out, [](T x) { return std::fabs(x); });
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0), zero = scalar_like(x, 0);
  const Node sign = cast_like(greater(x, zero), x, "abs") - cast_like(less(x, zero), x, "abs");
  return {c.dy * sign};
}
}  // namespace
const OpDef op_abs{"abs", 1, infer, compute, grad};
}  // namespace ops

Node abs(const Node& x, const std::string& name) { return make_op(ops::op_abs, {x}, {}, name); }
}  // namespace tg
