// y = x where cond else y_, element by element with numpy broadcasting (TF1's tf.where / Select), and
// TF1's rule that a rank-1 cond against higher-rank x and y_ chooses whole rows (cond[:, None, ...]);
// dx = where(cond, dy, 0), dy_ = where(cond, 0, dy); cond (bool) gets no gradient
#include "../kernels/elementwise.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
// cond's shape as it broadcasts against x and y's broadcast shape `xy`.
Shape condition_shape(const Shape& cond, const Shape& xy) {
  if (!cond.rank_known() || cond.rank() != 1 || !xy.rank_known() || xy.rank() < 2) return cond;
  Shape rows{cond[0]};
  while (rows.rank() < xy.rank()) rows.push_back(1);
  return rows;
}
TypeShape infer(const InferCtx& c) {
  if (c.input(0).dtype != DType::unknown && c.input(0).dtype != DType::boolean)
    throw DTypeError("where: condition must be bool, got " + dtype_name(c.input(0).dtype) +
                     " (compare it, e.g. tf.greater(x, 0), or cast it)");
  TypeShape out{common_dtype(c.input(1), c.input(2)), Shape::unknown_rank()};
  Shape xy;
  if (!broadcast_shapes(c.input(1).shape, c.input(2).shape, xy) ||
      !broadcast_shapes(condition_shape(c.input(0).shape, xy), xy, out.shape))
    throw ShapeError("where: condition " + c.input(0).shape.str() + ", x " + c.input(1).shape.str() + " and y " +
                     c.input(2).shape.str() + " cannot be broadcast together");
  return out;
}
void compute(KernelCtx& c) {
  const Tensor &cond = c.input(0), &x = c.input(1), &y = c.input(2);
  const Shape& s = c.out.shape();
  const std::int64_t n = c.out.size();
  const bool* k = cond.data<bool>();
  dispatch_all(c.out.dtype(), [&]<class T>() {
    const T *xp = x.data<T>(), *yp = y.data<T>();
    T* out = c.out.data<T>();
    if (cond.shape() == s && x.shape() == s && y.shape() == s) {  // NOTE: the usual case, plain loop
      for (std::int64_t i = 0; i < n; ++i) out[i] = k[i] ? xp[i] : yp[i];
      return;
    }
    std::int64_t sk[kMaxRank], sx[kMaxRank], sy[kMaxRank], off[3] = {0, 0, 0};
    kernels::broadcast_strides(condition_shape(cond.shape(), s), s, sk);
    kernels::broadcast_strides(x.shape(), s, sx);
    kernels::broadcast_strides(y.shape(), s, sy);
    const std::int64_t* const strides[3] = {sk, sx, sy};
    kernels::StridedWalk walk(s, s.rank() - 1);
    for (std::int64_t i = 0; i < n; ++i) {
      out[i] = k[off[0]] ? xp[off[1]] : yp[off[2]];
      walk.next(off, strides);
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node zero = scalar_like(c.dy, 0.0);
  return {Node(), where(c.input(0), c.dy, zero), where(c.input(0), zero, c.dy)};
}
}  // namespace
const OpDef op_where{.name = "where", .num_inputs = 3, .infer = infer, .compute = compute, .grad = grad,
                     .broadcasting = true};
}  // namespace ops

Node where(const Node& condition, const Node& x, const Node& y, const std::string& name) {
  return make_op(ops::op_where, {condition, x, y}, {}, name);
}
}  // namespace tg
