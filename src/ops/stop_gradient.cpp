// y = x (any dtype), but no gradient flows back through it: it acts as a constant in the
// backward pass (TensorFlow's stop_gradient); a node reached only through it gets a zero gradient.
#include <cstring>

#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) { return c.input(0); }
void compute(KernelCtx& c) { std::memcpy(c.out.raw(), c.input(0).raw(), c.out.nbytes()); }
// NOTE: an invalid Node (no gradient, as a shape-only input), not a null rule: a null rule would
// make asking for the gradient an error ("no gradient flows"), which TensorFlow's stop_gradient is not.
std::vector<Node> grad(const GradCtx&) { return {Node()}; }
}  // namespace
const OpDef op_stop_gradient{"stop_gradient", 1, infer, compute, grad};
}  // namespace ops

Node stop_gradient(const Node& x, const std::string& name) { return make_op(ops::op_stop_gradient, {x}, {}, name); }
}  // namespace tg
