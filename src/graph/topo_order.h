#pragma once
// The one graph walk: every place that needs a node's ancestors in dependency order uses it.
#include <functional>
#include <vector>

#include "graph_impl.h"

namespace tg::detail {

/// The ancestors of `roots` (inclusive), each once, in topological order (a node after all its
/// inputs), roots in turn. The inputs of a node for which `stop(id)` is true are not followed (a
/// fed node). NOTE: an explicit stack, so a graph a million nodes deep does not overflow the
/// call stack. With `control`, a node's control inputs count as inputs (what a run computes);
/// without, only the data flow (what gradients and exports follow).
std::vector<int> topo_order(const GraphImpl& g, const std::vector<int>& roots,
                            const std::function<bool(int)>& stop = nullptr, bool control = false);

}  // namespace tg::detail
