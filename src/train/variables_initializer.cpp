// TensorFlow's initializers: one update that sets every listed Variable to its initial value,
// group(assign(v, initial)...). `initial` is the node the Variable was made from when there is one
// (a random op draws afresh each time the initializer runs, as TensorFlow's), else a constant
// sharing the Variable's stored initial value.
#include "../graph/graph_impl.h"
#include "tensorgraph/ops.h"

namespace tg {

Node variables_initializer(const std::vector<Node>& variables, const std::string& name) {
  if (variables.empty()) return no_op(name);
  std::vector<Node> assigns;
  assigns.reserve(variables.size());
  for (const Node& v : variables) {
    if (!v.valid() || v.kind() != NodeKind::variable)
      throw GraphError("variables_initializer: '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                       "' is not a Variable");
    const Node from = v.initializer();
    // NOTE: constant_in shares the stored tensor (no copy); the Variable's own value is never written.
    assigns.push_back(assign(v, from.valid() ? from : detail::constant_in(v.graph(), v.value())));
  }
  return group(assigns, name);
}

Node global_variables_initializer() { return variables_initializer(Graph::get_default().variables()); }

}  // namespace tg
