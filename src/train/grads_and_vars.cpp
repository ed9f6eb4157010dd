#include "grads_and_vars.h"

#include <algorithm>
#include <set>

#include "../graph/topo_order.h"
#include "../ops/optimizer_update.h"

#include "tensorgraph/autodiff.h"
#include "tensorgraph/ops.h"
#include "tensorgraph/train.h"

namespace tg::train {
namespace {

// `where` names the list the Variable came in ("var_list", "grads_and_vars").
void check_variable(const std::string& who, const char* where, const Node& v, const Graph& g, std::set<Node>& seen) {
  if (!v.valid() || v.kind() != NodeKind::variable || !v.in_graph(g))
    throw GraphError(who + ": '" + (v.valid() ? v.name() : std::string("<invalid>")) + "' in " + where +
                     " is not a Variable of the loss's graph");
  if (!is_floating(v.dtype()))
    throw DTypeError(who + ": Variable '" + v.name() + "' is " + dtype_name(v.dtype()) + ", not float32/float64");
  if (!seen.insert(v).second) throw GraphError(who + ": Variable '" + v.name() + "' is twice in " + where);
}

}  // namespace

GradsAndVars gradients_of(const std::string& who, const Node& loss, const std::vector<Node>& var_list) {
  if (!loss.valid()) throw GraphError(who + ": loss is an invalid Node");
  const std::vector<Node> vars = var_list.empty() ? trainable_variables_of(loss) : var_list;
  if (vars.empty())
    throw GraphError(who + ": loss '" + loss.name() + "' depends on no trainable Variable, so there is nothing to minimize");
  std::set<Node> seen;
  for (const Node& v : vars) check_variable(who, "var_list", v, loss.graph(), seen);
  const std::vector<Node> grads = gradients(loss, vars);
  GradsAndVars out;
  for (std::size_t i = 0; i < vars.size(); ++i) out.emplace_back(grads[i], vars[i]);
  return out;
}

Pairs checked_pairs(const std::string& who, const GradsAndVars& grads_and_vars) {
  Pairs p;
  std::set<Node> seen;
  for (const auto& [grad, var] : grads_and_vars) {
    if (!grad.valid()) continue;  // TF's None: the loss does not reach this Variable
    check_variable(who, "grads_and_vars", var, grad.graph(), seen);
    if (grad.dtype() != DType::unknown && grad.dtype() != var.dtype())
      throw DTypeError(who + ": the gradient '" + grad.name() + "' of Variable '" + var.name() + "' is " +
                       dtype_name(grad.dtype()) + ", the Variable " + dtype_name(var.dtype()));
    if (grad.shape().fully_known() && !(grad.shape() == var.shape()))
      throw ShapeError(who + ": the gradient '" + grad.name() + "' of Variable '" + var.name() + "' has shape " +
                       grad.shape().str() + ", the Variable " + var.shape().str());
    p.grads.push_back(grad);
    p.vars.push_back(var);
  }
  if (p.vars.empty())
    throw GraphError(who + ": no gradient for any Variable in grads_and_vars (" + std::to_string(grads_and_vars.size()) +
                     " pairs, each without a gradient)");
  return p;
}

Node with_update_ops(const Node& step, const std::vector<Node>& grads) {
  const Graph g = step.graph();
  const std::vector<Node> updates = g.get_collection(GraphKeys::UPDATE_OPS);
  if (updates.empty()) return step;
  for (const Node& d : g.control_dependencies())
    if (std::find(updates.begin(), updates.end(), d) != updates.end()) return step;  // wired by hand
  std::vector<int> roots;
  for (const Node& n : grads) roots.push_back(n.id());
  std::set<int> reached;
  for (int id : detail::topo_order(g.impl(), roots, nullptr, true)) reached.insert(id);
  std::vector<Node> run{step};
  for (const Node& u : updates) {
    bool fed_anyway = true;
    for (int id : detail::topo_order(g.impl(), {u.id()}, nullptr, true))
      fed_anyway = fed_anyway && (g.node(id).kind() != NodeKind::placeholder || reached.count(id));
    if (fed_anyway) run.push_back(u);
  }
  return run.size() == 1 ? step : group(run, step.name() + "/with_update_ops");
}

void check_global_step(const std::string& who, const Node& step, const Graph& g) {
  if (!step.valid() || step.kind() != NodeKind::variable || !step.in_graph(g) || !ops::update::is_step_dtype(step.dtype()) ||
      !(step.shape() == Shape{}))
    throw DTypeError(who + ": global_step must be a scalar Variable (int64, int32, float64 or float32) of the "
                     "update's graph, got " +
                     (step.valid() ? step.type() + " '" + step.name() + "' " + dtype_name(step.dtype()) + " " +
                                         step.shape().str()
                                   : std::string("an invalid Node")));
}

}  // namespace tg::train
