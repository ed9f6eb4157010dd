#pragma once
// Graph and Node. A Graph owns its nodes; a Node is a cheap handle (graph + id). Graphs are
// immutable once built except for adding nodes: run state (variable values, buffers) lives in
// a Session, so one graph can serve several sessions and threads. Building is not thread-safe.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tensorgraph/attrs.h"
#include "tensorgraph/dtype.h"
#include "tensorgraph/shape.h"
#include "tensorgraph/tensor.h"

namespace tg {

struct OpDef;
class Graph;
namespace detail {
struct GraphImpl;
struct NodeData;
}  // namespace detail

enum class NodeKind : std::uint8_t { placeholder, variable, constant, operation };


class Node {
 public:
  /// An invalid node (valid() is false).
  Node() = default;
  bool valid() const { return graph_ != nullptr; }
  int id() const { return id_; }
  /// The node's unique name in its graph.
  const std::string& name() const;
  /// "Placeholder", "Variable", "Const" or the operation's name (e.g. "matmul").
  std::string type() const;
  NodeKind kind() const;
  /// Statically inferred dtype (unknown only downstream of an untyped placeholder).
  DType dtype() const;
  /// Statically inferred shape (dims or rank may be unknown).
  const Shape& shape() const;
  /// The op's attribute struct (empty for non-operations and ops without attributes).
  const Attrs& attrs() const;
  /// Every attribute by name, in the op's declaration order.
  std::vector<std::pair<std::string, AttrValue>> attr_values() const;
  /// One attribute by name; throws GraphError if the op has no such attribute.
  AttrValue attr(const std::string& name) const;
  /// The operation definition (null for placeholders, variables and constants).
  const OpDef* op() const;
  std::vector<Node> inputs() const;
  Node input(int i) const;
  std::vector<Node> consumers() const;
  /// The nodes this operation runs after, their values unused (TF's control inputs: set by the
  /// control dependencies in force when it was made).
  std::vector<Node> control_inputs() const;
  /// For a Variable: whether optimizers train it by default.
  bool trainable() const;
  /// For a constant or Variable: its (initial) value.
  const Tensor& value() const;
  /// For a Variable made from a node (TF's tf.Variable(tf.random_normal(...))): that node, which
  /// an initializer runs again; an invalid node otherwise.
  Node initializer() const;
  Graph graph() const;
  /// True if this node belongs to `g` (cheaper than graph() == g: no handle is made).
  bool in_graph(const Graph& g) const;
  const detail::NodeData& data() const;

  bool operator==(const Node& o) const { return graph_ == o.graph_ && id_ == o.id_; }
  bool operator!=(const Node& o) const { return !(*this == o); }
  bool operator<(const Node& o) const { return graph_ != o.graph_ ? graph_ < o.graph_ : id_ < o.id_; }

 private:
  friend class Graph;
  Node(std::shared_ptr<detail::GraphImpl> g, int id) : graph_(std::move(g)), id_(id) {}
  std::shared_ptr<detail::GraphImpl> graph_;
  int id_ = -1;
};

class Graph {
 public:
  /// A new, empty graph.
  Graph();
  /// Makes this graph the current thread's default: new nodes join it (the tutorial's as_default).
  void as_default() const;
  /// The current thread's default graph (created on first use).
  static Graph get_default();
  /// Replaces the thread's default graph by a new, empty one (TF's reset_default_graph).
  static void reset_default();

  int num_nodes() const;
  /// The node with this id; throws GraphError if out of range.
  Node node(int id) const;
  /// The node with this name; throws GraphError if none.
  Node node(const std::string& name) const;
  /// Whether a node is named `name`.
  bool has_node(const std::string& name) const;
  std::vector<Node> nodes() const;
  /// All Variables, and the trainable ones, in creation order.
  std::vector<Node> variables() const;
  std::vector<Node> trainable_variables() const;
  /// TF's named collections: adds `node` to the list `key` (once); the list, in order of adding.
  void add_to_collection(const std::string& key, const Node& node) const;
  std::vector<Node> get_collection(const std::string& key) const;
  /// TF's name scopes: the prefix of the names of nodes made now ("" or "outer/inner/").
  std::string name_scope() const;
  void set_name_scope(const std::string& scope) const;
  /// The scope a new name scope `name` opens under the current one, with its "/": `name`, or
  /// `name_1`, `name_2`, ... once taken by a scope or a node (TensorFlow's rule); marks it taken.
  std::string unique_name_scope(const std::string& name) const;
  /// TensorFlow's variable-scope store (variable_scope's default names and the layers' names use
  /// it): how often the variable scope `name` ("outer/inner") was opened; opening counts it; closing
  /// `name` forgets its subscopes' counts (all of them for ""), so default names (dense, dense_1,
  /// ...) start again in each entry of `name`, and a second pass meets the first's names.
  int variable_scope_count(const std::string& name) const;
  void open_variable_scope(const std::string& name) const;
  void close_variable_subscopes(const std::string& name) const;
  /// TF's control dependencies: operations made while `deps` are set (not placeholders, Variables or
  /// constants) get them as control inputs — a run computes them first, their values unused
  /// (`with tf.control_dependencies(update_ops): train = opt.minimize(loss)`). Nodes of this graph.
  std::vector<Node> control_dependencies() const;
  void set_control_dependencies(const std::vector<Node>& deps) const;
  /// What to_dot draws.
  struct DotOptions {
    /// Only the model: hides gradient nodes, what is computed from them, optimizer updates, and the
    /// Variables and constants that only those read (optimizer state).
    bool forward_only = false;
  };
  /// The graph in Graphviz DOT: one box per node with its type and shape; gradient nodes dashed.
  /// g.to_dot({.forward_only = true}) draws the model alone.
  std::string to_dot(const DotOptions& options) const;
  std::string to_dot() const { return to_dot(DotOptions{}); }

  bool operator==(const Graph& o) const { return impl_ == o.impl_; }
  detail::GraphImpl& impl() const { return *impl_; }
  /// A handle to node `id` of this graph (no check).
  Node handle(int id) const { return Node(impl_, id); }

 private:
  friend class Node;
  explicit Graph(std::shared_ptr<detail::GraphImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<detail::GraphImpl> impl_;
};

/// TF's tf.name_scope for C++: the nodes made while it lives are named "<scope>/<name>" (scopes
/// nest; a name used before becomes name_1, ...).
class NameScope {
 public:
  explicit NameScope(const std::string& name, const Graph& graph = Graph::get_default());
  ~NameScope();
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;
  /// The scope opened, with its "/".
  const std::string& scope() const { return scope_; }

 private:
  Graph graph_;
  std::string outer_, scope_;
};

/// TF's tf.control_dependencies for C++: the operations made while it lives run after `deps` (and
/// after the enclosing ControlDependencies' deps).
class ControlDependencies {
 public:
  explicit ControlDependencies(const std::vector<Node>& deps, const Graph& graph = Graph::get_default());
  ~ControlDependencies();
  ControlDependencies(const ControlDependencies&) = delete;
  ControlDependencies& operator=(const ControlDependencies&) = delete;

 private:
  Graph graph_;
  std::vector<Node> outer_;
};

/// The names of TF's standard collections.
struct GraphKeys {
  /// Updates every optimizer step runs with it (batch normalization's moving averages).
  static constexpr const char* UPDATE_OPS = "update_ops";
};

/// A value fed at run time. dtype unknown and Shape::unknown_rank() accept anything.
Node placeholder(DType dtype = DType::unknown, const Shape& shape = Shape::unknown_rank(),
                 const std::string& name = "");
/// A trainable parameter; its value lives in each Session (initialised from `initial_value`).
Node Variable(const Tensor& initial_value, const std::string& name = "", bool trainable = true);
/// A Variable whose initial value `initial_value` was computed from `initializer` (a node of the
/// same graph, dtype and shape), which variables_initializer runs again. (Session's
/// Variable(const Node&) computes the value.)
Node Variable(const Tensor& initial_value, const Node& initializer, const std::string& name = "",
              bool trainable = true);
/// A constant tensor.
Node constant(const Tensor& value, const std::string& name = "");
/// A 0-d constant of the given dtype.
Node scalar(double value, DType dtype);

}  // namespace tg

namespace std {
template <> struct hash<tg::Node> {
  size_t operator()(const tg::Node& n) const noexcept { return std::hash<int>()(n.id()); }
};
}  // namespace std
