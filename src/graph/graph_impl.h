#pragma once
// The data behind Graph and Node handles.
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tensorgraph/op_def.h"

namespace tg::detail {

struct NodeData {
  int id = -1;
  NodeKind kind = NodeKind::operation;
  const OpDef* op = nullptr;
  std::vector<int> inputs;
  std::vector<int> consumers;
  std::vector<int> control_inputs;  // run before this node, values unused (TF's control inputs)
  Attrs attrs;
  std::string name;
  TypeShape ts;
  Tensor value;            // constant value or a Variable's initial value
  bool trainable = false;  // Variables
  int initializer = -1;    // Variables made from a node: its id
  bool gradient = false;   // created by gradients(): drawn dashed in DOT
  std::shared_ptr<void> user_data;  // custom ops (Python): the object that computes
};

struct GraphImpl {
  std::vector<std::unique_ptr<NodeData>> nodes;
  std::unordered_map<std::string, int> by_name;
  std::string name_scope;       // prefix for new node names, e.g. "gradients/"
  bool building_gradient = false;
  // all_gradients(loss), built once per loss: (node id, gradient node id) pairs by loss id. A
  // node's ancestors never change, so a table stays right as the graph grows.
  std::unordered_map<int, std::vector<std::pair<int, int>>> gradient_tables;

  std::unordered_map<std::string, std::vector<int>> collections;  // TF's collections: node ids by key
  std::unordered_map<std::string, int> taken_suffixes;  // unique_name's memory: "_1".."_N" are taken
  std::unordered_set<std::string> scopes;  // name scopes opened, without their "/"
  std::unordered_map<std::string, int> variable_scopes;  // variable scope -> times opened (Graph's store)
  std::vector<int> control_dependencies;  // what operations made now get as control inputs

  /// The name a new node gets: scope + (requested or base), made unique with a "_N" suffix.
  std::string unique_name(const std::string& requested_name, const std::string& base);
  /// Adds a node named `name` (already unique) and links it to its inputs; returns its id.
  int add(std::unique_ptr<NodeData> n, const std::string& name);
};

/// The graph new nodes join (thread's default).
std::shared_ptr<GraphImpl> default_graph_impl();

/// A constant in a given graph (gradient rules add constants to the graph they differentiate).
Node constant_in(const Graph& graph, const Tensor& value);

/// Sets a name scope (and the gradient flag) for the nodes created while it lives.
class NameScope {
 public:
  NameScope(GraphImpl& g, const std::string& scope, bool gradient);
  ~NameScope();
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;

 private:
  GraphImpl& g_;
  std::string saved_scope_;
  bool saved_gradient_;
};

}  // namespace tg::detail
