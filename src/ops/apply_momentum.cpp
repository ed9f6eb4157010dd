// The update of MomentumOptimizer, torch.optim.SGD's rule (dampening 0):
//   buf = momentum buf + g;  p -= lr buf  (Nesterov: p -= lr (g + momentum buf))
// Inputs: step, p_1..p_n, g_1..g_n, buf_1..buf_n.
#include "optimizer_update.h"

namespace tg::ops {
struct MomentumAttrs {
  train::Schedule schedule = 0.01;
  double momentum = 0.9;
  bool use_nesterov = false;
};
const AttrSchema kMomentumAttrs = AttrSchema::of<MomentumAttrs>(update::with_schedule<MomentumAttrs>(
    {{"momentum", &MomentumAttrs::momentum}, {"use_nesterov", &MomentumAttrs::use_nesterov}}));
namespace {
constexpr int kSlots = 1;
TypeShape infer(const InferCtx& c) { return update::infer(c, kSlots, "apply_momentum"); }
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<MomentumAttrs>();
  update::apply(c, a.schedule, kSlots, "apply_momentum",
                [&]<class T>(T* p, const T* g, T* const* s, std::int64_t size, double rate, std::int64_t) {
                  const T lr = static_cast<T>(rate), mu = static_cast<T>(a.momentum);
                  const bool nesterov = a.use_nesterov;
                  T* buf = s[0];
                  for (std::int64_t k = 0; k < size; ++k) {
                    buf[k] = mu * buf[k] + g[k];
                    p[k] -= lr * (nesterov ? g[k] + mu * buf[k] : buf[k]);
                  }
                });
}
}  // namespace
const OpDef op_apply_momentum{.name = "apply_momentum", .num_inputs = -1, .infer = infer, .compute = compute,
                              .stateful = true, .attrs = &kMomentumAttrs};
}  // namespace tg::ops
