// range(start, limit, delta): TensorFlow's tf.range, the numbers start, start + delta, ... up to but
// not including limit, as a rank-1 tensor of the inputs' dtype (scalars, all the same dtype; int32,
// int64, float32 or float64). Its length, ceil((limit - start) / delta) (0 when negative), is known
// only at run time. delta 0 is an error. Not differentiable (TensorFlow's).
#include <cmath>

#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  DType dtype = DType::unknown;
  for (int i = 0; i < 3; ++i) {
    dtype = common_dtype({dtype, {}}, c.input(i));
    if (c.input(i).shape.rank_known() && c.input(i).shape.rank() != 0)
      throw ShapeError(std::string("range: ") + (i == 0 ? "start" : i == 1 ? "limit" : "delta") +
                       " must be a scalar, got " + c.input(i).shape.str());
  }
  if (dtype == DType::boolean) throw DTypeError("range: bool is not a number type");
  return {dtype, Shape({kUnknownDim})};
}
void compute(KernelCtx& c) {
  const DType dtype = c.input(0).dtype();
  dispatch_all(dtype, [&]<class T>() {
    if constexpr (std::is_same_v<T, bool>) {
      throw DTypeError("range: bool is not a number type");
    } else {
      const T start = c.input(0).data<T>()[0], limit = c.input(1).data<T>()[0], delta = c.input(2).data<T>()[0];
      if (delta == T(0)) throw GraphError("range '" + c.node_name + "': delta must not be 0");
      const double count = std::ceil((static_cast<double>(limit) - static_cast<double>(start)) / static_cast<double>(delta));
      if (!(count <= 1e12)) throw GraphError("range '" + c.node_name + "': too many elements");
      const auto n = static_cast<std::int64_t>(std::max(0.0, count));
      Tensor out(dtype, Shape({n}));
      for (std::int64_t i = 0; i < n; ++i) out.data<T>()[i] = static_cast<T>(start + static_cast<T>(i) * delta);
      c.out = out;
    }
  });
}
}  // namespace
const OpDef op_range{.name = "range", .num_inputs = 3, .infer = infer, .compute = compute, .dynamic_output = true};
}  // namespace ops

Node range(const Node& start, const Node& limit, const Node& delta, const std::string& name) {
  return make_op(ops::op_range, {start, limit, delta}, {}, name);
}
}  // namespace tg
