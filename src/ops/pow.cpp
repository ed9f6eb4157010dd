// z = x^y, with broadcasting;  dz/dx = y x^(y-1),  dz/dy = log(x) x^y where x > 0, else 0 (as
// TensorFlow). Integers: exact, wrapping on overflow (numpy); a negative integer exponent is an error.
#include <cmath>
#include <limits>
#include <type_traits>

#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
template <class T> T int_pow(T base, T exp) {  // exp >= 0, by squaring; unsigned: wraps without UB
  using U = std::make_unsigned_t<T>;
  U result = 1, b = static_cast<U>(base);
  for (T e = exp; e > 0; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return static_cast<T>(result);
}
void compute(KernelCtx& c) {
  dispatch_numeric(c.out.dtype(), "pow", [&]<class T>() {
    if constexpr (std::is_integral_v<T>) {
      const T* e = c.input(1).data<T>();
      for (std::int64_t i = 0; i < c.input(1).size(); ++i)
        if (e[i] < 0)
          throw Error("pow '" + c.node_name + "': integers to negative integer powers are not allowed (exponent " +
                      std::to_string(e[i]) + "; cast to float first)");
      kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T x, T y) { return int_pow(x, y); });
    } else {
      kernels::map_binary<T>(c.input(0), c.input(1), c.out, [](T x, T y) { return std::pow(x, y); });
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node x = c.input(0), y = c.input(1), z = c.output();
  const Node positive = cast_like(greater(x, scalar_like(x, 0)), x, "pow");
  // NOTE: log of max(x, the least positive value) is finite for every x <= 0, so the mask's 0
  // removes it (a NaN or -inf times 0 would stay NaN).
  const double least = x.dtype() == DType::f32 ? std::numeric_limits<float>::denorm_min()
                                               : std::numeric_limits<double>::denorm_min();
  const Node log_x = positive * log(maximum(x, scalar_like(x, least)));
  return {c.dy * y * pow(x, y - 1.0), c.dy * log_x * z};
}
}  // namespace
const OpDef op_pow{"pow", 2, infer_arith, compute, grad, /*broadcasting=*/true};
}  // namespace ops

Node pow(const Node& x, const Node& y, const std::string& name) { return make_op(ops::op_pow, {x, y}, {}, name); }
}  // namespace tg
