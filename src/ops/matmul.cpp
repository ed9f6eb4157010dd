// C = op(A) · op(B), numpy dot for rank <= 2 (a 1-D operand is a row on the left, a column on
// the right). dop(A) = dC · op(B)ᵀ, dop(B) = op(A)ᵀ · dC, expressed with transpose flags, never
// with transpose copies.
#include "../kernels/gemm.h"
#include "op_helpers.h"

namespace tg {
namespace ops {

TypeShape matmul_type(const TypeShape& a, const TypeShape& b, bool transpose_a, bool transpose_b) {
  TypeShape out{common_dtype(a, b), Shape::unknown_rank()};
  if (out.dtype == DType::boolean) throw DTypeError("matmul of bool is not supported");
  for (int i = 0; i < 2; ++i) {
    const Shape& s = i == 0 ? a.shape : b.shape;
    bool t = i == 0 ? transpose_a : transpose_b;
    if (s.rank_known() && (s.rank() < 1 || s.rank() > 2))
      throw ShapeError(std::string(i ? "b" : "a") + " must be 1-D or 2-D, got " + s.str());
    if (t && s.rank() == 1)
      throw ShapeError(std::string(i ? "transpose_b" : "transpose_a") + " needs a 2-D operand, got " + s.str());
  }
  if (!a.shape.rank_known() || !b.shape.rank_known()) return out;
  const bool a2 = a.shape.rank() == 2, b2 = b.shape.rank() == 2;
  const std::int64_t m = a2 ? a.shape[transpose_a ? 1 : 0] : 1;
  const std::int64_t ka = a2 ? a.shape[transpose_a ? 0 : 1] : a.shape[0];
  const std::int64_t kb = b2 ? b.shape[transpose_b ? 1 : 0] : b.shape[0];
  const std::int64_t n = b2 ? b.shape[transpose_b ? 0 : 1] : 1;
  if (ka >= 0 && kb >= 0 && ka != kb)
    throw ShapeError("inner dimensions differ: " + std::to_string(ka) + " (a " + a.shape.str() + ") vs " +
                     std::to_string(kb) + " (b " + b.shape.str() + ")");
  out.shape = Shape{};
  if (a2) out.shape.push_back(m);
  if (b2) out.shape.push_back(n);
  return out;
}

struct MatmulAttrs {
  bool transpose_a = false;  // use aᵀ (2-D a only)
  bool transpose_b = false;  // use bᵀ (2-D b only)
};
const AttrSchema kMatmulAttrs = AttrSchema::of<MatmulAttrs>(
    {{"transpose_a", &MatmulAttrs::transpose_a}, {"transpose_b", &MatmulAttrs::transpose_b}});
namespace {

TypeShape infer(const InferCtx& c) {
  const auto& m = c.attrs.as<MatmulAttrs>();
  return matmul_type(c.input(0), c.input(1), m.transpose_a, m.transpose_b);
}

void compute(KernelCtx& c) {
  const Tensor &a = c.input(0), &b = c.input(1);
  const auto& m = c.attrs.as<MatmulAttrs>();
  kernels::MatmulDims d = kernels::matmul_dims(a.shape(), b.shape(), m.transpose_a, m.transpose_b);
  if (is_floating(c.out.dtype())) return kernels::gemm(c.out.dtype(), a.raw(), b.raw(), c.out.raw(), d);
  dispatch_numeric(c.out.dtype(), "matmul", [&]<class T>() {
    kernels::matmul<T>(a.data<T>(), b.data<T>(), c.out.data<T>(), d);
  });
}

Node column(const Node& v) { return reshape(v, {-1, 1}); }
Node row(const Node& v) { return reshape(v, {1, -1}); }

std::vector<Node> grad(const GradCtx& c) {
  const Node a = c.input(0), b = c.input(1), dy = c.dy;
  const auto& m = c.node.attrs().as<MatmulAttrs>();
  const bool ta = m.transpose_a, tb = m.transpose_b;
  // An operand of unknown rank (an unshaped placeholder) may be fed 1-D or 2-D: matmul_grad reads
  // the ranks at run time.
  if (!a.shape().rank_known() || !b.shape().rank_known())
    return {matmul_grad(a, b, dy, 0, ta, tb), matmul_grad(a, b, dy, 1, ta, tb)};
  const bool a2 = a.shape().rank() == 2, b2 = b.shape().rank() == 2;
  if (a2 && b2)
    return {ta ? matmul(b, dy, tb, true) : matmul(dy, b, false, !tb),
            tb ? matmul(dy, a, true, ta) : matmul(a, dy, !ta, false)};
  if (a2)  // [M,K]·[K] -> [M]
    return {ta ? matmul(column(b), row(dy)) : matmul(column(dy), row(b)), matmul(a, dy, !ta, false)};
  if (b2)  // [K]·[K,N] -> [N]
    return {matmul(b, dy, tb, false), tb ? matmul(column(dy), row(a)) : matmul(column(a), row(dy))};
  return {dy * b, dy * a};  // [K]·[K] -> scalar
}

}  // namespace
const OpDef op_matmul{.name = "matmul", .num_inputs = 2, .infer = infer, .compute = compute, .grad = grad,
                     .attrs = &kMatmulAttrs};
}  // namespace ops

Node matmul(const Node& a, const Node& b, bool transpose_a, bool transpose_b, const std::string& name) {
  return make_op(ops::op_matmul, {a, b}, ops::MatmulAttrs{.transpose_a = transpose_a, .transpose_b = transpose_b},
                 name);
}
Node matmul(const Node& a, const Node& b, const MatmulOptions& o) {
  return matmul(a, b, o.transpose_a, o.transpose_b, o.name);
}
}  // namespace tg
