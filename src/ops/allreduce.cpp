// y = Σ_r x_r over the ranks r (op "sum"), or y = (1/n) Σ_r x_r (op "mean"); every rank gets y.
// With the objective Σ_r L_r(y): d/dx_r = Σ_r' dy_r' (mean: (1/n) Σ_r' dy_r'), the allreduce of dy.
#include "../distributed/collectives.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct AllreduceAttrs {
  std::string op = "mean";  // "mean" or "sum"
};
const AttrSchema kAllreduceAttrs = AttrSchema::of<AllreduceAttrs>({{"op", &AllreduceAttrs::op}});
namespace {
distributed::ReduceOp reduce_op(const std::string& op) {
  if (op == "mean") return distributed::ReduceOp::mean;
  if (op == "sum") return distributed::ReduceOp::sum;
  throw GraphError("allreduce: op must be \"mean\" or \"sum\", got \"" + op + "\"");
}
TypeShape infer(const InferCtx& c) {
  const TypeShape& x = c.input(0);
  const distributed::ReduceOp op = reduce_op(c.attrs.as<AllreduceAttrs>().op);
  if (x.dtype == DType::boolean) throw DTypeError("allreduce: no sum of bool values");
  if (op == distributed::ReduceOp::mean) require_float(x.dtype, "allreduce (mean; sum takes integers)");
  return x;
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  distributed::detail::allreduce(x.raw(), c.out.raw(), c.out.size(), c.out.dtype(), reduce_op(c.attrs.as<AllreduceAttrs>().op),
                                 "allreduce '" + c.node_name + "'");
}
std::vector<Node> grad(const GradCtx& c) {
  return {make_op(op_allreduce, {c.dy}, c.node.attrs())};
}
}  // namespace
const OpDef op_allreduce{.name = "allreduce", .num_inputs = 1, .infer = infer, .compute = compute, .grad = grad,
                         .attrs = &kAllreduceAttrs};
}  // namespace ops

Node distributed::allreduce(const Node& x, ReduceOp op, const std::string& name) {
  init();  // NOTE: a graph built before init() still reduces over the job's ranks
  return make_op(ops::op_allreduce, {x}, ops::AllreduceAttrs{.op = op == ReduceOp::mean ? "mean" : "sum"}, name);
}
}  // namespace tg
