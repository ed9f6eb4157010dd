// variable -= (variable - value) (1 - decay), in place: TensorFlow's assign_moving_average
// (without zero debiasing), the update of batch normalization's moving mean and variance.
// Stateful: the executor runs it after every other node of the run, so the run reads the old value.
//
// How it runs with a training step: the layer adds it to the graph's UPDATE_OPS collection
// (tf.GraphKeys.UPDATE_OPS) and every optimizer's minimize/apply_gradients returns, when the
// collection holds updates the step can run (see with_update_ops in src/train/grads_and_vars.cpp),
// group(step, updates...): one stateful node whose run runs them all. A decay of exactly 1 (a
// `training` placeholder fed false) changes nothing. No output value.
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &v = c.input(0), &value = c.input(1), &decay = c.input(2);
  require_float(common_dtype(v, value), "assign_moving_average");
  if (decay.dtype != DType::unknown && v.dtype != DType::unknown && decay.dtype != v.dtype)
    throw DTypeError("decay is " + std::string(dtype_name(decay.dtype)) + ", the variable " + dtype_name(v.dtype));
  if (v.shape.fully_known() && value.shape.fully_known() && !(v.shape == value.shape))
    throw ShapeError("value " + value.shape.str() + " does not have the variable's shape " + v.shape.str());
  if (decay.shape.rank_known() && decay.shape.rank() != 0)
    throw ShapeError("decay must be a scalar, got " + decay.shape.str());
  return {DType::unknown, Shape{}};
}
void compute(KernelCtx& c) {
  Tensor& v = *c.in[0];
  const Tensor &value = c.input(1), &decay = c.input(2);
  if (!(v.shape() == value.shape()))
    throw ShapeError("assign_moving_average '" + c.node_name + "': value " + value.shape().str() +
                     " does not have the variable's shape " + v.shape().str());
  dispatch_float(v.dtype(), "assign_moving_average", [&]<class T>() {
    const T keep = 1 - decay.data<T>()[0];
    if (keep == 0) return;  // training fed false: not even a NaN in value may leak in
    T* p = v.data<T>();
    const T* x = value.data<T>();
    for (std::int64_t i = 0; i < v.size(); ++i) p[i] -= (p[i] - x[i]) * keep;
  });
}
}  // namespace
const OpDef op_assign_moving_average{.name = "assign_moving_average", .num_inputs = 3, .infer = infer,
                                     .compute = compute, .stateful = true};
}  // namespace ops

Node assign_moving_average(const Node& variable, const Node& value, const Node& decay, const std::string& name) {
  if (!variable.valid() || variable.kind() != NodeKind::variable)
    throw GraphError("assign_moving_average: '" + (variable.valid() ? variable.name() : std::string("<invalid>")) +
                     "' is not a Variable");
  return make_op(ops::op_assign_moving_average, {variable, value, decay}, {}, name);
}
Node assign_moving_average(const Node& variable, const Node& value, double decay, const std::string& name) {
  return assign_moving_average(variable, value, scalar_like(variable, decay), name);
}
}  // namespace tg
