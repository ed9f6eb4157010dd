#pragma once
// Learning-rate schedules: a value type that optimizers take and their fused update ops evaluate
// from their own step count (src/train/schedules.cpp).
#include <cstdint>
#include <string>

namespace tg::train {

/// A learning rate as a function of t, the optimizer's count of updates done (0 for the first
/// update): torch.optim.lr_scheduler stepped once per optimizer step. A double is a constant.
struct Schedule {
  enum class Kind : std::uint8_t { constant, step, exponential, cosine };
  Kind kind = Kind::constant;
  double learning_rate = 0;  // the rate at t = 0 (torch's base_lr)
  double gamma = 1;          // step, exponential: the decay factor
  std::int64_t period = 1;   // step: step_size; cosine: total_steps (torch's T_max)
  double min_lr = 0;         // cosine: torch's eta_min

  /// A constant learning rate.
  Schedule(double learning_rate) : learning_rate(learning_rate) {}  // NOLINT: implicit on purpose
  /// The learning rate of update number t + 1.
  double operator()(std::int64_t t) const;
  /// E.g. "cosine(lr=0.1, total_steps=100, min_lr=0)".
  std::string str() const;
  bool operator==(const Schedule&) const = default;
};
/// "constant", "step", "exponential" or "cosine".
const char* schedule_kind_name(Schedule::Kind k);
/// The kind named `name`; false if none is.
bool schedule_kind_from_name(const std::string& name, Schedule::Kind& out);

namespace schedules {
/// lr * gamma^floor(t / step_size) (torch StepLR).
Schedule step(double lr, std::int64_t step_size, double gamma);
/// lr * gamma^t (torch ExponentialLR).
Schedule exponential(double lr, double gamma);
/// min_lr + (lr - min_lr) (1 + cos(pi t / total_steps)) / 2 (torch CosineAnnealingLR: not clamped,
/// past total_steps the rate rises again along the cosine).
Schedule cosine(double lr, std::int64_t total_steps, double min_lr = 0);
}  // namespace schedules

}  // namespace tg::train
