#pragma once
// Reverse-mode autodiff, symbolic: gradients are new nodes in the same graph (named
// "gradients/..."), run by a Session like any other node, and differentiable again.
#include <map>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg {

/// d(sum(loss))/dx for each x, as nodes; a zero-filled node where x does not reach the loss.
std::vector<Node> gradients(const Node& loss, const std::vector<Node>& xs);
/// Gradient of sum(loss) w.r.t. every node the backward walk from the loss reaches (the
/// tutorial's table, as nodes). Built once per loss: later calls return the same nodes.
std::map<Node, Node> all_gradients(const Node& loss);

}  // namespace tg
