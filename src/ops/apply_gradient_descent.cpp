// The update of GradientDescentOptimizer: v_i -= learning_rate * g_i for inputs
// [v_1..v_n, g_1..g_n], in place on each Variable's buffer. Stateful: the executor runs it after
// every other node of the run, so all gradients see the old values. No output value.
#include "../graph/graph_impl.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  if (c.num_inputs % 2 != 0) throw GraphError("expected variables and gradients in pairs");
  const int n = c.num_inputs / 2;
  for (int i = 0; i < n; ++i) {
    const TypeShape &v = c.input(i), &g = c.input(n + i);
    require_float(common_dtype(v, g), "apply_gradient_descent");
    if (v.shape.fully_known() && g.shape.fully_known() && !(v.shape == g.shape))
      throw ShapeError("variable " + std::to_string(i) + " has shape " + v.shape.str() +
                       " but its gradient has shape " + g.shape.str());
  }
  return {DType::unknown, Shape{}};
}
void compute(KernelCtx& c) {
  const int n = c.num_inputs / 2;
  for (int i = 0; i < n; ++i) {
    Tensor& v = *c.in[i];
    const Tensor& g = c.input(n + i);
    if (!(v.shape() == g.shape()))
      throw ShapeError("apply_gradient_descent '" + c.node.name + "': gradient shape " + g.shape().str() +
                       " differs from variable shape " + v.shape().str());
    dispatch_float(v.dtype(), "apply_gradient_descent", [&]<class T>() {
      T* vp = v.data<T>();
      const T* gp = g.data<T>();
      const T lr = static_cast<T>(c.attrs.value);
      for (std::int64_t k = 0; k < v.size(); ++k) vp[k] -= lr * gp[k];
    });
  }
}
}  // namespace
const OpDef op_apply_gradient_descent{"apply_gradient_descent", -1, infer, compute, nullptr, false, true};
}  // namespace ops
}  // namespace tg
