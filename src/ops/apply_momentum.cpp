// The update of MomentumOptimizer, torch.optim.SGD's rule (dampening 0):
//   buf = momentum buf + g;  p -= lr buf  (Nesterov: p -= lr (g + momentum buf))
// Inputs: hyper [schedule, momentum, nesterov (0 or 1)], step, p_1..p_n, g_1..g_n, buf_1..buf_n.
#include "optimizer_update.h"

namespace tg::ops {
namespace {
constexpr int kSlots = 1;
TypeShape infer(const InferCtx& c) { return update::infer(c, kSlots, 2, "apply_momentum"); }
void compute(KernelCtx& c) {
  update::apply(c, kSlots, "apply_momentum",
                []<class T>(T* p, const T* g, T* const* s, std::int64_t size, const update::Args& a) {
                  const T lr = static_cast<T>(a.lr), mu = static_cast<T>(a.rule[0]);
                  const bool nesterov = a.rule[1] != 0;
                  T* buf = s[0];
                  for (std::int64_t k = 0; k < size; ++k) {
                    buf[k] = mu * buf[k] + g[k];
                    p[k] -= lr * (nesterov ? g[k] + mu * buf[k] : buf[k]);
                  }
                });
}
}  // namespace
const OpDef op_apply_momentum{"apply_momentum", -1, infer, compute, nullptr, false, true};
}  // namespace tg::ops
