// variable = value, in place (TensorFlow's tf.assign with validate_shape): an update, with no
// value, run after every other node of its run, so the run's other readers see the old value.
// value must have the variable's dtype and shape. Initializers are groups of these
// (variables_initializer in src/train/variables_initializer.cpp). Not differentiable.
#include <cstring>

#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &v = c.input(0), &value = c.input(1);
  if (v.dtype != DType::unknown && value.dtype != DType::unknown && v.dtype != value.dtype)
    throw DTypeError("assign: value is " + dtype_name(value.dtype) + ", the variable " + dtype_name(v.dtype));
  if (!agree(v.shape, value.shape))
    throw ShapeError("assign: value " + value.shape.str() + " does not have the variable's shape " + v.shape.str());
  return {DType::unknown, Shape{}};
}
void compute(KernelCtx& c) {
  Tensor& v = *c.in[0];
  const Tensor& value = c.input(1);
  if (!(v.shape() == value.shape()))
    throw ShapeError("assign '" + c.node_name + "': value " + value.shape().str() +
                     " does not have the variable's shape " + v.shape().str());
  if (v.size()) std::memcpy(v.raw(), value.raw(), static_cast<std::size_t>(v.nbytes()));
}
}  // namespace
const OpDef op_assign{.name = "assign", .num_inputs = 2, .infer = infer, .compute = compute, .stateful = true};
}  // namespace ops

Node assign(const Node& variable, const Node& value, const std::string& name) {
  if (!variable.valid() || variable.kind() != NodeKind::variable)
    throw GraphError("assign: '" + (variable.valid() ? variable.name() : std::string("<invalid>")) +
                     "' is not a Variable");
  return make_op(ops::op_assign, {variable, value}, {}, name);
}
}  // namespace tg
