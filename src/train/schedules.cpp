// Learning-rate schedules, evaluated by the fused updates from their own step count.
#include <cmath>
#include <numbers>
#include <sstream>

#include "tensorgraph/error.h"
#include "tensorgraph/schedule.h"

namespace tg::train {

double Schedule::operator()(std::int64_t t) const {
  switch (kind) {
    case Kind::constant: return learning_rate;
    case Kind::step: return learning_rate * std::pow(gamma, static_cast<double>(t / period));
    case Kind::exponential: return learning_rate * std::pow(gamma, static_cast<double>(t));
    case Kind::cosine:  // NOTE: t > total_steps keeps following the cosine, as torch does
      return min_lr + (learning_rate - min_lr) *
                          (1 + std::cos(std::numbers::pi * static_cast<double>(t) / static_cast<double>(period))) / 2;
  }
  return learning_rate;
}

std::string Schedule::str() const {
  std::ostringstream os;
  switch (kind) {
    case Kind::constant: os << learning_rate; break;
    case Kind::step: os << "step(lr=" << learning_rate << ", step_size=" << period << ", gamma=" << gamma << ')'; break;
    case Kind::exponential: os << "exponential(lr=" << learning_rate << ", gamma=" << gamma << ')'; break;
    case Kind::cosine:
      os << "cosine(lr=" << learning_rate << ", total_steps=" << period << ", min_lr=" << min_lr << ')';
      break;
  }
  return os.str();
}

const char* schedule_kind_name(Schedule::Kind k) {
  switch (k) {
    case Schedule::Kind::constant: return "constant";
    case Schedule::Kind::step: return "step";
    case Schedule::Kind::exponential: return "exponential";
    case Schedule::Kind::cosine: return "cosine";
  }
  return "?";
}

bool schedule_kind_from_name(const std::string& name, Schedule::Kind& out) {
  using K = Schedule::Kind;
  for (K k : {K::constant, K::step, K::exponential, K::cosine})
    if (name == schedule_kind_name(k)) return out = k, true;
  return false;
}

namespace schedules {
namespace {
[[noreturn]] void bad(const char* who, const char* what, double got) {
  std::ostringstream os;
  os << "schedules::" << who << ": " << what << ", got " << got;
  throw GraphError(os.str());
}
void check_lr(const char* who, double lr) {
  if (!(std::isfinite(lr) && lr >= 0)) bad(who, "lr must be a finite number >= 0", lr);
}
void check_gamma(const char* who, double gamma) {
  if (!(std::isfinite(gamma) && gamma > 0)) bad(who, "gamma must be a finite number > 0", gamma);
}
}  // namespace

Schedule step(double lr, std::int64_t step_size, double gamma) {
  check_lr("step", lr);
  if (step_size < 1) bad("step", "step_size must be >= 1", static_cast<double>(step_size));
  check_gamma("step", gamma);
  Schedule s(lr);
  s.kind = Schedule::Kind::step, s.period = step_size, s.gamma = gamma;
  return s;
}

Schedule exponential(double lr, double gamma) {
  check_lr("exponential", lr);
  check_gamma("exponential", gamma);
  Schedule s(lr);
  s.kind = Schedule::Kind::exponential, s.gamma = gamma;
  return s;
}

Schedule cosine(double lr, std::int64_t total_steps, double min_lr) {
  check_lr("cosine", lr);
  if (total_steps < 1) bad("cosine", "total_steps must be >= 1", static_cast<double>(total_steps));
  if (!(std::isfinite(min_lr) && min_lr >= 0)) bad("cosine", "min_lr must be a finite number >= 0", min_lr);
  Schedule s(lr);
  s.kind = Schedule::Kind::cosine, s.period = total_steps, s.min_lr = min_lr;
  return s;
}
}  // namespace schedules

}  // namespace tg::train
