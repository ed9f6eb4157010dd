// y = x with axes permuted: y.shape[i] = x.shape[perm[i]];  dx = transpose(dy, inverse(perm))
#include "../kernels/strided.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct TransposeAttrs {
  std::vector<std::int64_t> perm;  // output axis i is input axis perm[i]; empty: reversed
};
const AttrSchema kTransposeAttrs =
    AttrSchema::of<TransposeAttrs>({{"perm", &TransposeAttrs::perm}}, {{"axes", "perm"}});  // NOTE: "axes" before issue 12
namespace {
// The permutation for rank r: `perm`, or reversed axes when empty; validated.
void permutation(const TransposeAttrs& a, int r, int* perm) {
  if (a.perm.empty()) {
    for (int i = 0; i < r; ++i) perm[i] = r - 1 - i;
    return;
  }
  if (static_cast<int>(a.perm.size()) != r)
    throw ShapeError("perm has " + std::to_string(a.perm.size()) + " axes for a rank-" + std::to_string(r) + " input");
  bool seen[kMaxRank] = {};
  for (int i = 0; i < r; ++i) {
    perm[i] = normalize_axis(a.perm[static_cast<std::size_t>(i)], r, "transpose");
    if (seen[perm[i]]) throw ShapeError("perm repeats axis " + std::to_string(perm[i]));
    seen[perm[i]] = true;
  }
}
TypeShape infer(const InferCtx& c) {
  const Shape& s = c.input(0).shape;
  if (!s.rank_known()) return c.input(0);
  int perm[kMaxRank];
  permutation(c.attrs.as<TransposeAttrs>(), s.rank(), perm);
  Shape out;
  for (int i = 0; i < s.rank(); ++i) out.push_back(s[perm[i]]);
  return {c.input(0).dtype, out};
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const int r = x.rank();
  int perm[kMaxRank];
  permutation(c.attrs.as<TransposeAttrs>(), r, perm);
  std::int64_t xs[kMaxRank], st[kMaxRank];
  std::int64_t stride = 1;
  for (int i = r - 1; i >= 0; --i) xs[i] = stride, stride *= x.shape()[i];
  for (int i = 0; i < r; ++i) st[i] = xs[perm[i]];  // x stride of each output axis
  const Shape& os = c.out.shape();
  dispatch_all(x.dtype(), [&]<class T>() {
    const T* xp = x.data<T>();
    T* y = c.out.data<T>();
    std::int64_t off[1] = {0};
    const std::int64_t* const strides[1] = {st};
    kernels::StridedWalk walk(os, r - 1);
    for (std::int64_t i = 0; i < c.out.size(); ++i) {
      y[i] = xp[off[0]];
      walk.next(off, strides);
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& p = c.node.attrs().as<TransposeAttrs>().perm;
  if (p.empty()) return {transpose(c.dy)};
  const auto r = static_cast<std::int64_t>(p.size());
  std::vector<std::int64_t> inv(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) inv[static_cast<std::size_t>(p[i] < 0 ? p[i] + r : p[i])] = static_cast<std::int64_t>(i);
  return {transpose(c.dy, inv)};
}
}  // namespace
const OpDef op_transpose{.name = "transpose", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                         .attrs = &kTransposeAttrs};
}  // namespace ops

Node transpose(const Node& x, const std::vector<std::int64_t>& perm, const std::string& name) {
  return make_op(ops::op_transpose, {x}, ops::TransposeAttrs{.perm = perm}, name);
}
}  // namespace tg
