// y = x with another shape, same elements in row-major order: either `shape` (one dim may be
// -1) or, with a second input, that input's run-time shape (reshape_like). dx = reshape_like(dy, x)
#include <cstring>

#include "op_helpers.h"

namespace tg {
namespace ops {
struct ReshapeAttrs {
  Shape shape;  // the target (one dimension may be -1); unused with a second input
};
const AttrSchema kReshapeAttrs = AttrSchema::of<ReshapeAttrs>({{"shape", &ReshapeAttrs::shape}});
namespace {
Shape target_shape(const Shape& in, const Shape& want) {
  Shape out = want;
  int unknown = -1;
  std::int64_t known = 1;
  for (int i = 0; i < want.rank(); ++i) {
    if (want[i] >= 0) {
      if (__builtin_mul_overflow(known, want[i], &known))
        throw ShapeError("target shape " + want.str() + " has more elements than int64 can count");
      continue;
    }
    if (unknown >= 0) throw ShapeError("target shape " + want.str() + " has more than one -1");
    unknown = i;
  }
  const std::int64_t n = in.num_elements();
  if (n < 0) return out;  // decided at run time
  if (unknown >= 0) {
    if (known == 0 || n % known != 0)
      throw ShapeError("cannot reshape " + in.str() + " (" + std::to_string(n) + " elements) to " + want.str());
    out[unknown] = n / known;
  } else if (known != n) {
    throw ShapeError("cannot reshape " + in.str() + " (" + std::to_string(n) + " elements) to " + want.str() +
                     " (" + std::to_string(known) + " elements)");
  }
  return out;
}
TypeShape infer(const InferCtx& c) {
  if (c.num_inputs == 2) {  // reshape_like
    const Shape &in = c.input(0).shape, &like = c.input(1).shape;
    const std::int64_t a = in.num_elements(), b = like.num_elements();
    if (a >= 0 && b >= 0 && a != b)
      throw ShapeError("cannot reshape " + in.str() + " to the shape of the second input " + like.str());
    return {c.input(0).dtype, like};
  }
  return {c.input(0).dtype, target_shape(c.input(0).shape, c.attrs.as<ReshapeAttrs>().shape)};
}
void compute(KernelCtx& c) {
  if (c.input(0).size() != c.out.size())
    throw ShapeError("cannot reshape " + c.input(0).shape().str() + " to " + c.out.shape().str());
  std::memcpy(c.out.raw(), c.input(0).raw(), c.out.nbytes());
}
std::vector<Node> grad(const GradCtx& c) {
  std::vector<Node> g{reshape_like(c.dy, c.input(0))};
  if (c.node.inputs().size() == 2) g.push_back(Node());
  return g;
}
}  // namespace
const OpDef op_reshape{.name = "reshape", .num_inputs = -1, .infer = infer, .compute = compute, .grad = grad,
                       .attrs = &kReshapeAttrs};
}  // namespace ops

Node reshape(const Node& x, const Shape& shape, const std::string& name) {
  if (!shape.rank_known()) throw ShapeError("reshape '" + name + "': the target shape must have a known rank");
  return make_op(ops::op_reshape, {x}, ops::ReshapeAttrs{.shape = shape}, name);
}
Node reshape_like(const Node& x, const Node& like, const std::string& name) {
  return make_op(ops::op_reshape, {x, like}, {}, name);
}
}  // namespace tg
