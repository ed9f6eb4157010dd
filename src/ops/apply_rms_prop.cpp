// The update of RMSPropOptimizer, torch.optim.RMSprop's rule (epsilon outside the root):
//   ms = decay ms + (1 - decay) g^2;  d = g / (sqrt(ms) + eps);  mom = momentum mom + d;  p -= lr mom
// (p -= lr d when momentum is 0; mom then stays 0).
// Inputs: hyper [schedule, decay, epsilon, momentum], step, p_1..p_n, g_1..g_n, ms_1..ms_n, mom_1..mom_n.
#include <cmath>

#include "optimizer_update.h"

namespace tg::ops {
namespace {
constexpr int kSlots = 2;
TypeShape infer(const InferCtx& c) { return update::infer(c, kSlots, 3, "apply_rms_prop"); }
void compute(KernelCtx& c) {
  update::apply(c, kSlots, "apply_rms_prop",
                []<class T>(T* p, const T* g, T* const* s, std::int64_t size, const update::Args& a) {
                  const T lr = static_cast<T>(a.lr), decay = static_cast<T>(a.rule[0]), rest = static_cast<T>(1 - a.rule[0]);
                  const T eps = static_cast<T>(a.rule[1]), mu = static_cast<T>(a.rule[2]);
                  T *ms = s[0], *mom = s[1];
                  for (std::int64_t k = 0; k < size; ++k) {
                    ms[k] = decay * ms[k] + rest * g[k] * g[k];
                    const T d = g[k] / (std::sqrt(ms[k]) + eps);
                    if (mu != 0) {
                      mom[k] = mu * mom[k] + d;
                      p[k] -= lr * mom[k];
                    } else {
                      p[k] -= lr * d;
                    }
                  }
                });
}
}  // namespace
const OpDef op_apply_rms_prop{"apply_rms_prop", -1, infer, compute, nullptr, false, true};
}  // namespace tg::ops
