// Graph -> Graphviz DOT: one box per node (name, type, dtype, shape, attributes); edges from
// inputs to consumers; gradient nodes dashed and grey, Variables and placeholders coloured.
#include <sstream>

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
}  // namespace

std::string Graph::to_dot() const {
  std::ostringstream os;
  os << "digraph tensorgraph {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& n : impl_->nodes) {
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
  for (const auto& n : impl_->nodes)
    for (int in : n->inputs) os << "  n" << in << " -> n" << n->id << ";\n";
  os << "}\n";
  return os.str();
}

}  // namespace tg
