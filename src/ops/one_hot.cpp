// y[..., j] = 1 if j == indices[...] else 0, as `dtype`, depth classes; not differentiable.
// With a second input, depth and dtype come from it (its last dimension and dtype): the form
// the sparse cross-entropy gradient uses when the class count is known only at run time.
#include "op_helpers.h"

namespace tg {
namespace ops {
struct OneHotAttrs {
  std::int64_t depth = kUnknownDim;  // the number of classes (unused with a second input)
  DType dtype = DType::unknown;      // of the result (unused with a second input)
};
const AttrSchema kOneHotAttrs =
    AttrSchema::of<OneHotAttrs>({{"depth", &OneHotAttrs::depth}, {"dtype", &OneHotAttrs::dtype}},
                                {{"axes", "depth"}});  // NOTE: its name in model files before issue 12
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape& idx = c.input(0);
  if (idx.dtype != DType::unknown && idx.dtype != DType::i32 && idx.dtype != DType::i64)
    throw DTypeError("indices must be int32 or int64, got " + dtype_name(idx.dtype));
  const auto& a = c.attrs.as<OneHotAttrs>();
  TypeShape out{a.dtype, Shape::unknown_rank()};
  std::int64_t depth = a.depth;
  if (c.num_inputs == 2) {
    out.dtype = c.input(1).dtype;
    const Shape& like = c.input(1).shape;
    depth = like.rank_known() && like.rank() > 0 ? like.dim(-1) : kUnknownDim;
  } else if (depth < 1) {
    throw ShapeError("depth must be at least 1, got " + std::to_string(depth));
  }
  if (!idx.shape.rank_known()) return out;
  out.shape = idx.shape;
  out.shape.push_back(depth);
  return out;
}
void compute(KernelCtx& c) {
  const Tensor& idx = c.input(0);
  const std::int64_t depth = c.out.shape().dim(-1);
  dispatch_all(c.out.dtype(), [&]<class T>() {
    T* y = c.out.data<T>();
    for (std::int64_t i = 0; i < c.out.size(); ++i) y[i] = T(0);
    for (std::int64_t i = 0; i < idx.size(); ++i) {
      const auto k = static_cast<std::int64_t>(idx.flat(i));
      if (k < 0 || k >= depth)
        throw ShapeError("one_hot '" + c.node_name + "': index " + std::to_string(k) + " at position " +
                         std::to_string(i) + " is outside [0, " + std::to_string(depth) + ")");
      y[i * depth + k] = T(1);
    }
  });
}
}  // namespace
const OpDef op_one_hot{.name = "one_hot", .num_inputs = -1, .infer = infer, .compute = compute,
                       .attrs = &kOneHotAttrs};
}  // namespace ops

Node one_hot(const Node& indices, std::int64_t depth, DType dtype, const std::string& name) {
  return make_op(ops::op_one_hot, {indices}, ops::OneHotAttrs{.depth = depth, .dtype = dtype}, name);
}
Node one_hot(const Node& indices, std::int64_t depth, const OneHotOptions& o) {
  return one_hot(indices, depth, o.dtype, o.name);
}
}  // namespace tg
