// y = impl->compute(inputs);  dx = impl->gradient(op, dy): a user-defined operation (C++ or Python)
#include "../graph/graph_impl.h"
#include "op_helpers.h"
#include "tensorgraph/custom_op.h"

namespace tg {
namespace ops {
namespace {
CustomOp& impl_of(void* user_data) { return *static_cast<CustomOp*>(user_data); }

TypeShape infer(const InferCtx&) { return {}; }  // unknown until the op has run
void compute(KernelCtx& c) {
  std::vector<Tensor> in;
  in.reserve(static_cast<std::size_t>(c.num_inputs));
  for (int i = 0; i < c.num_inputs; ++i) in.push_back(c.input(i));
  Tensor out = impl_of(c.user_data).compute(in);
  if (!out.defined()) throw Error(impl_of(c.user_data).type() + " '" + c.node_name + "': compute returned no value");
  c.out = out;
}
std::vector<Node> grad(const GradCtx& c) { return impl_of(c.node.data().user_data.get()).gradient(c.node, c.dy); }
}  // namespace
const OpDef op_custom{"custom", -1, infer, compute, grad, false, false, /*dynamic_output=*/true};
}  // namespace ops

Node custom_op(std::shared_ptr<CustomOp> impl, const std::vector<Node>& inputs, const std::string& name) {
  if (!impl) throw GraphError("custom_op: no implementation given");
  const std::string type = impl->type();
  Node n = make_op(ops::op_custom, inputs, {}, name.empty() ? type : name);
  const_cast<detail::NodeData&>(n.data()).user_data = std::move(impl);
  return n;
}
}  // namespace tg
