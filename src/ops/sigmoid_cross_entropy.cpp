// nn::sigmoid_cross_entropy_with_logits: -z ln σ(x) - (1 - z) ln(1 - σ(x)) per element, computed
// as TensorFlow does, without overflow: max(x, 0) - x·z + ln(1 + e^-|x|). Composed of ops, so its
// gradient (σ(x) - z in x, -x in z) comes from theirs.
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg {

Node nn::sigmoid_cross_entropy_with_logits(const Node& labels, const Node& logits, const std::string& name) {
  const Node zero = scalar_like(logits, 0);
  // NOTE: -|x| as minimum(-x, x), whose tie at 0 sends the gradient to -x (TensorFlow's where()):
  // the derivative at 0 is then 1 - 1/2 - z = σ(0) - z; abs's sign(0) = 0 would give 1 - z.
  return add(maximum(logits, zero) - logits * labels, log1p(exp(minimum(-logits, logits))), name);
}

}  // namespace tg
