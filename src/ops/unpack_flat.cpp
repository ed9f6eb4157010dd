// y = x[offset : offset + |shape|] in `shape`, x 1-D (a piece cut from pack_flat's buffer: one copy).
// dx = dy's elements at [offset, offset + |shape|) of zeros shaped like x (strided_slice_grad)
#include <cstring>

#include "op_helpers.h"

namespace tg {
namespace ops {
struct UnpackFlatAttrs {
  std::int64_t offset = 0;  // the first element taken
  Shape shape;              // the piece's shape (fully known)
};
const AttrSchema kUnpackFlatAttrs =
    AttrSchema::of<UnpackFlatAttrs>({{"offset", &UnpackFlatAttrs::offset}, {"shape", &UnpackFlatAttrs::shape}});
namespace {
std::int64_t end_of(const UnpackFlatAttrs& a, std::int64_t length) {
  const std::int64_t n = a.shape.num_elements();
  if (n < 0) throw ShapeError("unpack_flat: the piece's shape " + a.shape.str() + " must be fully known");
  if (a.offset < 0 || (length >= 0 && (a.offset > length || n > length - a.offset)))
    throw ShapeError("unpack_flat: elements [" + std::to_string(a.offset) + ", " + std::to_string(a.offset + n) +
                     ") are not all in a buffer of " + std::to_string(length));
  return a.offset + n;
}
TypeShape infer(const InferCtx& c) {
  const TypeShape& x = c.input(0);
  if (x.shape.rank_known() && x.shape.rank() != 1)
    throw ShapeError("unpack_flat: the buffer must be 1-D, got " + x.shape.str());
  const auto& a = c.attrs.as<UnpackFlatAttrs>();
  end_of(a, x.shape.rank_known() ? x.shape[0] : kUnknownDim);
  return {x.dtype, a.shape};
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  const auto& a = c.attrs.as<UnpackFlatAttrs>();
  end_of(a, x.size());
  if (c.out.nbytes() > 0)
    std::memcpy(c.out.raw(), static_cast<const char*>(x.raw()) + a.offset * static_cast<std::int64_t>(dtype_size(x.dtype())),
                c.out.nbytes());
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<UnpackFlatAttrs>();
  const std::int64_t n = a.shape.num_elements();
  const SliceSpec piece{.begin = {a.offset}, .end = {a.offset + n}};
  return {strided_slice_grad(c.input(0), reshape(c.dy, Shape{n}), piece)};
}
}  // namespace
const OpDef op_unpack_flat{.name = "unpack_flat", .num_inputs = 1, .infer = infer, .compute = compute,
                           .grad = grad, .attrs = &kUnpackFlatAttrs};
}  // namespace ops

Node unpack_flat(const Node& packed, std::int64_t offset, const Shape& shape, const std::string& name) {
  return make_op(ops::op_unpack_flat, {packed}, ops::UnpackFlatAttrs{.offset = offset, .shape = shape}, name);
}
}  // namespace tg
