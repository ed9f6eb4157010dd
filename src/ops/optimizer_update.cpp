// Shape rule, buffer checks and schedule encoding shared by the fused optimizer updates.
#include "optimizer_update.h"

#include "../graph/graph_impl.h"

namespace tg::ops::update {

std::vector<double> encode(const train::Schedule& s) {
  return {static_cast<double>(s.kind), s.learning_rate, s.gamma, static_cast<double>(s.period), s.min_lr};
}

train::Schedule decode(const double* hyper) {
  train::Schedule s(hyper[1]);
  s.kind = static_cast<train::Schedule::Kind>(static_cast<int>(hyper[0]));
  s.gamma = hyper[2];
  s.period = static_cast<std::int64_t>(hyper[3]);
  s.min_lr = hyper[4];
  return s;
}

namespace {
int num_params(int num_inputs, int slots, const char* what) {
  if (slots < 0 || slots > 2) throw GraphError(std::string(what) + ": at most 2 slots per parameter");
  const int per = 2 + slots;
  if (num_inputs < 2 + per || (num_inputs - 2) % per != 0)
    throw GraphError(std::string(what) + ": expected hyper, step, then parameters, gradients and " +
                     std::to_string(slots) + " slot(s) per parameter; got " + std::to_string(num_inputs) +
                     " inputs");
  return (num_inputs - 2) / per;
}
const char* role(int j) { return j == 0 ? "gradient" : j == 1 ? "slot 1" : "slot 2"; }
}  // namespace

TypeShape infer(const InferCtx& c, int slots, int rule_constants, const char* what) {
  const int n = num_params(c.num_inputs, slots, what);
  const TypeShape &hyper = c.input(0), &step = c.input(1);
  const Shape want_hyper{kScheduleLen + rule_constants};
  if (hyper.dtype != DType::f64 || !(hyper.shape == want_hyper))
    throw DTypeError(std::string(what) + ": hyper-parameters must be float64 " + want_hyper.str());
  if (step.dtype != DType::i64 || step.shape.rank() != 0)
    throw DTypeError(std::string(what) + ": the step count must be an int64 scalar");
  for (int i = 0; i < n; ++i) {
    const TypeShape& p = c.input(2 + i);
    require_float(p.dtype, what);
    for (int j = 0; j <= slots; ++j) {
      const TypeShape& x = c.input(2 + (1 + j) * n + i);
      common_dtype(p, x);
      if (p.shape.fully_known() && x.shape.fully_known() && !(p.shape == x.shape))
        throw ShapeError("parameter " + std::to_string(i) + " has shape " + p.shape.str() + " but its " +
                         role(j) + " has shape " + x.shape.str());
    }
  }
  return {DType::unknown, Shape{}};
}

void check_buffers(const KernelCtx& c, int slots, const char* what) {
  const int n = num_params(c.num_inputs, slots, what);
  for (int i = 0; i < n; ++i) {
    const Tensor& p = c.input(2 + i);
    for (int j = 0; j <= slots; ++j) {
      const Tensor& x = c.input(2 + (1 + j) * n + i);
      if (x.dtype() != p.dtype() || !(x.shape() == p.shape()))
        throw ShapeError(std::string(what) + " '" + c.node.name + "': " + role(j) + " " + x.shape().str() + " " +
                         dtype_name(x.dtype()) + " differs from parameter " + p.shape().str() + " " +
                         dtype_name(p.dtype()));
    }
  }
}

}  // namespace tg::ops::update
