#include "topo_order.h"

#include <utility>

namespace tg::detail {

std::vector<int> topo_order(const GraphImpl& g, const std::vector<int>& roots, const std::function<bool(int)>& stop,
                            bool control) {
  std::vector<int> order;
  std::vector<char> seen(g.nodes.size(), 0);
  std::vector<std::pair<int, std::size_t>> stack;  // a node and the index of its next input
  for (const int root : roots) {
    if (seen[static_cast<std::size_t>(root)]) continue;
    seen[static_cast<std::size_t>(root)] = 1;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      const NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
      const std::size_t k = n.inputs.size() + (control ? n.control_inputs.size() : 0);
      if (next < k && !(stop && stop(id))) {
        const int in = next < n.inputs.size() ? n.inputs[next] : n.control_inputs[next - n.inputs.size()];
        ++next;
        if (!seen[static_cast<std::size_t>(in)]) {
          seen[static_cast<std::size_t>(in)] = 1;
          stack.emplace_back(in, 0);  // NOTE: invalidates id and next; the loop re-reads them
        }
        continue;
      }
      order.push_back(id);
      stack.pop_back();
    }
  }
  return order;
}

}  // namespace tg::detail
