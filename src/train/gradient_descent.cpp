#include <algorithm>
#include <cmath>

#include "../graph/graph_impl.h"
#include "../ops/op_list.h"
#include "tensorgraph/autodiff.h"
#include "tensorgraph/train.h"

namespace tg::train {

GradientDescentOptimizer::GradientDescentOptimizer(double learning_rate) : learning_rate_(learning_rate) {
  if (!std::isfinite(learning_rate) || learning_rate <= 0)
    throw GraphError("GradientDescentOptimizer: learning_rate must be a positive finite number, got " +
                std::to_string(learning_rate));
}

std::vector<Node> trainable_variables_of(const Node& loss) {
  const detail::GraphImpl& g = loss.graph().impl();
  std::vector<char> seen(g.nodes.size(), 0);
  std::vector<int> stack{loss.id()};
  std::vector<Node> vars;
  seen[static_cast<std::size_t>(loss.id())] = 1;
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    const detail::NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
    if (n.kind == NodeKind::variable && n.trainable) vars.push_back(loss.graph().handle(id));
    for (int in : n.inputs)
      if (!seen[static_cast<std::size_t>(in)]) seen[static_cast<std::size_t>(in)] = 1, stack.push_back(in);
  }
  std::sort(vars.begin(), vars.end());
  return vars;
}

Node GradientDescentOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  std::vector<Node> vars = var_list.empty() ? trainable_variables_of(loss) : var_list;
  if (vars.empty())
    throw GraphError("GradientDescentOptimizer.minimize: loss '" + loss.name() +
                     "' depends on no trainable Variable, so there is nothing to minimize");
  for (const Node& v : vars)
    if (!v.valid() || v.kind() != NodeKind::variable)
      throw GraphError("GradientDescentOptimizer.minimize: '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                       "' in var_list is not a Variable");
  std::vector<Node> grads = gradients(loss, vars);
  std::vector<Node> inputs = vars;
  inputs.insert(inputs.end(), grads.begin(), grads.end());
  Attrs a;
  a.value = learning_rate_;
  return make_op(ops::op_apply_gradient_descent, inputs, a, "GradientDescent");
}

std::map<Node, Node> compute_gradients(const Node& loss) { return all_gradients(loss); }

}  // namespace tg::train
