#pragma once
// Session: runs the graph. Variables live here, as in TensorFlow 1.x: each Session holds its own
// copy of every Variable, initialised from the Variable's initial value when the session first
// needs it, so a graph is never modified by running it and several sessions can share it.
// Running a Variable returns its current value (the tutorial's behaviour).
//
// The first run of a (fetches, fed nodes) pair compiles a plan: the pruned topological order and
// buffers reused by liveness. Later runs reuse it: no graph walk, and no allocation beyond the
// returned values.
//
// Thread safety: every member may be called from several threads at once. Runs that only read
// Variables (inference) run in parallel, each on its own instance of the plan (a second instance
// is compiled the first time two threads run the same fetches at once); a run that updates
// Variables (an optimizer step) and `assign` wait for the other runs and exclude them, so each
// update sees and leaves consistent Variables. A Graph may be read by several threads (sessions),
// but adding nodes to it while it is run from another thread is not safe.
#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg {

/// Values for placeholders (or any node, overriding it) for one run. Up to four feeds live
/// inline: building the feeds of a small run allocates nothing.
class FeedDict {
 public:
  using Item = std::pair<Node, Tensor>;
  FeedDict() = default;
  FeedDict(std::initializer_list<Item> items);
  /// Feeds `value` to `node`, replacing an earlier feed of it.
  void set(const Node& node, const Tensor& value);
  /// The value fed to node `id`, or null.
  const Tensor* find(int id) const;
  std::span<const Item> items() const {
    return size_ <= kInline ? std::span<const Item>(inline_.data(), size_) : std::span<const Item>(heap_);
  }

 private:
  static constexpr std::size_t kInline = 4;
  std::array<Item, kInline> inline_;
  std::vector<Item> heap_;
  std::size_t size_ = 0;
};

/// How a Session runs.
struct SessionOptions {
  /// Scan every value a run feeds, reads or computes, and every Variable an update writes, for
  /// NaN and Inf; the first one found raises NumericsError naming its node (a debugging aid:
  /// one extra pass over each value).
  bool check_numerics = false;
};

/// What one run saw of the Variables, for callers that relate its values to Session::writes().
struct RunInfo {
  std::uint64_t writes = 0;  // writes() when the run read the Variables (before its own write)
  bool wrote = false;        // the run updated Variables
};

/// Counters that tests use to prove plan reuse.
struct SessionStats {
  std::uint64_t runs = 0;
  std::uint64_t plans_compiled = 0;  // each compile walks the graph once
  std::uint64_t shape_inferences = 0;  // runs whose feed shapes differed from the plan's last run
};

class Session {
 public:
  /// A session on `graph` (the default graph when omitted).
  explicit Session(const Graph& graph = Graph::get_default());
  Session(const Graph& graph, const SessionOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Computes `fetch`; returns an undefined Tensor for an update operation (e.g. minimize).
  Tensor run(const Node& fetch, const FeedDict& feeds = {});
  /// Computes several fetches in one pass.
  std::vector<Tensor> run(const std::vector<Node>& fetches, const FeedDict& feeds = {});
  /// As above, also telling what the run saw of the Variables.
  Tensor run(const Node& fetch, const FeedDict& feeds, RunInfo& info);
  std::vector<Tensor> run(const std::vector<Node>& fetches, const FeedDict& feeds, RunInfo& info);
  /// The current value of a Variable (a copy).
  Tensor value(const Node& variable);
  /// The current values of several Variables, read together: no update lands between two of them
  /// (a checkpoint taken while another thread trains is one step's state).
  std::vector<Tensor> values(const std::vector<Node>& variables);
  /// Sets a Variable's value; dtype and shape must match the Variable's.
  void assign(const Node& variable, const Tensor& value);
  /// Sets several Variables together: every pair is checked first (nothing is written if one is
  /// wrong), then all are written with no run in between.
  void assign(const std::vector<std::pair<Node, Tensor>>& values);
  const Graph& graph() const;
  const SessionOptions& options() const;
  SessionStats stats() const;
  /// Sets the run counter (SessionStats::runs) that random ops draw from (seed, node, run): a run
  /// resumed in a new session continues the interrupted one's random streams (dropout masks).
  void set_run_count(std::uint64_t runs);

  /// How many times the Variables were written: each run that updates them (counted when it
  /// starts) and each assign add one. Two equal readings: the Variables held the same values.
  std::uint64_t writes() const;
  /// Calls `hook` before every write (an updating run, an assign) with the session's Variables,
  /// indexed by node id (undefined where not yet initialised), while the session is held
  /// exclusively: the hook may copy values but must not call the session. Python's numeric
  /// gradient table keeps the values of a loss's last run this way. Replaces an earlier hook.
  void on_write(std::function<void(const std::vector<Tensor>& variables)> hook);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A Variable initialised from a node (TF's tf.Variable(tf.random_normal({3, 3}))): the node is
/// run now, in a session of its own (it must need no feeds), for the value every session starts
/// from; variables_initializer runs it again.
Node Variable(const Node& initial_value, const std::string& name = "", bool trainable = true);

}  // namespace tg
