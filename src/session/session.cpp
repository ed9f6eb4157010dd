#include "tensorgraph/session.h"

#include <algorithm>
#include <mutex>

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

struct Session::Impl {
  Graph graph;
  std::mutex mutex;
  std::vector<Tensor> variables;  // indexed by node id
  std::vector<std::unique_ptr<detail::Plan>> plans;
  std::vector<Tensor> results;
  SessionStats stats;

  detail::Plan& plan_for(const Node* fetches, std::size_t num_fetches, const FeedDict& feeds) {
    for (auto& p : plans) {  // NOTE: a linear scan: a session has few distinct (fetches, feeds)
      if (p->fetch_ids.size() != num_fetches || p->feed_ids.size() != feeds.items().size()) continue;
      bool same = true;
      for (std::size_t i = 0; same && i < num_fetches; ++i)
        same = fetches[i].id() == p->fetch_ids[i] && fetches[i].in_graph(graph);
      for (std::size_t i = 0; same && i < feeds.items().size(); ++i)
        same = std::binary_search(p->feed_ids.begin(), p->feed_ids.end(), feeds.items()[i].first.id()) &&
               feeds.items()[i].first.in_graph(graph);
      if (same) return *p;
    }
    plans.push_back(detail::compile_plan(graph, std::vector<Node>(fetches, fetches + num_fetches), feeds, variables));
    ++stats.plans_compiled;
    return *plans.back();
  }

  void run(const Node* fetches, std::size_t n, const FeedDict& feeds) {
    detail::Plan& p = plan_for(fetches, n, feeds);
    if (detail::execute_plan(p, feeds, variables, results, stats.runs++)) ++stats.shape_inferences;
  }
};

Session::Session(const Graph& graph) : impl_(std::make_unique<Impl>()) { impl_->graph = graph; }
Session::~Session() = default;
const Graph& Session::graph() const { return impl_->graph; }

SessionStats Session::stats() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->stats;
}

Tensor Session::run(const Node& fetch, const FeedDict& feeds) {
  std::lock_guard lock(impl_->mutex);
  impl_->run(&fetch, 1, feeds);
  return std::move(impl_->results[0]);
}

std::vector<Tensor> Session::run(const std::vector<Node>& fetches, const FeedDict& feeds) {
  std::lock_guard lock(impl_->mutex);
  impl_->run(fetches.data(), fetches.size(), feeds);
  return std::vector<Tensor>(impl_->results.begin(), impl_->results.end());
}

namespace {
void check_variable(const Graph& g, const Node& v, const char* what) {
  if (!v.valid() || !(v.graph() == g) || v.kind() != NodeKind::variable)
    throw GraphError(std::string(what) + ": '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                     "' is not a Variable of this session's graph");
}
}  // namespace

Tensor Session::value(const Node& variable) { return run(variable); }

void Session::assign(const Node& variable, const Tensor& value) {
  check_variable(impl_->graph, variable, "Session::assign");
  if (value.dtype() != variable.dtype() || !(value.shape() == variable.shape()))
    throw ShapeError("Session::assign: Variable '" + variable.name() + "' is " + dtype_name(variable.dtype()) +
                     " " + variable.shape().str() + ", the value is " + dtype_name(value.dtype()) + " " +
                     value.shape().str());
  std::lock_guard lock(impl_->mutex);
  auto& vars = impl_->variables;
  if (vars.size() <= static_cast<std::size_t>(variable.id())) vars.resize(static_cast<std::size_t>(variable.id()) + 1);
  Tensor& slot = vars[static_cast<std::size_t>(variable.id())];
  // NOTE: copy into the existing buffer: compiled plans hold this storage.
  if (!slot.defined()) slot = value.clone();
  else std::copy_n(static_cast<const char*>(value.raw()), value.nbytes(), static_cast<char*>(slot.raw()));
}

}  // namespace tg
