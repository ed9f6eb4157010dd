// loss[r] = log sum_j e^x_rj - x_r,label_r  (integer class labels);
// dloss/dx_rj = softmax_rj - [j == label_r]; labels get no gradient.
#include <algorithm>
#include <cmath>

#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &l = c.input(0), &x = c.input(1);
  if (l.dtype != DType::unknown && l.dtype != DType::i32 && l.dtype != DType::i64)
    throw DTypeError("labels must be int32 or int64 class indices, got " + dtype_name(l.dtype));
  require_float(x.dtype, "sparse_softmax_cross_entropy_with_logits");
  TypeShape out{x.dtype, Shape::unknown_rank()};
  if (!x.shape.rank_known()) return out;
  if (x.shape.rank() == 0) throw ShapeError("logits need at least 1 dimension, got a scalar");
  out.shape = Shape{};
  for (int i = 0; i + 1 < x.shape.rank(); ++i) out.shape.push_back(x.shape[i]);
  if (l.shape.rank_known() && !shape_compatible(out.shape, l.shape) && !shape_compatible(l.shape, out.shape))
    throw ShapeError("labels " + l.shape.str() + " must have the logits' shape without the class axis, " +
                     out.shape.str());
  return out;
}
void compute(KernelCtx& c) {
  const Tensor &l = c.input(0), &x = c.input(1);
  const std::int64_t cols = x.shape().dim(-1), rows = c.out.size();
  if (l.size() != rows)
    throw ShapeError("sparse_softmax_cross_entropy_with_logits '" + c.node_name + "': " + std::to_string(l.size()) +
                     " labels for " + std::to_string(rows) + " rows of logits " + x.shape().str());
  dispatch_float(x.dtype(), "sparse_softmax_cross_entropy_with_logits", [&]<class T>() {
    const T* xp = x.data<T>();
    T* out = c.out.data<T>();
    for (std::int64_t r = 0; r < rows; ++r) {
      const auto k = static_cast<std::int64_t>(l.flat(r));
      if (k < 0 || k >= cols)
        throw ShapeError("sparse_softmax_cross_entropy_with_logits '" + c.node_name + "': label " + std::to_string(k) +
                         " in row " + std::to_string(r) + " is outside [0, " + std::to_string(cols) + ")");
      const T* xr = xp + r * cols;
      const T mx = *std::max_element(xr, xr + cols);
      T sum = 0;
      for (std::int64_t j = 0; j < cols; ++j) sum += std::exp(xr[j] - mx);
      out[r] = std::log(sum) + (mx - xr[k]);  // NOTE: mx + log(sum) first would round at |x| ~ 1e5
    }
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node labels = c.input(0), logits = c.input(1);
  const Node dy = unreduce(c.dy, logits, {.axes = {-1}}, false);
  const Node target = make_op(op_one_hot, {labels, logits});
  return {Node(), dy * (softmax(logits) - target)};
}
}  // namespace
const OpDef op_sparse_softmax_cross_entropy_with_logits{"sparse_softmax_cross_entropy_with_logits", 2, infer,
                                                         compute, grad};
}  // namespace ops

Node sparse_softmax_cross_entropy_with_logits(const Node& labels, const Node& logits, const std::string& name) {
  return make_op(ops::op_sparse_softmax_cross_entropy_with_logits, {labels, logits}, {}, name);
}
}  // namespace tg
