// The gradient of c = matmul(a, b, transpose_a, transpose_b) with respect to one operand
// (`operand` 0: a, 1: b), from inputs (a, b, dc), for operands whose rank is unknown when
// the gradient graph is built (an unshaped placeholder). The ranks are read at run time: a 1-D a
// is the row [1, K], a 1-D b the column [K, 1], dc is [M, N] with the 1s dropped, so both cases
// are one product on the same memory:
//   da: op(a) = dc · op(b)ᵀ     db: op(b) = op(a)ᵀ · dc        (transposes as flags)
// The output takes the operand's shape. Its own gradient (dc enters linearly, and so does the
// other operand): with G the incoming gradient, of shape a (resp. b),
//   da-node: d b = matmul_grad_b(G, b, dc), d dc = matmul(G, b)     (a gives only its shape)
//   db-node: d a = matmul_grad_a(a, G, dc), d dc = matmul(a, G)     (b gives only its shape)
#include "../kernels/gemm.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {

struct MatmulGradAttrs {
  std::int64_t operand = 0;  // 0: the gradient of a, 1: of b
  bool transpose_a = false;  // the product's flags
  bool transpose_b = false;
};
int operand(const Attrs& attrs) {
  const auto& a = attrs.as<MatmulGradAttrs>();
  if (a.operand != 0 && a.operand != 1)
    throw GraphError("matmul_grad: operand must be 0 (gradient of a) or 1 (of b), got " + std::to_string(a.operand));
  return static_cast<int>(a.operand);
}

// The operands must make a valid product (matmul's own rule) whose shape dc has; shapes are
// checked again at run time, when they are all known, before the kernel runs.
TypeShape infer(const InferCtx& c) {
  const int which = operand(c.attrs);
  const auto& m = c.attrs.as<MatmulGradAttrs>();
  const TypeShape product = matmul_type(c.input(0), c.input(1), m.transpose_a, m.transpose_b);
  const TypeShape& dc = c.input(2);
  if (product.dtype != DType::unknown && dc.dtype != DType::unknown && product.dtype != dc.dtype)
    throw DTypeError("the gradient is " + dtype_name(dc.dtype) + ", the operands " + dtype_name(product.dtype));
  if (product.shape.fully_known() && dc.shape.fully_known() && !(product.shape == dc.shape))
    throw ShapeError("the gradient " + dc.shape.str() + " does not match the product's shape " + product.shape.str());
  const DType dt = dc.dtype == DType::unknown ? product.dtype : dc.dtype;
  require_float(dt, "matmul_grad");
  return {dt, c.input(which).shape};
}

// Shape s seen as a matrix: a 1-D operand is a row on the left, a column on the right.
Shape as_matrix(const Shape& s, bool left) {
  if (s.rank() == 2) return s;
  return left ? Shape{1, s[0]} : Shape{s[0], 1};
}

void compute(KernelCtx& c) {
  const Tensor &a = c.input(0), &b = c.input(1), &dc = c.input(2);
  const bool ta = c.attrs.as<MatmulGradAttrs>().transpose_a, tb = c.attrs.as<MatmulGradAttrs>().transpose_b;
  const kernels::MatmulDims fwd = kernels::matmul_dims(a.shape(), b.shape(), ta, tb);  // checked by infer
  const Shape a2 = as_matrix(a.shape(), true), b2 = as_matrix(b.shape(), false), dc2{fwd.m, fwd.n};
  const void *x, *y;
  kernels::MatmulDims d;
  if (operand(c.attrs) == 0) {  // op(a) = dc · op(b)ᵀ; stored a = ta ? op(b) · dcᵀ : dc · op(b)ᵀ
    d = ta ? kernels::matmul_dims(b2, dc2, tb, true) : kernels::matmul_dims(dc2, b2, false, !tb);
    x = ta ? b.raw() : dc.raw();
    y = ta ? dc.raw() : b.raw();
  } else {  // op(b) = op(a)ᵀ · dc; stored b = tb ? dcᵀ · op(a) : op(a)ᵀ · dc
    d = tb ? kernels::matmul_dims(dc2, a2, true, ta) : kernels::matmul_dims(a2, dc2, !ta, false);
    x = tb ? dc.raw() : a.raw();
    y = tb ? a.raw() : dc.raw();
  }
  kernels::gemm(c.out.dtype(), x, y, c.out.raw(), d);
}

std::vector<Node> grad(const GradCtx& c) {
  const Node a = c.input(0), b = c.input(1), dc = c.input(2), g = c.dy;
  const auto& m = c.node.attrs().as<MatmulGradAttrs>();
  const bool ta = m.transpose_a, tb = m.transpose_b;
  if (operand(c.node.attrs()) == 0) return {Node(), matmul_grad(g, b, dc, 1, ta, tb), matmul(g, b, ta, tb)};
  return {matmul_grad(a, g, dc, 0, ta, tb), Node(), matmul(a, g, ta, tb)};
}
}  // namespace
const AttrSchema kMatmulGradAttrs = AttrSchema::of<MatmulGradAttrs>(
    {{"operand", &MatmulGradAttrs::operand}, {"transpose_a", &MatmulGradAttrs::transpose_a},
     {"transpose_b", &MatmulGradAttrs::transpose_b}},
    {{"axes", "operand"}});  // NOTE: its name in model files before issue 12
const OpDef op_matmul_grad{.name = "matmul_grad", .num_inputs = 3, .infer = infer, .compute = compute, .grad = grad,
                           .attrs = &kMatmulGradAttrs};
}  // namespace ops

Node matmul_grad(const Node& a, const Node& b, const Node& dc, int operand, bool transpose_a, bool transpose_b,
                 const std::string& name) {
  return make_op(ops::op_matmul_grad, {a, b, dc},
                 ops::MatmulGradAttrs{.operand = operand, .transpose_a = transpose_a, .transpose_b = transpose_b}, name);
}
}  // namespace tg
