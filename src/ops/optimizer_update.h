#pragma once
// What the fused optimizer updates (apply_momentum, apply_rms_prop, apply_adam) share. Inputs:
//   0        hyper: float64 [kScheduleLen + r], the learning-rate schedule then the rule's r constants
//   1        step: int64 scalar Variable, the updates done so far; the op adds 1
//   2..      p_1..p_n, g_1..g_n, then `slots` state Variables per p_i: slot j of p_i is input
//            2 + (2 + j) n + i. Parameters and slots are written in place.
// NOTE: hyper-parameters are a constant input, as in TF's ApplyAdam, not attributes: Attrs has
// one double. Stateful: the executor runs the update after every other node of the run.
#include <cstdint>
#include <vector>

#include "op_helpers.h"
#include "tensorgraph/optimizers.h"

namespace tg::ops::update {

inline constexpr int kScheduleLen = 5;  // kind, learning_rate, gamma, period, min_lr

/// The schedule as the first kScheduleLen numbers of `hyper`, and back.
std::vector<double> encode(const train::Schedule& s);
train::Schedule decode(const double* hyper);

/// The shape rule: hyper is float64 [kScheduleLen + rule_constants], step an int64 scalar, and
/// each parameter's gradient and slots have its float dtype and shape. No output value.
TypeShape infer(const InferCtx& c, int slots, int rule_constants, const char* what);

/// What a rule gets besides the buffers.
struct Args {
  double lr;           // the schedule's rate for this update
  std::int64_t t;      // updates done before this one
  const double* rule;  // the rule's constants (after the schedule)
};

/// Throws ShapeError unless each gradient and slot has its parameter's dtype and shape.
void check_buffers(const KernelCtx& c, int slots, const char* what);

/// Checks every parameter's buffers, then for each calls
/// rule.template operator()<T>(T* p, const T* g, T* const* slots, std::int64_t size, const Args&)
/// and finally increments the step count.
template <class Rule>
void apply(KernelCtx& c, int slots, const char* what, Rule&& rule) {
  check_buffers(c, slots, what);
  const int n = (c.num_inputs - 2) / (2 + slots);
  const double* hyper = c.input(0).data<double>();
  std::int64_t& step = *c.in[1]->data<std::int64_t>();
  const Args args{decode(hyper)(step), step, hyper + kScheduleLen};
  for (int i = 0; i < n; ++i) {
    Tensor& p = *c.in[2 + i];
    dispatch_float(p.dtype(), what, [&]<class T>() {
      T* s[2] = {nullptr, nullptr};
      for (int j = 0; j < slots; ++j) s[j] = c.in[2 + (2 + j) * n + i]->data<T>();
      rule.template operator()<T>(p.data<T>(), c.input(2 + n + i).data<T>(), s, p.size(), args);
    });
  }
  ++step;
}

}  // namespace tg::ops::update
