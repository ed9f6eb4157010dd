// loss[r] = -sum_j labels[r,j] * log_softmax(logits)[r,j] = lse_r * S_r - sum_j l_rj x_rj,
// with lse_r = log sum_j e^x_rj and S_r = sum_j l_rj.
// dloss/dx_rj = softmax_rj * S_r - l_rj;  dloss/dl_rj = -log_softmax_rj.
#include <algorithm>
#include <cmath>

#include "../kernels/vexp.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &l = c.input(0), &x = c.input(1);
  TypeShape out{common_dtype(l, x), Shape::unknown_rank()};
  require_float(out.dtype, "softmax_cross_entropy_with_logits");
  const Shape& s = x.shape.rank_known() ? x.shape : l.shape;
  if (l.shape.rank_known() && x.shape.rank_known() && !shape_compatible(l.shape, x.shape) &&
      !shape_compatible(x.shape, l.shape))
    throw ShapeError("labels and logits must have the same shape, got " + l.shape.str() + " and " + x.shape.str());
  if (!s.rank_known()) return out;
  if (s.rank() == 0) throw ShapeError("logits need at least 1 dimension, got a scalar");
  out.shape = Shape{};
  for (int i = 0; i + 1 < s.rank(); ++i) out.shape.push_back(s[i]);
  return out;
}
void compute(KernelCtx& c) {
  const Tensor &l = c.input(0), &x = c.input(1);
  if (!(l.shape() == x.shape()))
    throw ShapeError("softmax_cross_entropy_with_logits '" + c.node_name + "': labels " +
                     l.shape().str() + " and logits " + x.shape().str() + " differ");
  const std::int64_t cols = x.shape().dim(-1), rows = c.out.size();
  dispatch_float(x.dtype(), "softmax_cross_entropy_with_logits", [&]<class T>() {
    const T *lp = l.data<T>(), *xp = x.data<T>();
    T* out = c.out.data<T>();
    // e^(x - row max) for a block of rows at a time, through one vectorised exp call.
    constexpr std::int64_t kBlock = 1024;
    T shifted[kBlock];
    const std::int64_t rows_per_block = cols > 0 && cols <= kBlock ? kBlock / cols : 1;
    for (std::int64_t r0 = 0; r0 < rows; r0 += rows_per_block) {
      const std::int64_t r1 = std::min(rows, r0 + rows_per_block);
      if (cols <= kBlock) {
        for (std::int64_t r = r0; r < r1; ++r) {
          const T* xr = xp + r * cols;
          const T mx = *std::max_element(xr, xr + cols);
          for (std::int64_t j = 0; j < cols; ++j) shifted[(r - r0) * cols + j] = xr[j] - mx;
        }
        kernels::exp_array(shifted, shifted, (r1 - r0) * cols);
      }
      for (std::int64_t r = r0; r < r1; ++r) {
        const T *xr = xp + r * cols, *lr = lp + r * cols;
        const T mx = cols ? *std::max_element(xr, xr + cols) : T(0);
        T sum = 0, lsum = 0, lx = 0;
        if (cols <= kBlock) {
          for (std::int64_t j = 0; j < cols; ++j) sum += shifted[(r - r0) * cols + j];
        } else {  // a very long row: in chunks
          for (std::int64_t j0 = 0; j0 < cols; j0 += kBlock) {
            const std::int64_t len = std::min(kBlock, cols - j0);
            for (std::int64_t j = 0; j < len; ++j) shifted[j] = xr[j0 + j] - mx;
            kernels::exp_array(shifted, shifted, len);
            for (std::int64_t j = 0; j < len; ++j) sum += shifted[j];
          }
        }
        for (std::int64_t j = 0; j < cols; ++j) {
          lsum += lr[j];
          lx += lr[j] * (xr[j] - mx);
        }
        out[r] = std::log(sum) * lsum - lx;  // lse - mx cancels the shift in lx
      }
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node labels = c.input(0), logits = c.input(1);
  const Node dy = unreduce(c.dy, logits, {.axes = {-1}}, false);
  const Node dlogits = softmax(logits) * reduce_sum(labels, -1, true) - labels;
  return {dy * -log_softmax(logits), dy * dlogits};
}
}  // namespace
const OpDef op_softmax_cross_entropy_with_logits{"softmax_cross_entropy_with_logits", 2, infer, compute, grad};
}  // namespace ops

Node softmax_cross_entropy_with_logits(const Node& labels, const Node& logits, const std::string& name) {
  return make_op(ops::op_softmax_cross_entropy_with_logits, {labels, logits}, {}, name);
}
}  // namespace tg
