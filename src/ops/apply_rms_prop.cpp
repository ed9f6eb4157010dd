// The update of RMSPropOptimizer, torch.optim.RMSprop's rule (epsilon outside the root):
//   ms = decay ms + (1 - decay) g^2;  d = g / (sqrt(ms) + eps);  mom = momentum mom + d;  p -= lr mom
// (p -= lr d when momentum is 0; mom then stays 0).
// Inputs: step, p_1..p_n, g_1..g_n, ms_1..ms_n, mom_1..mom_n.
#include <cmath>

#include "optimizer_update.h"

namespace tg::ops {
struct RMSPropAttrs {
  train::Schedule schedule = 0.01;
  double decay = 0.9, epsilon = 1e-8, momentum = 0;
};
const AttrSchema kRMSPropAttrs = AttrSchema::of<RMSPropAttrs>(update::with_schedule<RMSPropAttrs>(
    {{"decay", &RMSPropAttrs::decay}, {"epsilon", &RMSPropAttrs::epsilon}, {"momentum", &RMSPropAttrs::momentum}}));
namespace {
constexpr int kSlots = 2;
TypeShape infer(const InferCtx& c) { return update::infer(c, kSlots, "apply_rms_prop"); }
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<RMSPropAttrs>();
  update::apply(c, a.schedule, kSlots, "apply_rms_prop",
                [&]<class T>(T* p, const T* g, T* const* s, std::int64_t size, double rate, std::int64_t) {
                  const T lr = static_cast<T>(rate), decay = static_cast<T>(a.decay), rest = static_cast<T>(1 - a.decay);
                  const T eps = static_cast<T>(a.epsilon), mu = static_cast<T>(a.momentum);
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
const OpDef op_apply_rms_prop{.name = "apply_rms_prop", .num_inputs = -1, .infer = infer, .compute = compute,
                              .stateful = true, .attrs = &kRMSPropAttrs};
}  // namespace tg::ops
