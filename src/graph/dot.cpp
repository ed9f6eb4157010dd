// Graph -> Graphviz DOT: one box per node (name, type, dtype, shape, attributes); edges from
// inputs to consumers; gradient nodes dashed and grey, Variables and placeholders coloured. The
// forward-only view leaves out the backward pass and the optimizers.
#include <sstream>
#include <vector>

#include "graph_impl.h"

namespace tg {
namespace {
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The nodes to_dot({.forward_only = true}) leaves out: gradient nodes and what is computed from
// them (a clipped gradient), updates, and leaves that only hidden nodes read (optimizer state).
// NOTE: an input has a smaller id than its consumers, so one pass each way settles it.
std::vector<char> backward_nodes(const detail::GraphImpl& g) {
  const std::size_t n = g.nodes.size();
  std::vector<char> hidden(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const detail::NodeData& d = *g.nodes[i];
    hidden[i] = d.gradient || (d.op && d.op->stateful);
    for (int in : d.inputs) hidden[i] = hidden[i] || hidden[static_cast<std::size_t>(in)];
  }
  for (std::size_t i = n; i-- > 0;) {
    const detail::NodeData& d = *g.nodes[i];
    if (d.kind == NodeKind::operation || d.consumers.empty()) continue;
    bool all = true;
    for (int c : d.consumers) all = all && hidden[static_cast<std::size_t>(c)];
    hidden[i] = hidden[i] || all;
  }
  return hidden;
}

}  // namespace

std::string Graph::to_dot(const DotOptions& options) const {
  const std::vector<char> hidden = options.forward_only ? backward_nodes(*impl_) : std::vector<char>(impl_->nodes.size(), 0);
  std::ostringstream os;
  os << "digraph tensorgraph {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& n : impl_->nodes) {
    if (hidden[static_cast<std::size_t>(n->id)]) continue;
    const Node h = handle(n->id);
    std::ostringstream label;
    label << n->name << '\n' << h.type() << ' ' << dtype_name(n->ts.dtype) << ' ' << n->ts.shape.str();
    const std::string attrs = n->op && n->op->attrs ? n->op->attrs->str(n->attrs) : "";
    if (!attrs.empty()) label << '\n' << attrs;
    os << "  n" << n->id << " [label=\"" << escape(label.str()) << '"';
    if (n->gradient) os << ", style=dashed, color=gray40";
    else if (n->kind == NodeKind::variable) os << ", style=filled, fillcolor=lightblue";
    else if (n->kind == NodeKind::placeholder) os << ", style=filled, fillcolor=lightyellow";
    os << "];\n";
  }
  for (const auto& n : impl_->nodes) {
    if (hidden[static_cast<std::size_t>(n->id)]) continue;
    for (int in : n->inputs) os << "  n" << in << " -> n" << n->id << ";\n";
    for (int in : n->control_inputs)  // run before, value unused: dotted, as TensorBoard draws them
      if (!hidden[static_cast<std::size_t>(in)]) os << "  n" << in << " -> n" << n->id << " [style=dotted];\n";
  }
  os << "}\n";
  return os.str();
}

}  // namespace tg
