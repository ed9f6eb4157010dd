// The update of AdamOptimizer, torch.optim.Adam's rule, with t = step + 1:
//   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr / (1 - b1^t) m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// Inputs: step, p_1..p_n, g_1..g_n, m_1..m_n, v_1..v_n.
#include <cmath>

#include "../kernels/adam.h"
#include "optimizer_update.h"

namespace tg::ops {
struct AdamAttrs {
  train::Schedule schedule = 0.001;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};
const AttrSchema kAdamAttrs = AttrSchema::of<AdamAttrs>(update::with_schedule<AdamAttrs>(
    {{"beta1", &AdamAttrs::beta1}, {"beta2", &AdamAttrs::beta2}, {"epsilon", &AdamAttrs::epsilon}}));
namespace {
constexpr int kSlots = 2;
TypeShape infer(const InferCtx& c) { return update::infer(c, kSlots, "apply_adam"); }
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<AdamAttrs>();
  const double b1 = a.beta1, b2 = a.beta2;
  update::apply(c, a.schedule, kSlots, "apply_adam",
                [&]<class T>(T* p, const T* g, T* const* s, std::int64_t size, double lr, std::int64_t step) {
                  const double t = static_cast<double>(step + 1);
                  const T step_size = static_cast<T>(lr / (1 - std::pow(b1, t)));
                  const T root_bc2 = static_cast<T>(std::sqrt(1 - std::pow(b2, t)));
                  const kernels::AdamStep<T> k{step_size, root_bc2, static_cast<T>(b1), static_cast<T>(b2),
                                               static_cast<T>(1 - b1), static_cast<T>(1 - b2),  // NOTE: 1 - 0.999f is off by 1e-5
                                               static_cast<T>(a.epsilon)};
                  kernels::adam_update(p, g, s[0], s[1], size, k);
                });
}
}  // namespace
const OpDef op_apply_adam{.name = "apply_adam", .num_inputs = -1, .infer = infer, .compute = compute,
                          .stateful = true, .attrs = &kAdamAttrs};
}  // namespace tg::ops
