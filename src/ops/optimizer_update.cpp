// Shape rule, buffer checks and schedule encoding shared by the fused optimizer updates.
#include "optimizer_update.h"


namespace tg::ops::update {

namespace {
int num_params(int num_inputs, int slots, const char* what) {
  if (slots < 0 || slots > 2) throw GraphError(std::string(what) + ": at most 2 slots per parameter");
  const int per = 2 + slots;
  if (num_inputs < 1 + per || (num_inputs - 1) % per != 0)
    throw GraphError(std::string(what) + ": expected the step, then parameters, gradients and " +
                     std::to_string(slots) + " slot(s) per parameter; got " + std::to_string(num_inputs) +
                     " inputs");
  return (num_inputs - 1) / per;
}
const char* role(int j) { return j == 0 ? "gradient" : j == 1 ? "slot 1" : "slot 2"; }
}  // namespace

TypeShape infer(const InferCtx& c, int slots, const char* what) {
  const int n = num_params(c.num_inputs, slots, what);
  const TypeShape& step = c.input(0);
  if (!is_step_dtype(step.dtype) || step.shape.rank() != 0)
    throw DTypeError(std::string(what) + ": the step count must be a scalar of int64, int32, float64 or float32");
  for (int i = 0; i < n; ++i) {
    const TypeShape& p = c.input(1 + i);
    require_float(p.dtype, what);
    for (int j = 0; j <= slots; ++j) {
      const TypeShape& x = c.input(1 + (1 + j) * n + i);
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
    const Tensor& p = c.input(1 + i);
    for (int j = 0; j <= slots; ++j) {
      const Tensor& x = c.input(1 + (1 + j) * n + i);
      if (x.dtype() != p.dtype() || !(x.shape() == p.shape()))
        throw ShapeError(std::string(what) + " '" + c.node_name + "': " + role(j) + " " + x.shape().str() + " " +
                         dtype_name(x.dtype()) + " differs from parameter " + p.shape().str() + " " +
                         dtype_name(p.dtype()));
    }
  }
}

}  // namespace tg::ops::update
