// nn::sigmoid_cross_entropy_with_logits(labels z, logits x): -z ln σ(x) - (1 - z) ln(1 - σ(x)) per
// element, computed as TensorFlow does, without overflow: max(x, 0) - x·z + ln(1 + e^-|x|).
//   dx = σ(x) - z;  dz = -x
// NOTE: one fused kernel, not the composition of eight element-wise ops it was first: those made
// half the VAE's training step (issue 14's benchmark).
#include <algorithm>

#include "../kernels/parallel.h"
#include "../kernels/vexp.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const DType d = common_dtype(c.input(0), c.input(1));
  require_float(d, "sigmoid_cross_entropy_with_logits");
  if (!agree(c.input(0).shape, c.input(1).shape))
    throw ShapeError("sigmoid_cross_entropy_with_logits: labels and logits must have the same shape, got " +
                     c.input(0).shape.str() + " and " + c.input(1).shape.str());
  return {d, c.input(1).shape.rank_known() ? c.input(1).shape : c.input(0).shape};
}
template <class T> void loss_block(const T* z, const T* x, T* y, std::int64_t n) {
  constexpr std::int64_t kBlock = 256;
  T e[kBlock];
  for (std::int64_t b = 0; b < n; b += kBlock) {
    const std::int64_t m = std::min(kBlock, n - b);
    for (std::int64_t j = 0; j < m; ++j) e[j] = -std::abs(x[b + j]);
    kernels::exp_array(e, e, m);
    kernels::log1p_array(e, e, m);
    for (std::int64_t j = 0; j < m; ++j) y[b + j] = std::max(x[b + j], T(0)) - x[b + j] * z[b + j] + e[j];
  }
}
void compute(KernelCtx& c) {
  if (!(c.input(0).shape() == c.input(1).shape()))
    throw ShapeError("sigmoid_cross_entropy_with_logits: labels and logits must have the same shape, got " +
                     c.input(0).shape().str() + " and " + c.input(1).shape().str());
  dispatch_float(c.out.dtype(), "sigmoid_cross_entropy_with_logits", [&]<class T>() {
    const T *z = c.input(0).data<T>(), *x = c.input(1).data<T>();
    T* y = c.out.data<T>();
    kernels::parallel_for(c.out.size(), 1, [&](std::int64_t b, std::int64_t e) { loss_block(z + b, x + b, y + b, e - b); },
                          c.out.size() * 16);  // NOTE: an exp and a log per element
  });
}
std::vector<Node> grad(const GradCtx& c) {
  const Node z = c.input(0), x = c.input(1);
  return {c.dy * -x, c.dy * (sigmoid(x) - z)};
}
}  // namespace
const OpDef op_sigmoid_cross_entropy_with_logits{.name = "sigmoid_cross_entropy_with_logits", .num_inputs = 2,
                                                 .infer = infer, .compute = compute, .grad = grad};
}  // namespace ops

Node nn::sigmoid_cross_entropy_with_logits(const Node& labels, const Node& logits, const std::string& name) {
  return make_op(ops::op_sigmoid_cross_entropy_with_logits, {labels, logits}, {}, name);
}

}  // namespace tg
