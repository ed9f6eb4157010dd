#include "plan.h"

#include <algorithm>
#include <atomic>
#include <sstream>

#include "../graph/topo_order.h"
#include "../kernels/signals_held.h"
#include "../tensor/non_finite.h"
#include "op_profile.h"

namespace tg::detail {
namespace {

// Ancestors of the fetches in topological order, stopping at fed nodes (explicit stack).
std::vector<int> pruned_order(const GraphImpl& g, const std::vector<int>& fetch_ids, const FeedDict& feeds) {
  std::vector<int> order = topo_order(g, fetch_ids, [&](int id) { return feeds.find(id) != nullptr; }, true);
  // Update ops run last, so every other node of the run sees the values from before the update —
  // unless the run holds control dependencies: then it runs in their order (TensorFlow's: a read
  // made after an update by control_dependencies sees the update).
  for (int id : order)
    if (!g.nodes[static_cast<std::size_t>(id)]->control_inputs.empty()) return order;
  std::stable_partition(order.begin(), order.end(), [&](int id) {
    const NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
    return !(n.op && n.op->stateful && !feeds.find(id));
  });
  return order;
}

[[noreturn]] void rethrow_with_context(const Step& s, const Plan& p, const std::exception_ptr& e) {
  const NodeData& n = *s.node;
  std::ostringstream ctx;
  ctx << n.op->name << " '" << n.name << "' (inputs ";
  for (std::size_t i = 0; i < n.inputs.size(); ++i) {  // as the build-time errors: 'name' [shape] dtype
    const Tensor& t = *p.input_ptrs[static_cast<std::size_t>(s.inputs) + i];
    ctx << (i ? ", " : "") << '\'' << p.graph->nodes[static_cast<std::size_t>(n.inputs[i])]->name << "' "
        << t.shape().str() << ' ' << dtype_name(t.dtype());
  }
  ctx << "): ";
  try {
    std::rethrow_exception(e);
  } catch (const ShapeError& x) {
    throw ShapeError(ctx.str() + x.what());
  } catch (const DTypeError& x) {
    throw DTypeError(ctx.str() + x.what());
  }
}

// SessionOptions::check_numerics: NumericsError naming the node whose value holds a NaN or Inf.
void numerics_check(const NodeData& n, const char* verb, const Tensor& value) {
  const std::string bad = describe_non_finite(value);
  if (!bad.empty())
    throw NumericsError("Session::run (check_numerics): " +
                        std::string(n.op                               ? n.op->name
                                    : n.kind == NodeKind::placeholder ? "placeholder"
                                    : n.kind == NodeKind::variable    ? "Variable"
                                                                      : "constant") +
                        " '" + n.name + "' " + verb + " " + bad);
}

// A fed value must have the node's dtype and fit its shape.
void check_feed(const NodeData& n, const Tensor& t) {
  if (!t.defined()) throw FeedError("Session::run: the value fed to '" + n.name + "' is undefined");
  if (n.ts.dtype != DType::unknown && t.dtype() != n.ts.dtype)
    throw DTypeError("Session::run: node '" + n.name + "' expects dtype " + dtype_name(n.ts.dtype) + ", fed " +
                     dtype_name(t.dtype()) + " of shape " + t.shape().str());
  if (!shape_compatible(n.ts.shape, t.shape()))
    throw ShapeError("Session::run: node '" + n.name + "' expects shape " + n.ts.shape.str() + ", fed shape " +
                     t.shape().str());
}

}  // namespace

std::unique_ptr<Plan> compile_plan(const Graph& graph, const std::vector<Node>& fetches,
                                   const FeedDict& feeds, std::vector<Tensor>& variables) {
  const GraphImpl& g = graph.impl();
  auto plan = std::make_unique<Plan>();
  plan->graph = &g;
  for (const Node& f : fetches) {
    if (!f.valid()) throw GraphError("Session::run: fetch is an invalid Node");
    if (!(f.graph() == graph))
      throw GraphError("Session::run: fetch '" + f.name() + "' belongs to another graph than the session's");
    plan->fetch_ids.push_back(f.id());
  }
  for (const auto& [node, value] : feeds.items()) {
    if (!(node.graph() == graph))
      throw GraphError("Session::run: fed node '" + node.name() + "' belongs to another graph than the session's");
    plan->feed_ids.push_back(node.id());
  }
  std::sort(plan->feed_ids.begin(), plan->feed_ids.end());

  std::vector<int> order = pruned_order(g, plan->fetch_ids, feeds);
  std::vector<int> local(g.nodes.size(), -1);
  for (std::size_t i = 0; i < order.size(); ++i) local[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
  for (int id : plan->feed_ids)
    if (local[static_cast<std::size_t>(id)] < 0) plan->unused_feeds.push_back(g.nodes[static_cast<std::size_t>(id)].get());
  plan->values.resize(order.size());
  if (variables.size() < g.nodes.size()) variables.resize(g.nodes.size());

  std::vector<char> is_fetch(order.size(), 0);
  for (int f : plan->fetch_ids) {
    is_fetch[static_cast<std::size_t>(local[static_cast<std::size_t>(f)])] = 1;
    plan->fetch_values.push_back(local[static_cast<std::size_t>(f)]);
    plan->fetch_is_leaf.push_back(feeds.find(f) || g.nodes[static_cast<std::size_t>(f)]->kind != NodeKind::operation);
  }
  std::size_t num_inputs = 0;
  for (int id : order)
    if (!feeds.find(id)) num_inputs += g.nodes[static_cast<std::size_t>(id)]->inputs.size();
  plan->input_ptrs.reserve(num_inputs);

  for (int id : order) {
    const NodeData& n = *g.nodes[static_cast<std::size_t>(id)];
    const int v = local[static_cast<std::size_t>(id)];
    const bool fed = feeds.find(id) != nullptr;
    if (fed || n.kind != NodeKind::operation) {
      if (n.kind == NodeKind::placeholder && !fed)
        throw FeedError("Session::run: placeholder '" + n.name + "' (" + dtype_name(n.ts.dtype) + " " +
                        n.ts.shape.str() + ") must be fed: the fetches depend on it");
      if (n.kind == NodeKind::variable && !variables[static_cast<std::size_t>(id)].defined())
        variables[static_cast<std::size_t>(id)] = n.value.clone();
      plan->leaves.push_back({&n, v, fed});
      continue;
    }
    if (n.op->stateful)
      for (int in : n.inputs)
        if (feeds.find(in) && g.nodes[static_cast<std::size_t>(in)]->kind == NodeKind::variable)
          throw FeedError("Session::run: '" + n.name + "' updates Variable '" + g.nodes[static_cast<std::size_t>(in)]->name +
                          "', which this run feeds: an update needs the Variable's own value");
    plan->updates = plan->updates || n.op->stateful;
    Step s{&n, v, static_cast<int>(plan->input_ptrs.size()), -1, {}, {}};
    for (int in : n.inputs) plan->input_ptrs.push_back(&plan->values[static_cast<std::size_t>(local[static_cast<std::size_t>(in)])]);
    plan->steps.push_back(s);
    plan->infer_inputs.resize(std::max(plan->infer_inputs.size(), n.inputs.size()));
  }
  plan->last_feed_ts.resize(plan->leaves.size());

  // Buffer reuse by liveness: a step's output takes a free buffer; an input's buffer is freed
  // after its last reader. Fetched values get fresh tensors (returned to the caller).
  std::vector<int> last_use(order.size(), -1);
  for (std::size_t si = 0; si < plan->steps.size(); ++si)
    for (int in : plan->steps[si].node->inputs)
      last_use[static_cast<std::size_t>(local[static_cast<std::size_t>(in)])] = static_cast<int>(si);
  std::vector<int> buffer_of(order.size(), -1), free_buffers;
  int num_buffers = 0;
  for (std::size_t si = 0; si < plan->steps.size(); ++si) {
    Step& s = plan->steps[si];
    if (!s.node->op->stateful && !is_fetch[static_cast<std::size_t>(s.value)]) {
      if (free_buffers.empty()) free_buffers.push_back(num_buffers++);
      s.buffer = free_buffers.back();
      free_buffers.pop_back();
      buffer_of[static_cast<std::size_t>(s.value)] = s.buffer;
    }
    for (int in : s.node->inputs) {
      const int lv = local[static_cast<std::size_t>(in)];
      if (last_use[static_cast<std::size_t>(lv)] == static_cast<int>(si) && buffer_of[static_cast<std::size_t>(lv)] >= 0) {
        free_buffers.push_back(buffer_of[static_cast<std::size_t>(lv)]);
        buffer_of[static_cast<std::size_t>(lv)] = -1;  // an input read twice is freed once
      }
    }
    if (s.buffer >= 0 && last_use[static_cast<std::size_t>(s.value)] < 0) free_buffers.push_back(s.buffer);
  }
  plan->buffers.resize(static_cast<std::size_t>(num_buffers));
  return plan;
}

bool execute_plan(Plan& plan, const FeedDict& feeds, std::vector<Tensor>& variables, std::vector<Tensor>& out,
                  std::uint64_t run, bool check_numerics) {
  const kernels::RunSignalScope signals;  // oneDNN's calls hold signals once per run (signals_held.h)
  for (Tensor& t : out) t.reset();  // the previous results no longer pin their buffers
  for (const NodeData* n : plan.unused_feeds) check_feed(*n, *feeds.find(n->id));  // as TensorFlow does
  bool shapes_changed = !plan.shapes_valid;
  for (std::size_t i = 0; i < plan.leaves.size(); ++i) {
    const Leaf& l = plan.leaves[i];
    const NodeData& n = *l.node;
    Tensor& v = plan.values[static_cast<std::size_t>(l.value)];
    if (l.fed) {
      const Tensor& t = *feeds.find(n.id);
      check_feed(n, t);
      TypeShape& last = plan.last_feed_ts[i];
      if (last.dtype != t.dtype() || !(last.shape == t.shape())) {
        shapes_changed = true;
        last = {t.dtype(), t.shape()};
      }
      v = t;
    } else {  // Variables and constants keep their storage from run to run: reassign on change only
      const Tensor& src = n.kind == NodeKind::variable ? variables[static_cast<std::size_t>(n.id)] : n.value;
      if (!v.shares_storage(src)) v = src;
    }
  }
  if (check_numerics)
    for (const Leaf& l : plan.leaves)
      numerics_check(*l.node, l.fed ? "was fed" : "holds", plan.values[static_cast<std::size_t>(l.value)]);
  // Shapes are inferred step by step, just before each kernel, when the feeds' shapes changed or
  // an op whose output shape only its kernel knows (a Python op) produced a new one.
  bool infer = shapes_changed;
  plan.shapes_valid = false;
  const bool profiled = profiling();
  for (Step& s : plan.steps) {
    Tensor* const* ins = plan.input_ptrs.data() + s.inputs;
    const int k = static_cast<int>(s.node->inputs.size());
    const OpDef& op = *s.node->op;
    if (infer && !op.dynamic_output) {
      std::vector<TypeShape>& ts = plan.infer_inputs;  // sized for the widest step when compiled
      for (int i = 0; i < k; ++i) ts[static_cast<std::size_t>(i)] = {ins[i]->dtype(), ins[i]->shape()};
      try {
        s.out = op.infer(InferCtx{ts.data(), k, s.node->attrs});
      } catch (const Error&) {
        rethrow_with_context(s, plan, std::current_exception());
      }
    }
    Tensor& o = plan.values[static_cast<std::size_t>(s.value)];
    if (op.stateful || op.dynamic_output) {
      o.reset();
    } else if (s.buffer < 0) {
      // A fetched value belongs to the caller: its buffer is reused only once nobody else holds it.
      o.reset();
      std::shared_ptr<Storage>& slot = s.fetched[0].use_count() <= 1 ? s.fetched[0] : s.fetched[1];
      if (slot.use_count() > 1) slot.reset();
      // NOTE: the caller may have dropped its last handle on another thread; its reads of the
      // buffer happen before that release (shared_ptr's decrement is acq_rel), and this fence
      // orders our overwrite after it.
      std::atomic_thread_fence(std::memory_order_acquire);
      o.reset_into(slot, s.out.dtype, s.out.shape);
    } else if (infer || !o.defined()) {
      // NOTE: with unchanged shapes the tensor from the last run still describes its buffer.
      o.reset_into(plan.buffers[static_cast<std::size_t>(s.buffer)], s.out.dtype, s.out.shape);
    }
    KernelCtx c{ins, k, o, s.node->attrs, s.node->name, s.node->id, s.node->user_data.get(), run};
    try {
      if (profiled) {
        const auto t0 = std::chrono::steady_clock::now();
        op.compute(c);
        record_kernel(op.name, o.shape(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      } else {
        op.compute(c);
      }
    } catch (const Error&) {
      rethrow_with_context(s, plan, std::current_exception());
    }
    if (check_numerics) {
      if (!op.stateful) numerics_check(*s.node, "produced", o);
      for (int i = 0; op.stateful && i < k; ++i) numerics_check(*s.node, "wrote or read", *ins[i]);
    }
    if (op.dynamic_output) {
      if (!o.defined())
        throw Error(std::string(op.name) + " '" + s.node->name + "': the kernel produced no value");
      if (s.out.dtype != o.dtype() || !(s.out.shape == o.shape())) {
        s.out = {o.dtype(), o.shape()};
        infer = true;  // later shapes may change with this one
      }
    }
  }
  plan.shapes_valid = true;
  out.resize(plan.fetch_values.size());
  for (std::size_t i = 0; i < plan.fetch_values.size(); ++i) {
    const Tensor& v = plan.values[static_cast<std::size_t>(plan.fetch_values[i])];
    // Leaves (variables, constants, feeds) are returned as copies: the caller must not alias state.
    out[i] = plan.fetch_is_leaf[i] ? v.clone() : v;
  }
  return infer;
}

}  // namespace tg::detail
