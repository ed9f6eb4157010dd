// The update of GradientDescentOptimizer: v_i -= learning_rate * g_i, in place on each Variable's
// buffer. Inputs: v_1..v_n, then each variable's gradient: one input g_i, or, when the gradient is
// a matrix product (a dense layer's dW = Xᵀ·dY), its two operands a_i, b_i, and the update is one
// fused GEMM, v_i = -lr · op(a_i)·op(b_i) + v_i, with no gradient buffer and no second pass.
// Attribute `fused[i]` says which (empty: all plain), and transpose_a[i], transpose_b[i] the flags.
// Stateful: the executor runs it after every other node of the run, so all gradients see the old
// values. No output value.
#include "../kernels/gemm.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct GradientDescentAttrs {
  double learning_rate = 0;
  std::vector<std::int64_t> fused;        // per variable: 1 if its gradient is a product's operands
  std::vector<std::int64_t> transpose_a;  // per variable: that product's flags
  std::vector<std::int64_t> transpose_b;
};
const AttrSchema kGradientDescentAttrs = AttrSchema::of<GradientDescentAttrs>(
    {{"learning_rate", &GradientDescentAttrs::learning_rate}, {"fused", &GradientDescentAttrs::fused},
     {"transpose_a", &GradientDescentAttrs::transpose_a}, {"transpose_b", &GradientDescentAttrs::transpose_b}});
namespace {
struct Form {
  bool fused, ta, tb;
};
Form form(const Attrs& attrs, int i) {
  const auto& a = attrs.as<GradientDescentAttrs>();
  const auto k = static_cast<std::size_t>(i);
  auto flag = [&](const std::vector<std::int64_t>& v) { return k < v.size() && v[k] != 0; };
  return {flag(a.fused), flag(a.transpose_a), flag(a.transpose_b)};
}
int num_variables(const Attrs& attrs, int num_inputs) {
  int fused = 0;
  for (std::int64_t f : attrs.as<GradientDescentAttrs>().fused) fused += f != 0;
  return (num_inputs - fused) / 2;
}
Shape product_shape(const Shape& a, const Shape& b, const Form& f) {
  if (!a.rank_known() || !b.rank_known() || a.rank() != 2 || b.rank() != 2) return Shape::unknown_rank();
  if (a[f.ta ? 0 : 1] >= 0 && b[f.tb ? 1 : 0] >= 0 && a[f.ta ? 0 : 1] != b[f.tb ? 1 : 0])
    throw ShapeError("fused gradient " + a.str() + (f.ta ? "ᵀ" : "") + " · " + b.str() + (f.tb ? "ᵀ" : "") +
                     ": inner dimensions differ");
  return Shape{a[f.ta ? 1 : 0], b[f.tb ? 0 : 1]};
}

TypeShape infer(const InferCtx& c) {
  const int n = num_variables(c.attrs, c.num_inputs);
  for (int i = 0, g = n; i < n; ++i) {
    const TypeShape& v = c.input(i);
    const Form f = form(c.attrs, i);
    TypeShape grad = c.input(g++);
    if (f.fused) grad = {common_dtype(grad, c.input(g)), product_shape(grad.shape, c.input(g).shape, f)}, ++g;
    require_float(common_dtype(v, grad), "apply_gradient_descent");
    if (v.shape.fully_known() && grad.shape.fully_known() && !(v.shape == grad.shape))
      throw ShapeError("variable " + std::to_string(i) + " has shape " + v.shape.str() +
                       " but its gradient has shape " + grad.shape.str());
  }
  return {DType::unknown, Shape{}};
}
void compute(KernelCtx& c) {
  const int n = num_variables(c.attrs, c.num_inputs);
  for (int i = 0, g = n; i < n; ++i) {
    Tensor& v = *c.in[i];
    const Form f = form(c.attrs, i);
    if (f.fused) {
      const Tensor &a = c.input(g), &b = c.input(g + 1);
      g += 2;
      const Shape pv = product_shape(a.shape(), b.shape(), f);  // throws if the inner sizes differ
      if (a.dtype() != v.dtype() || b.dtype() != v.dtype())
        throw DTypeError("apply_gradient_descent '" + c.node_name + "': gradient operands " + dtype_name(a.dtype()) +
                         " and " + dtype_name(b.dtype()) + " for variable of " + dtype_name(v.dtype()));
      if (!pv.rank_known() || !(pv == v.shape()))
        throw ShapeError("apply_gradient_descent '" + c.node_name + "': gradient " + a.shape().str() +
                         (f.ta ? "ᵀ" : "") + " · " + b.shape().str() + (f.tb ? "ᵀ" : "") + " does not fit variable " +
                         v.shape().str());
      const kernels::MatmulDims d = kernels::matmul_dims(a.shape(), b.shape(), f.ta, f.tb);
      kernels::gemm(v.dtype(), a.raw(), b.raw(), v.raw(), d, kernels::GemmPath::automatic, -c.attrs.as<GradientDescentAttrs>().learning_rate, 1);
      continue;
    }
    const Tensor& grad = c.input(g++);
    if (!(v.shape() == grad.shape()))
      throw ShapeError("apply_gradient_descent '" + c.node_name + "': gradient shape " + grad.shape().str() +
                       " differs from variable shape " + v.shape().str());
    dispatch_float(v.dtype(), "apply_gradient_descent", [&]<class T>() {
      T* vp = v.data<T>();
      const T* gp = grad.data<T>();
      const T lr = static_cast<T>(c.attrs.as<GradientDescentAttrs>().learning_rate);
      for (std::int64_t k = 0; k < v.size(); ++k) vp[k] -= lr * gp[k];
    });
  }
}
}  // namespace
const OpDef op_apply_gradient_descent{.name = "apply_gradient_descent", .num_inputs = -1, .infer = infer,
                                      .compute = compute, .stateful = true, .attrs = &kGradientDescentAttrs};
}  // namespace ops
}  // namespace tg
