#pragma once
// What the fused optimizer updates (apply_momentum, apply_rms_prop, apply_adam) share. Inputs:
//   0        step: scalar Variable, the updates done so far (int64; int32, float64 or float32 as
//            TensorFlow 1.x programs make their global_step); the op adds 1
//   1..      p_1..p_n, g_1..g_n, then `slots` state Variables per p_i: slot j of p_i is input
//            1 + (2 + j) n + i. Parameters and slots are written in place.
// Attributes: the learning-rate schedule (schedule, learning_rate, gamma, period, min_lr), then
// the rule's own. Stateful: the executor runs the update after every other node of the run.
#include <cstdint>
#include <vector>

#include "op_helpers.h"
#include "tensorgraph/error.h"
#include "tensorgraph/schedule.h"

namespace tg::ops::update {

/// The schedule's fields of an update's attribute struct T (which has `train::Schedule
/// schedule`), then `rule`: T's own fields.
template <class T> std::vector<AttrSchema::Field> with_schedule(std::vector<AttrSchema::Field> rule) {
  using F = AttrSchema::Field;
  std::vector<F> f{
      F::computed<T, std::string>(
          "schedule", [](const T& a) { return std::string(train::schedule_kind_name(a.schedule.kind)); },
          [](T& a, const std::string& v) {
            if (!train::schedule_kind_from_name(v, a.schedule.kind)) throw GraphError("unknown schedule \"" + v + "\"");
          }),
      F::computed<T, double>(
          "learning_rate", [](const T& a) { return a.schedule.learning_rate; },
          [](T& a, const double& v) { a.schedule.learning_rate = v; }),
      F::computed<T, double>(
          "gamma", [](const T& a) { return a.schedule.gamma; }, [](T& a, const double& v) { a.schedule.gamma = v; }),
      F::computed<T, std::int64_t>(
          "period", [](const T& a) { return a.schedule.period; },
          [](T& a, const std::int64_t& v) { a.schedule.period = v; }),
      F::computed<T, double>(
          "min_lr", [](const T& a) { return a.schedule.min_lr; }, [](T& a, const double& v) { a.schedule.min_lr = v; }),
  };
  f.insert(f.end(), rule.begin(), rule.end());
  return f;
}

/// The shape rule: step an int64 scalar, and each parameter's gradient and slots have its float
/// dtype and shape. No output value.
TypeShape infer(const InferCtx& c, int slots, const char* what);

/// The dtypes a step count may have.
inline bool is_step_dtype(DType d) { return d == DType::i64 || d == DType::i32 || d == DType::f64 || d == DType::f32; }

/// Throws ShapeError unless each gradient and slot has its parameter's dtype and shape.
void check_buffers(const KernelCtx& c, int slots, const char* what);

/// Checks every parameter's buffers, then for each calls
/// rule.template operator()<T>(T* p, const T* g, T* const* slots, std::int64_t size, double lr,
/// std::int64_t t) with lr the schedule's rate for this update and t the updates done before it;
/// finally increments the step count.
template <class Rule>
void apply(KernelCtx& c, const train::Schedule& schedule, int slots, const char* what, Rule&& rule) {
  check_buffers(c, slots, what);
  const int n = (c.num_inputs - 1) / (2 + slots);
  Tensor& count = *c.in[0];
  const auto step = static_cast<std::int64_t>(count.flat(0));
  const double lr = schedule(step);
  for (int i = 0; i < n; ++i) {
    Tensor& p = *c.in[1 + i];
    dispatch_float(p.dtype(), what, [&]<class T>() {
      T* s[2] = {nullptr, nullptr};
      for (int j = 0; j < slots; ++j) s[j] = c.in[1 + (2 + j) * n + i]->data<T>();
      rule.template operator()<T>(p.data<T>(), c.input(1 + n + i).data<T>(), s, p.size(), lr, step);
    });
  }
  dispatch_all(count.dtype(), [&]<class S>() { count.data<S>()[0] = static_cast<S>(step + 1); });
}

}  // namespace tg::ops::update
