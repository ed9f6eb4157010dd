// The backward pass: prune to the nodes between the targets and the loss, visit them in reverse
// topological order (explicit stack, no recursion), sum the gradients that reach a node from
// several consumers, and undo broadcasting once, here, for every broadcasting op.
#include "tensorgraph/autodiff.h"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>

#include "../graph/topo_order.h"
#include "tensorgraph/ops.h"

namespace tg {
namespace {

// True if broadcasting cannot grow input i: every other input is at most as long as it (rank known)
// and each of its dimensions is 1 or equal to input i's, known ([1, 1, 1, C] against [?, H, W, C];
// a scalar). Then the output has input i's shape on every run.
bool broadcast_keeps_shape(const detail::GraphImpl& g, const detail::NodeData& n, std::size_t i) {
  const Shape& x = g.nodes[static_cast<std::size_t>(n.inputs[i])]->ts.shape;
  if (!x.rank_known()) return false;
  for (std::size_t k = 0; k < n.inputs.size(); ++k) {
    if (k == i) continue;
    const Shape& o = g.nodes[static_cast<std::size_t>(n.inputs[k])]->ts.shape;
    if (!o.rank_known() || o.rank() > x.rank()) return false;
    for (int d = 0, off = x.rank() - o.rank(); d < o.rank(); ++d)
      if (o[d] != 1 && !(o[d] >= 0 && o[d] == x[d + off])) return false;
  }
  return true;
}

// One part of a gradient that is strided_slice_grad(x, dy, spec) for a spec taking the unit-stride
// range [begin, end) of one axis of x (an index counts as [i, i + 1), dropping the axis) and all of
// every other axis: what split and unstack make.
struct Tile {
  int axis = -1;
  std::int64_t begin = 0, end = 0;
  bool shrink = false;
  Node dy;
};
std::optional<Tile> as_tile(const Node& part) {
  if (part.type() != "strided_slice_grad") return std::nullopt;
  const Shape& x = part.input(0).shape();
  const auto& s = part.attrs().as<SliceSpec>();
  if (!x.rank_known() || s.ellipsis_mask || s.new_axis_mask || s.begin.size() > static_cast<std::size_t>(x.rank()))
    return std::nullopt;
  Tile t;
  for (std::size_t i = 0; i < s.begin.size(); ++i) {
    const std::int64_t bit = std::int64_t{1} << i;
    const bool full = (s.begin_mask & bit) && (s.end_mask & bit) && !(s.shrink_axis_mask & bit);
    if (i < s.strides.size() && s.strides[i] != 1) return std::nullopt;
    if (full) continue;
    if (t.axis >= 0) return std::nullopt;  // a second sliced axis
    t.axis = static_cast<int>(i);
    t.shrink = s.shrink_axis_mask & bit;
    t.begin = (s.begin_mask & bit) && !t.shrink ? 0 : s.begin[i];
    const std::int64_t dim = x[t.axis];
    t.end = t.shrink ? t.begin + 1 : (s.end_mask & bit) ? dim : s.end[i];
    if (t.begin < 0 || t.end < t.begin || (dim >= 0 && t.end > dim)) return std::nullopt;  // negative: from the end
  }
  if (t.axis < 0) return std::nullopt;
  t.dy = part.input(1);
  return t;
}

// A part that is a 2-D product aᵀ·b (a weight's gradient from one use: x_tᵀ·dz_t).
bool is_transposed_product(const Node& part) {
  return part.type() == "matmul" && std::get<bool>(part.attr("transpose_a")) && !std::get<bool>(part.attr("transpose_b")) &&
         part.input(0).shape().rank_known() && part.input(0).shape().rank() == 2 &&
         part.input(1).shape().rank_known() && part.input(1).shape().rank() == 2;
}

// NOTE: Σ_t a_tᵀ·b_t = [a_1; a_2; ...]ᵀ·[b_1; b_2; ...]: the gradients of a weight used at every step
// of an unrolled RNN become one product with a long inner dimension (T·batch), which BLAS runs near
// its peak, where T thin products of inner dimension `batch` and T - 1 additions ran far below it.
std::vector<Node> joined_products(std::vector<Node> parts) {
  std::vector<Node> products, rest;
  for (const Node& p : parts) (is_transposed_product(p) ? products : rest).push_back(p);
  if (products.size() < 2) return parts;
  std::vector<Node> a, b;
  for (const Node& p : products) a.push_back(p.input(0)), b.push_back(p.input(1));
  rest.insert(rest.begin(), matmul(concat(a, 0), concat(b, 0), true, false));
  return rest;
}

// NOTE: the gradients of slices that tile x along one axis (split's parts, unstack's steps, an RNN's
// inputs) are put together as one concat of their dy's: O(size of x), where summing dense scatters
// into zeros costs O(parts * size) (a 64-step RNN: 64 full-size tensors). Parts that are not such
// tiles, or tiles that leave a gap, are summed as usual.
Node sum_all(std::vector<Node> parts) {
  std::map<int, std::vector<std::pair<Tile, std::size_t>>> tiles;  // x's id -> its tiles
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (auto t = as_tile(parts[i])) tiles[parts[i].input(0).id()].push_back({*t, i});
  std::vector<char> used(parts.size(), 0);
  std::vector<Node> rest;
  for (auto& [x_id, group] : tiles) {
    if (group.size() < 2) continue;
    std::sort(group.begin(), group.end(), [](const auto& a, const auto& b) { return a.first.begin < b.first.begin; });
    const Node x = parts[group[0].second].input(0);
    const int axis = group[0].first.axis;
    bool tiled = group[0].first.begin == 0 && x.shape()[axis] >= 0 && group.back().first.end == x.shape()[axis];
    for (std::size_t k = 0; tiled && k < group.size(); ++k)
      tiled = group[k].first.axis == axis && (k == 0 || group[k].first.begin == group[k - 1].first.end);
    if (!tiled) continue;
    std::vector<Node> dys;
    for (const auto& [t, i] : group) {
      dys.push_back(t.shrink ? expand_dims(t.dy, axis) : t.dy);
      used[i] = 1;
    }
    rest.push_back(concat(dys, axis));
  }
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!used[i]) rest.push_back(parts[i]);
  rest = joined_products(std::move(rest));
  Node total = rest[0];
  for (std::size_t i = 1; i < rest.size(); ++i) total = add(total, rest[i]);
  return total;
}

struct Backprop {
  std::unordered_map<int, Node> total;  // node id -> d(sum(loss))/d(node)
  // node id -> the op where the gradient's flow towards it stopped: an op with no gradient
  // (argmax, a comparison) or an integer-valued input or output (labels, a cast to int).
  std::unordered_map<int, int> blocked_by;
};

// The gradient of sum(loss) w.r.t. every node in `wanted` (all ancestors when `all`).
Backprop backprop(const Node& loss, const std::vector<Node>& wanted, bool all) {
  if (!loss.valid()) throw GraphError("gradients: the loss is an invalid Node");
  Graph graph = loss.graph();
  detail::GraphImpl& g = graph.impl();
  std::vector<int> order = detail::topo_order(g, {loss.id()});
  // needed[n]: n is a target or lies on a path from a target to the loss.
  std::vector<char> needed(g.nodes.size(), all ? 1 : 0);
  for (const Node& x : wanted) {
    if (!(x.graph() == graph))
      throw GraphError("gradients: node '" + x.name() + "' belongs to another graph than the loss '" +
                       loss.name() + "'");
    needed[static_cast<std::size_t>(x.id())] = 1;
  }
  for (int id : order)
    for (int in : g.nodes[static_cast<std::size_t>(id)]->inputs)
      if (needed[static_cast<std::size_t>(in)]) needed[static_cast<std::size_t>(id)] = 1;

  detail::NameScope scope(g, "gradients/", true);
  std::unordered_map<int, std::vector<Node>> pending;
  Backprop out;
  auto& total = out.total;
  auto block_inputs = [&](const detail::NodeData& n, int op) {
    for (int in : n.inputs)
      if (needed[static_cast<std::size_t>(in)]) out.blocked_by.try_emplace(in, op);
  };
  pending[loss.id()].push_back(fill_like(loss, 1.0));  // a non-scalar loss is summed
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const int id = *it;
    if (!needed[static_cast<std::size_t>(id)]) continue;
    const detail::NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
    auto p = pending.find(id);
    if (p == pending.end()) {  // no gradient reached this node: its inputs learn why
      auto why = out.blocked_by.find(id);
      // NOTE: an integer-valued node is itself the place its inputs' gradient stops (argmax, a
      // cast to int), more telling than the op that consumed its integers.
      if (why != out.blocked_by.end()) block_inputs(n, is_floating(n.ts.dtype) ? why->second : id);
      continue;
    }
    const Node dy = sum_all(p->second);
    total[id] = dy;
    if (n.kind != NodeKind::operation) continue;
    if (!n.op->grad) {
      block_inputs(n, id);
      continue;
    }
    bool any_input_needed = false;
    for (int in : n.inputs) any_input_needed = any_input_needed || needed[static_cast<std::size_t>(in)];
    if (!any_input_needed) continue;
    const Node node = graph.handle(id);
    std::vector<Node> grads = n.op->grad(GradCtx{node, dy});
    for (std::size_t i = 0; i < n.inputs.size() && i < grads.size(); ++i) {
      const int in = n.inputs[i];
      if (!needed[static_cast<std::size_t>(in)]) continue;
      if (!grads[i].valid()) {  // zero (a shape-only input), or undefined for integer values
        if (!is_floating(g.nodes[static_cast<std::size_t>(in)]->ts.dtype) || !is_floating(n.ts.dtype))
          out.blocked_by.try_emplace(in, id);
        continue;
      }
      Node gi = grads[i];
      const Node x = graph.handle(in);
      // NOTE: the one place broadcasting is undone; skipped when both shapes are known equal, or when
      // x has the output's shape on every run (t * y with a scalar t; x - mean with mean [1, C]).
      if (n.op->broadcasting && !(x.shape().fully_known() && x.shape() == gi.shape()) &&
          !broadcast_keeps_shape(g, n, i))
        gi = sum_to(gi, x);
      pending[in].push_back(gi);
    }
    pending.erase(id);
  }
  return out;
}

}  // namespace

std::vector<Node> gradients(const Node& loss, const std::vector<Node>& xs) {
  const Backprop b = backprop(loss, xs, false);
  std::vector<Node> out;
  for (const Node& x : xs) {
    auto it = b.total.find(x.id());
    auto why = b.blocked_by.find(x.id());
    if (it != b.total.end()) {
      out.push_back(it->second);
    } else if (why != b.blocked_by.end()) {
      // NOTE: TensorFlow returns None here; a zero would be a silently wrong number.
      const Node op = loss.graph().handle(why->second);
      throw GraphError("gradients: no gradient of '" + loss.name() + "' flows to '" + x.name() + "': its path goes " +
                       "through " + op.type() + " '" + op.name() + "' (" + dtype_name(op.dtype()) + " output), " +
                       "which has no gradient" + (op.op() && op.op()->grad ? " for that input" : "") +
                       "; integer values and comparisons are not differentiable");
    } else {
      detail::NameScope scope(loss.graph().impl(), "gradients/", true);
      out.push_back(fill_like(x, 0.0));  // no path from x to the loss: the gradient is zero
    }
  }
  return out;
}

std::map<Node, Node> all_gradients(const Node& loss) {
  if (!loss.valid()) throw GraphError("gradients: the loss is an invalid Node");
  Graph graph = loss.graph();
  auto& tables = graph.impl().gradient_tables;
  // NOTE: not cached under control dependencies: the gradient nodes carry them, which later
  // users of the table outside the context must not inherit.
  if (!graph.impl().control_dependencies.empty()) {
    std::map<Node, Node> out;
    for (auto& [id, g] : backprop(loss, {}, true).total) out.emplace(graph.handle(id), g);
    return out;
  }
  auto cached = tables.find(loss.id());
  if (cached == tables.end()) {
    std::vector<std::pair<int, int>> table;
    for (auto& [id, g] : backprop(loss, {}, true).total) table.emplace_back(id, g.id());
    cached = tables.emplace(loss.id(), std::move(table)).first;
  }
  std::map<Node, Node> out;
  for (auto [id, g] : cached->second) out.emplace(graph.handle(id), graph.handle(g));
  return out;
}

}  // namespace tg
