#pragma once
// A compiled run: which nodes run in which order, where their values live, which buffers they
// reuse. Built once per (fetches, fed nodes); executing it walks flat arrays only.
#include <atomic>
#include <memory>
#include <vector>

#include "../graph/graph_impl.h"
#include "tensorgraph/storage.h"
#include "tensorgraph/session.h"

namespace tg::detail {

struct Step {
  const NodeData* node;
  int value;        // index of the output in Plan::values
  int inputs;       // offset of the input pointers in Plan::input_ptrs
  int buffer = -1;  // pooled buffer of the output; -1: fresh (a fetch) or none (stateful)
  TypeShape out;    // output dtype/shape of the last run
  // A fetch's last two buffers: one is reused once the caller no longer holds it, so that
  // `v = session.run(...)` in a loop (the previous value alive during the run) allocates nothing.
  std::shared_ptr<Storage> fetched[2];
};

struct Leaf {
  const NodeData* node;
  int value;
  bool fed;
};

struct Plan {
  const GraphImpl* graph = nullptr;  // the session's graph (for names in errors)
  std::vector<int> fetch_ids;
  std::vector<int> feed_ids;  // sorted: every fed node, needed or not
  std::vector<int> fetch_values;  // index in values of each fetch
  std::vector<char> fetch_is_leaf;  // returned as a copy
  std::vector<Leaf> leaves;
  std::vector<const NodeData*> unused_feeds;  // fed but not needed: still checked, not used
  std::vector<Step> steps;
  std::vector<Tensor> values;
  std::vector<Tensor*> input_ptrs;
  std::vector<std::shared_ptr<Storage>> buffers;
  std::vector<TypeShape> infer_inputs;  // scratch: the input types of the step being inferred
  std::vector<TypeShape> last_feed_ts;  // per leaf: what was fed last run (shape cache key)
  bool shapes_valid = false;
  bool updates = false;  // a step writes Variables (an optimizer update)
  std::atomic<bool> busy{false};  // a run is using this instance (set under Session's mutex)
  std::vector<Tensor> results;  // the fetched values of the last run
};

/// Compiles a plan; `variables` (indexed by node id) gets the Variables it needs initialised.
std::unique_ptr<Plan> compile_plan(const Graph& graph, const std::vector<Node>& fetches,
                                   const FeedDict& feeds, std::vector<Tensor>& variables);
/// Runs a plan; returns the fetched values in `out` (resized to the fetch count).
/// Returns true when shapes had to be inferred again.
/// `run` numbers the session's runs (KernelCtx::run); `check_numerics`: SessionOptions'.
bool execute_plan(Plan& plan, const FeedDict& feeds, std::vector<Tensor>& variables, std::vector<Tensor>& out,
                  std::uint64_t run, bool check_numerics = false);

}  // namespace tg::detail
