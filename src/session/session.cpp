#include "tensorgraph/session.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <shared_mutex>

#include "plan.h"

namespace tg {

FeedDict::FeedDict(std::initializer_list<std::pair<Node, Tensor>> items) {
  for (const auto& [n, v] : items) set(n, v);
}

void FeedDict::set(const Node& node, const Tensor& value) {
  if (!node.valid()) throw FeedError("FeedDict: cannot feed an invalid Node");
  Item* items = size_ <= kInline ? inline_.data() : heap_.data();
  for (std::size_t i = 0; i < size_; ++i)
    if (items[i].first == node) {
      items[i].second = value;
      return;
    }
  if (size_ < kInline) {
    inline_[size_++] = {node, value};
    return;
  }
  if (size_ == kInline) heap_.assign(inline_.begin(), inline_.end());
  heap_.emplace_back(node, value);
  ++size_;
}

const Tensor* FeedDict::find(int id) const {
  for (const auto& item : items())
    if (item.first.id() == id) return &item.second;
  return nullptr;
}

// Concurrency: `mutex` guards the plan list and the compile and inference counters; plans are
// claimed by compare-exchange on their `busy` flag (under `mutex` in the scan, without it for the
// last-used plan); `state` guards the Variables. A run whose plan only reads Variables
// (inference) holds `state` shared, so such runs proceed in parallel, each on a plan instance of
// its own; a run that updates Variables, compiles a plan or assigns holds it exclusively. Lock
// order: state, then mutex.
struct Session::Impl {
  Graph graph;
  SessionOptions options;
  std::mutex mutex;
  std::shared_mutex state;
  // NOTE: glibc's rwlock lets new readers in while a writer waits, so a stream of inference runs
  // could starve a training step: a waiting writer holds `gate`, which readers pass through
  // only while some writer waits (one atomic load otherwise).
  std::mutex gate;
  std::atomic<int> writers_waiting{0};

  std::unique_lock<std::shared_mutex> exclusive() {
    ++writers_waiting;
    std::lock_guard g(gate);
    std::unique_lock excl(state);
    --writers_waiting;
    return excl;
  }
  std::shared_lock<std::shared_mutex> shared() {
    if (writers_waiting.load(std::memory_order_acquire) > 0) {
      std::lock_guard g(gate);  // let the waiting writer go first
    }
    return std::shared_lock(state);
  }
  std::vector<Tensor> variables;  // indexed by node id
  std::vector<std::unique_ptr<detail::Plan>> plans;
  SessionStats stats;

  std::atomic<std::uint64_t> runs{0};  // SessionStats::runs, counted outside the mutex
  std::atomic<std::uint64_t> writes{0};  // Session::writes(), counted under the exclusive lock
  std::function<void(const std::vector<Tensor>&)> on_write;  // set and called under the exclusive lock

  // Before Variables change: counted, and shown to the hook. Under the exclusive lock.
  void before_write() {
    writes.fetch_add(1, std::memory_order_release);
    if (on_write) on_write(variables);
  }
  // The plan the last run claimed: a loop running the same fetches claims it again without the
  // mutex or the scan. Plans are never freed before the session, so the pointer stays valid.
  std::atomic<detail::Plan*> last{nullptr};

  bool matches(const detail::Plan& p, const Node* fetches, std::size_t num_fetches, const FeedDict& feeds) const {
    if (p.fetch_ids.size() != num_fetches || p.feed_ids.size() != feeds.items().size()) return false;
    for (std::size_t i = 0; i < num_fetches; ++i)
      if (fetches[i].id() != p.fetch_ids[i] || !fetches[i].in_graph(graph)) return false;
    for (const auto& item : feeds.items())
      if (!std::binary_search(p.feed_ids.begin(), p.feed_ids.end(), item.first.id()) || !item.first.in_graph(graph))
        return false;
    return true;
  }
  // Marks an idle plan busy; false if another run holds it. (A compare-exchange: the fast path
  // below claims plans without the mutex.)
  static bool claim(detail::Plan& p) {
    bool idle = false;
    return p.busy.compare_exchange_strong(idle, true, std::memory_order_acquire, std::memory_order_relaxed);
  }

  /// An idle compiled plan for (fetches, feeds), marked busy; null if there is none. Under `mutex`.
  detail::Plan* idle_plan(const Node* fetches, std::size_t num_fetches, const FeedDict& feeds) {
    for (auto& p : plans)  // NOTE: a linear scan: a session has few distinct (fetches, feeds)
      if (!p->busy.load(std::memory_order_relaxed) && matches(*p, fetches, num_fetches, feeds) && claim(*p))
        return p.get();
    return nullptr;
  }

  // Marks the plan idle again when the run ends, however it ends (release: the next user of the
  // instance sees everything this run wrote to it).
  struct Release {
    detail::Plan& p;
    ~Release() { p.busy.store(false, std::memory_order_release); }
  };

  template <class Take>
  auto run(const Node* fetches, std::size_t n, const FeedDict& feeds, Take take, RunInfo* info = nullptr) {
    detail::Plan* p = last.load(std::memory_order_acquire);
    if (!(p && matches(*p, fetches, n, feeds) && claim(*p))) {
      std::lock_guard lock(mutex);
      p = idle_plan(fetches, n, feeds);
    }
    const std::uint64_t run_number = runs.fetch_add(1, std::memory_order_relaxed);
    if (!p) {  // compile (a new pair, or another instance for a concurrent run): Variables may be created
      std::unique_lock excl = exclusive();
      std::unique_lock lock(mutex);
      p = idle_plan(fetches, n, feeds);
      if (!p) {
        plans.push_back(detail::compile_plan(graph, std::vector<Node>(fetches, fetches + n), feeds, variables));
        ++stats.plans_compiled;
        p = plans.back().get();
        p->busy.store(true, std::memory_order_relaxed);
      }
    }
    last.store(p, std::memory_order_release);
    Release release{*p};
    bool inferred = false;
    if (p->updates) {
      std::unique_lock excl = exclusive();
      if (info) *info = {writes.load(std::memory_order_relaxed), true};
      before_write();
      inferred = detail::execute_plan(*p, feeds, variables, p->results, run_number, options.check_numerics);
    } else {
      std::shared_lock lock = shared();
      if (info) *info = {writes.load(std::memory_order_acquire), false};
      inferred = detail::execute_plan(*p, feeds, variables, p->results, run_number, options.check_numerics);
    }
    if (inferred) {
      std::lock_guard lock(mutex);
      ++stats.shape_inferences;
    }
    return take(p->results);  // NOTE: before Release: the next run of this plan rewrites results
  }
};

Session::Session(const Graph& graph) : Session(graph, SessionOptions{}) {}
Session::Session(const Graph& graph, const SessionOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->graph = graph;
  impl_->options = options;
}
const SessionOptions& Session::options() const { return impl_->options; }
Session::~Session() = default;
const Graph& Session::graph() const { return impl_->graph; }

SessionStats Session::stats() const {
  std::lock_guard lock(impl_->mutex);
  SessionStats s = impl_->stats;
  s.runs = impl_->runs.load(std::memory_order_relaxed);
  return s;
}

void Session::set_run_count(std::uint64_t runs) { impl_->runs.store(runs, std::memory_order_relaxed); }

std::uint64_t Session::writes() const { return impl_->writes.load(std::memory_order_acquire); }

void Session::on_write(std::function<void(const std::vector<Tensor>&)> hook) {
  std::unique_lock excl = impl_->exclusive();
  impl_->on_write = std::move(hook);
}

Tensor Session::run(const Node& fetch, const FeedDict& feeds) {
  return impl_->run(&fetch, 1, feeds, [](std::vector<Tensor>& r) { return std::move(r[0]); });
}

std::vector<Tensor> Session::run(const std::vector<Node>& fetches, const FeedDict& feeds) {
  return impl_->run(fetches.data(), fetches.size(), feeds,
                    [](std::vector<Tensor>& r) { return std::vector<Tensor>(r.begin(), r.end()); });
}

Tensor Session::run(const Node& fetch, const FeedDict& feeds, RunInfo& info) {
  return impl_->run(&fetch, 1, feeds, [](std::vector<Tensor>& r) { return std::move(r[0]); }, &info);
}

std::vector<Tensor> Session::run(const std::vector<Node>& fetches, const FeedDict& feeds, RunInfo& info) {
  return impl_->run(fetches.data(), fetches.size(), feeds,
                    [](std::vector<Tensor>& r) { return std::vector<Tensor>(r.begin(), r.end()); }, &info);
}

namespace {
void check_variable(const Graph& g, const Node& v, const char* what) {
  if (!v.valid() || !(v.graph() == g) || v.kind() != NodeKind::variable)
    throw GraphError(std::string(what) + ": '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                     "' is not a Variable of this session's graph");
}
}  // namespace

Tensor Session::value(const Node& variable) { return run(variable); }

std::vector<Tensor> Session::values(const std::vector<Node>& variables) {
  for (const Node& v : variables) check_variable(impl_->graph, v, "Session::values");
  return run(variables);  // one run: one shared hold of the Variables, which an update excludes
}

void Session::assign(const Node& variable, const Tensor& value) { assign({{variable, value}}); }

void Session::assign(const std::vector<std::pair<Node, Tensor>>& values) {
  for (const auto& [variable, value] : values) {
    check_variable(impl_->graph, variable, "Session::assign");
    if (!value.defined() || value.dtype() != variable.dtype() || !(value.shape() == variable.shape()))
      throw ShapeError("Session::assign: Variable '" + variable.name() + "' is " + dtype_name(variable.dtype()) +
                       " " + variable.shape().str() + ", the value is " +
                       (value.defined() ? dtype_name(value.dtype()) + " " + value.shape().str() : "undefined"));
  }
  std::unique_lock excl = impl_->exclusive();
  impl_->before_write();
  std::lock_guard lock(impl_->mutex);
  auto& vars = impl_->variables;
  for (const auto& [variable, value] : values) {
    if (vars.size() <= static_cast<std::size_t>(variable.id())) vars.resize(static_cast<std::size_t>(variable.id()) + 1);
    Tensor& slot = vars[static_cast<std::size_t>(variable.id())];
    // NOTE: copy into the existing buffer: compiled plans hold this storage.
    if (!slot.defined()) slot = value.clone();
    else std::copy_n(static_cast<const char*>(value.raw()), value.nbytes(), static_cast<char*>(slot.raw()));
  }
}

}  // namespace tg
