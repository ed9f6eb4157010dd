// y_r = x_root on every rank r. With the objective Σ_r L_r(y_r): d/dx_root = Σ_r dy_r, and
// d/dx_r = 0 for r ≠ root (every rank runs the sum: it is a collective).
#include <cstring>

#include "../distributed/collectives.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct BroadcastAttrs {
  std::int64_t root = 0;  // the rank whose value every rank gets
};
const AttrSchema kBroadcastAttrs = AttrSchema::of<BroadcastAttrs>({{"root", &BroadcastAttrs::root}});
namespace {
TypeShape infer(const InferCtx& c) {
  const std::int64_t root = c.attrs.as<BroadcastAttrs>().root;
  if (root < 0 || root >= distributed::size())
    throw GraphError("broadcast: root " + std::to_string(root) + " is not a rank of this world of " +
                     std::to_string(distributed::size()));
  if (c.input(0).dtype == DType::boolean) throw DTypeError("broadcast: no broadcast of bool values (cast them)");
  return c.input(0);
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  if (c.out.raw() != x.raw()) std::memcpy(c.out.raw(), x.raw(), x.nbytes());
  distributed::detail::broadcast(c.out.raw(), c.out.size(), c.out.dtype(),
                                 static_cast<int>(c.attrs.as<BroadcastAttrs>().root), "broadcast '" + c.node_name + "'");
}
std::vector<Node> grad(const GradCtx& c) {
  const Node summed = distributed::allreduce(c.dy, distributed::ReduceOp::sum);
  return {distributed::rank() == c.node.attrs().as<BroadcastAttrs>().root ? summed : zeros_like(summed)};
}
}  // namespace
const OpDef op_broadcast{.name = "broadcast", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                         .attrs = &kBroadcastAttrs};
}  // namespace ops

Node distributed::broadcast(const Node& x, int root, const std::string& name) {
  init();
  return make_op(ops::op_broadcast, {x}, ops::BroadcastAttrs{.root = root}, name);
}
}  // namespace tg
