#include <algorithm>
#include <cmath>

#include "../graph/topo_order.h"
#include "grads_and_vars.h"
#include "tensorgraph/op_def.h"
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
  std::vector<Node> vars;
  for (int id : detail::topo_order(g, {loss.id()})) {
    const detail::NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
    if (n.kind == NodeKind::variable && n.trainable) vars.push_back(loss.graph().handle(id));
  }
  std::sort(vars.begin(), vars.end());  // creation order
  return vars;
}

namespace {

Node descent(double learning_rate, const std::string& who, const GradsAndVars& grads_and_vars, const std::string& name) {
  const auto [grads, vars] = checked_pairs(who, grads_and_vars);
  std::vector<Node> inputs = vars;
  std::vector<std::int64_t> fused, transpose_a, transpose_b;
  // A gradient that is a product of two matrices (a dense layer's weights) is fused into the
  // update: the op gets the product's operands and runs one GEMM, v -= lr·op(a)·op(b).
  // NOTE: not when an operand is a Variable itself (W in U·W): updates write Variables in place,
  // one after the other, and a later fused product would read an already updated one.
  for (std::size_t i = 0; i < grads.size(); ++i) {
    const Node& g = grads[i];
    const bool fusable = g.type() == "matmul" && g.input(0).kind() != NodeKind::variable &&
                         g.input(1).kind() != NodeKind::variable && g.input(0).shape().rank() == 2 &&
                         g.input(1).shape().rank() == 2 && vars[i].shape().rank() == 2 &&
                         is_floating(vars[i].dtype());
    fused.push_back(fusable);
    transpose_a.push_back(fusable && std::get<bool>(g.attr("transpose_a")));
    transpose_b.push_back(fusable && std::get<bool>(g.attr("transpose_b")));
    if (fusable) {
      inputs.push_back(g.input(0));
      inputs.push_back(g.input(1));
    } else {
      inputs.push_back(g);
    }
  }
  const OpDef& update = *find_op("apply_gradient_descent");
  return with_update_ops(make_op(update, inputs,
                 update.attrs->from({{"learning_rate", learning_rate},
                                     {"fused", fused},
                                     {"transpose_a", transpose_a},
                                     {"transpose_b", transpose_b}},
                                    update.name),
                 name.empty() ? "GradientDescent" : name), grads);
}

}  // namespace

Node GradientDescentOptimizer::minimize(const Node& loss, const std::vector<Node>& var_list) const {
  const std::string who = "GradientDescentOptimizer.minimize";
  return descent(learning_rate_, who, gradients_of(who, loss, var_list), "");
}

GradsAndVars GradientDescentOptimizer::compute_gradients(const Node& loss, const std::vector<Node>& var_list) const {
  return gradients_of("GradientDescentOptimizer.compute_gradients", loss, var_list);
}

Node GradientDescentOptimizer::apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name,
                                               const Node& global_step) const {
  const std::string who = "GradientDescentOptimizer.apply_gradients";
  if (global_step.valid()) return counted_descent(who, learning_rate_, grads_and_vars, name, global_step);
  return descent(learning_rate_, who, grads_and_vars, name);
}

std::map<Node, Node> compute_gradients(const Node& loss) { return all_gradients(loss); }

}  // namespace tg::train
