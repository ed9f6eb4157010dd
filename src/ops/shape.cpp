// shape(x): TensorFlow's tf.shape, x's dimensions at run time as a rank-1 tensor of out_type
// (int32 by default, or int64). Its length is x's rank (known when the rank is); its values only
// once x ran. Not differentiable (integer output).
#include "op_helpers.h"

namespace tg {
namespace ops {
struct ShapeAttrs {
  DType out_type = DType::i32;
};
const AttrSchema kShapeAttrs = AttrSchema::of<ShapeAttrs>({{"out_type", &ShapeAttrs::out_type}});
namespace {
TypeShape infer(const InferCtx& c) {
  const DType t = c.attrs.as<ShapeAttrs>().out_type;
  if (t != DType::i32 && t != DType::i64) throw DTypeError("shape: out_type must be int32 or int64, got " + dtype_name(t));
  const Shape& s = c.input(0).shape;
  return {t, Shape({s.rank_known() ? static_cast<std::int64_t>(s.rank()) : kUnknownDim})};
}
void compute(KernelCtx& c) {
  const Shape& s = c.input(0).shape();
  dispatch_all(c.out.dtype(), [&]<class T>() {
    for (int i = 0; i < s.rank(); ++i) c.out.data<T>()[i] = static_cast<T>(s[i]);
  });
}
}  // namespace
const OpDef op_shape{.name = "shape", .num_inputs = 1, .infer = infer, .compute = compute, .attrs = &kShapeAttrs};
}  // namespace ops

Node shape(const Node& x, DType out_type, const std::string& name) {
  return make_op(ops::op_shape, {x}, ops::ShapeAttrs{.out_type = out_type}, name);
}
}  // namespace tg
