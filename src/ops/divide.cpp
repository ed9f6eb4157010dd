// z = x / y;  dz/dx = 1/y, dz/dy = -x/y^2. Integer division truncates (C++), by 0 is an error.
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "divide", [&]<class T>() {
    if constexpr (std::is_integral_v<T>) {  // NOTE: integer division by zero would trap
      const T* d = c.input(1).data<T>();
      for (std::int64_t i = 0; i < c.input(1).size(); ++i)
        if (d[i] == 0) throw Error("divide '" + c.node_name + "': integer division by zero");
    }
    kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T x, T y) { return static_cast<T>(x / y); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0), y = c.input(1), dy = c.dy;
  return {dy / y, -(dy * x / square(y))};
}
}  // namespace
const OpDef op_divide{"divide", 2, infer_arith, compute, grad, /*broadcasting=*/true};
}  // namespace ops

Node divide(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_divide, {x, y}, {}, name); }
}  // namespace tg
