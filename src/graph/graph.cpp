#include "graph_impl.h"

#include <algorithm>
#include <sstream>

namespace tg {
namespace detail {

std::string GraphImpl::unique_name(const std::string& requested_name, const std::string& base) {
  std::string want = name_scope + (requested_name.empty() ? base : requested_name);
  if (!by_name.count(want)) return want;
  // NOTE: TensorFlow's rule: a taken name gets the first free "_N" suffix. Suffixes up to
  // taken_suffixes[want] are known taken (names are never freed), so the search starts after
  // them: constant time per name, where trying from _1 made building a graph quadratic.
  int& known = taken_suffixes[want];
  for (int k = known + 1;; ++k) {
    std::string name = want + "_" + std::to_string(k);
    if (!by_name.count(name)) return name;
    known = k;
  }
}

int GraphImpl::add(std::unique_ptr<NodeData> n, const std::string& name) {
  n->id = static_cast<int>(nodes.size());
  n->name = name;
  n->gradient = building_gradient;
  if (n->kind == NodeKind::operation) n->control_inputs = control_dependencies;
  by_name.emplace(name, n->id);
  for (int in : n->inputs) nodes[static_cast<std::size_t>(in)]->consumers.push_back(n->id);
  nodes.push_back(std::move(n));
  return nodes.back()->id;
}

namespace {
thread_local std::shared_ptr<GraphImpl> t_default;
}

std::shared_ptr<GraphImpl> default_graph_impl() {
  if (!t_default) t_default = std::make_shared<GraphImpl>();
  return t_default;
}

NameScope::NameScope(GraphImpl& g, const std::string& scope, bool gradient)
    : g_(g), saved_scope_(g.name_scope), saved_gradient_(g.building_gradient) {
  g_.name_scope = saved_scope_ + scope;
  g_.building_gradient = saved_gradient_ || gradient;
}

NameScope::~NameScope() {
  g_.name_scope = saved_scope_;
  g_.building_gradient = saved_gradient_;
}

}  // namespace detail

// ---- Node -----------------------------------------------------------------------------------
const detail::NodeData& Node::data() const {
  if (!graph_) throw GraphError("tensorgraph: use of an invalid (default-constructed) Node");
  return *graph_->nodes[static_cast<std::size_t>(id_)];
}
const std::string& Node::name() const { return data().name; }
NodeKind Node::kind() const { return data().kind; }
DType Node::dtype() const { return data().ts.dtype; }
const Shape& Node::shape() const { return data().ts.shape; }
const Attrs& Node::attrs() const { return data().attrs; }
std::vector<std::pair<std::string, AttrValue>> Node::attr_values() const {
  const detail::NodeData& n = data();
  if (!n.op || !n.op->attrs) return {};
  return n.op->attrs->values(n.attrs);
}
AttrValue Node::attr(const std::string& name) const {
  const detail::NodeData& n = data();
  if (const AttrSchema::Field* f = n.op && n.op->attrs ? n.op->attrs->find(name) : nullptr) return f->get(n.attrs.data());
  throw GraphError("node '" + this->name() + "' (" + type() + ") has no attribute '" + name + "'");
}
const OpDef* Node::op() const { return data().op; }
bool Node::trainable() const { return data().trainable; }
const Tensor& Node::value() const { return data().value; }
Node Node::initializer() const {
  const int id = data().initializer;
  return id < 0 ? Node() : Node(graph_, id);
}
Graph Node::graph() const { return Graph(graph_); }
bool Node::in_graph(const Graph& g) const { return graph_ == g.impl_; }

std::string Node::type() const {
  switch (kind()) {
    case NodeKind::placeholder: return "Placeholder";
    case NodeKind::variable: return "Variable";
    case NodeKind::constant: return "Const";
    case NodeKind::operation: break;
  }
  return data().op->name;
}

Node Node::input(int i) const { return Node(graph_, data().inputs.at(static_cast<std::size_t>(i))); }

std::vector<Node> Node::inputs() const {
  std::vector<Node> v;
  for (int i : data().inputs) v.push_back(Node(graph_, i));
  return v;
}

std::vector<Node> Node::control_inputs() const {
  std::vector<Node> v;
  for (int i : data().control_inputs) v.push_back(Node(graph_, i));
  return v;
}

std::vector<Node> Node::consumers() const {
  std::vector<Node> v;
  for (int i : data().consumers) v.push_back(Node(graph_, i));
  return v;
}

// ---- Graph ----------------------------------------------------------------------------------
Graph::Graph() : impl_(std::make_shared<detail::GraphImpl>()) {}
void Graph::as_default() const { detail::t_default = impl_; }
Graph Graph::get_default() { return Graph(detail::default_graph_impl()); }
void Graph::reset_default() { detail::t_default = std::make_shared<detail::GraphImpl>(); }
int Graph::num_nodes() const { return static_cast<int>(impl_->nodes.size()); }

Node Graph::node(int id) const {
  if (id < 0 || id >= num_nodes())
    throw GraphError("Graph::node: no node with id " + std::to_string(id) + " (graph has " +
                     std::to_string(num_nodes()) + " nodes)");
  return Node(impl_, id);
}

Node Graph::node(const std::string& name) const {
  auto it = impl_->by_name.find(name);
  if (it == impl_->by_name.end()) throw GraphError("Graph::node: no node named '" + name + "'");
  return Node(impl_, it->second);
}

bool Graph::has_node(const std::string& name) const { return impl_->by_name.count(name) > 0; }

std::vector<Node> Graph::nodes() const {
  std::vector<Node> v;
  for (int i = 0; i < num_nodes(); ++i) v.push_back(Node(impl_, i));
  return v;
}

std::vector<Node> Graph::variables() const {
  std::vector<Node> v;
  for (auto& n : impl_->nodes)
    if (n->kind == NodeKind::variable) v.push_back(Node(impl_, n->id));
  return v;
}

void Graph::add_to_collection(const std::string& key, const Node& node) const {
  if (!node.valid() || !node.in_graph(*this))
    throw GraphError("add_to_collection '" + key + "': the node is not in this graph");
  std::vector<int>& c = impl_->collections[key];
  if (std::find(c.begin(), c.end(), node.id()) == c.end()) c.push_back(node.id());
}

std::vector<Node> Graph::get_collection(const std::string& key) const {
  std::vector<Node> out;
  auto it = impl_->collections.find(key);
  if (it != impl_->collections.end())
    for (int id : it->second) out.push_back(Node(impl_, id));
  return out;
}

std::string Graph::name_scope() const { return impl_->name_scope; }
void Graph::set_name_scope(const std::string& scope) const {
  if (!scope.empty() && scope.back() != '/') throw GraphError("set_name_scope: a scope ends with '/', got '" + scope + "'");
  impl_->name_scope = scope;
}
std::string Graph::unique_name_scope(const std::string& name) const {
  if (name.empty() || name.find('/') != std::string::npos)
    throw GraphError("name_scope: '" + name + "' is not a scope name (not empty, no '/')");
  detail::GraphImpl& g = *impl_;
  const std::string want = g.name_scope + name;
  std::string scope = want;
  for (int k = 1; g.scopes.count(scope) || g.by_name.count(scope); ++k) scope = want + "_" + std::to_string(k);
  g.scopes.insert(scope);
  return scope + "/";
}

int Graph::variable_scope_count(const std::string& name) const {
  auto it = impl_->variable_scopes.find(name);
  return it == impl_->variable_scopes.end() ? 0 : it->second;
}
void Graph::open_variable_scope(const std::string& name) const { ++impl_->variable_scopes[name]; }
void Graph::close_variable_subscopes(const std::string& name) const {
  const std::string prefix = name.empty() ? "" : name + "/";
  for (auto& [scope, count] : impl_->variable_scopes)
    if (scope.compare(0, prefix.size(), prefix) == 0) count = 0;
}

std::vector<Node> Graph::control_dependencies() const {
  std::vector<Node> v;
  for (int id : impl_->control_dependencies) v.push_back(Node(impl_, id));
  return v;
}
void Graph::set_control_dependencies(const std::vector<Node>& deps) const {
  std::vector<int> ids;
  for (const Node& d : deps) {
    if (!d.valid() || !d.in_graph(*this))
      throw GraphError("control_dependencies: '" + (d.valid() ? d.name() : std::string("an invalid Node")) +
                       "' is not a node of this graph");
    if (std::find(ids.begin(), ids.end(), d.id()) == ids.end()) ids.push_back(d.id());
  }
  impl_->control_dependencies = std::move(ids);
}

ControlDependencies::ControlDependencies(const std::vector<Node>& deps, const Graph& graph)
    : graph_(graph), outer_(graph.control_dependencies()) {
  std::vector<Node> all = outer_;
  all.insert(all.end(), deps.begin(), deps.end());
  graph_.set_control_dependencies(all);
}
ControlDependencies::~ControlDependencies() { graph_.set_control_dependencies(outer_); }

NameScope::NameScope(const std::string& name, const Graph& graph)
    : graph_(graph), outer_(graph.name_scope()), scope_(graph.unique_name_scope(name)) {
  graph_.set_name_scope(scope_);
}
NameScope::~NameScope() { graph_.impl().name_scope = outer_; }

std::vector<Node> Graph::trainable_variables() const {
  std::vector<Node> v;
  for (auto& n : impl_->nodes)
    if (n->kind == NodeKind::variable && n->trainable) v.push_back(Node(impl_, n->id));
  return v;
}

// ---- leaf nodes -----------------------------------------------------------------------------
namespace {
Node add_leaf(NodeKind kind, TypeShape ts, Tensor value, const std::string& name, const char* base,
              bool trainable, Graph graph = Graph::get_default()) {
  detail::GraphImpl* g = &graph.impl();
  auto n = std::make_unique<detail::NodeData>();
  n->kind = kind;
  n->ts = ts;
  n->value = std::move(value);
  n->trainable = trainable;
  int id = g->add(std::move(n), g->unique_name(name, base));
  return graph.handle(id);
}
}  // namespace

Node placeholder(DType dtype, const Shape& shape, const std::string& name) {
  return add_leaf(NodeKind::placeholder, {dtype, shape}, {}, name, "Placeholder", false);
}

Node Variable(const Tensor& initial_value, const std::string& name, bool trainable) {
  if (!initial_value.defined()) throw GraphError("Variable: the initial value is undefined");
  return add_leaf(NodeKind::variable, {initial_value.dtype(), initial_value.shape()},
                  initial_value.clone(), name, "Variable", trainable);
}

Node Variable(const Tensor& initial_value, const Node& initializer, const std::string& name, bool trainable) {
  if (!initializer.valid() || !initializer.in_graph(Graph::get_default()))
    throw GraphError("Variable: the initializer is not a node of the default graph");
  if ((initializer.dtype() != DType::unknown && initializer.dtype() != initial_value.dtype()) ||
      (initializer.shape().fully_known() && !(initializer.shape() == initial_value.shape())))
    throw GraphError("Variable: the initial value (" + dtype_name(initial_value.dtype()) + " " +
                     initial_value.shape().str() + ") is not shaped like its initializer '" + initializer.name() +
                     "' (" + dtype_name(initializer.dtype()) + " " + initializer.shape().str() + ")");
  Node v = Variable(initial_value, name, trainable);
  v.graph().impl().nodes[static_cast<std::size_t>(v.id())]->initializer = initializer.id();
  return v;
}

Node constant(const Tensor& value, const std::string& name) {
  if (!value.defined()) throw GraphError("constant: the value is undefined");
  return add_leaf(NodeKind::constant, {value.dtype(), value.shape()}, value.clone(), name, "Const",
                  false);
}

Node scalar(double value, DType dtype) { return constant(Tensor::full({}, value, dtype)); }

Node detail::constant_in(const Graph& graph, const Tensor& value) {
  return add_leaf(NodeKind::constant, {value.dtype(), value.shape()}, value, "", "Const", false, graph);
}

}  // namespace tg
