#pragma once
// One Python object per node and per graph, as the tutorial's library has them: the object a
// builder returns is the very object found later in `input_nodes`, `consumers`, a graph's lists
// and the gradient table's keys (`matmul(A, x).input_nodes[0] is A`). A user's Operation
// subclass instance is the object of its node.
//
// Every tg::Node that reaches Python goes through the type caster below, which hands out the
// object already living for that node, or makes one and remembers it. The memory is weak: an
// entry lives as long as its object, and is dropped by the object's holder when it dies (by a
// weak reference's callback for an Operation). An entry's key stays valid while it lives, since
// the object holds its graph.
#include <memory>
#include <optional>
#include <string>

#include <pybind11/pybind11.h>

#include "tensorgraph/graph.h"

namespace tgpy {
namespace py = pybind11;

/// The Python object of `n`: the one handed out before, if it still lives, else a new
/// tensorgraph.Node (None for an invalid node).
py::object node_object(const tg::Node& n);
/// Makes `op` (a Python Operation) the object of its node `n`; returns a tensorgraph.Node handle
/// of `n` that is not handed out (the Operation keeps it as `_node`).
py::object adopt_operation(const tg::Node& n, const py::object& op);
/// The Python object of `g`, likewise.
py::object graph_object(const tg::Graph& g);
/// Makes a tensorgraph.Graph instance (just constructed in Python) the object of its graph.
void adopt_graph(const py::handle& graph);

/// The node of a Node, or of an object with a `_node` (a Python Operation); nothing otherwise.
std::optional<tg::Node> try_node(const py::handle& obj);
/// try_node, or a TypeError naming `what`.
tg::Node as_node(const py::handle& obj, const char* what = "a graph node");
/// `obj` for an error message: its repr, cut at 60 characters, and its type ("'x' (a str)").
std::string describe(const py::handle& obj);

/// The C++ object of a Python object whose type is exactly T's bound class, else null (then
/// pybind11's cast decides). NOTE: pybind11 finds a type by hashing its name, twice per cast;
/// Session.run converts the session, its fetches and its fed nodes on every call.
template <class T> T* exact_instance(const py::handle& obj) {
  static PyTypeObject* const type = reinterpret_cast<PyTypeObject*>(py::type::of<T>().ptr());
  if (Py_TYPE(obj.ptr()) != type) return nullptr;
  return static_cast<T*>(reinterpret_cast<py::detail::instance*>(obj.ptr())->get_value_and_holder().value_ptr());
}

// Holders of the bound classes: they forget the object when Python deletes it.
struct NodeDeleter {
  void operator()(tg::Node* p) const noexcept;
};
struct GraphDeleter {
  void operator()(tg::Graph* p) const noexcept;
};
using NodeHolder = std::unique_ptr<tg::Node, NodeDeleter>;
using GraphHolder = std::unique_ptr<tg::Graph, GraphDeleter>;

}  // namespace tgpy

namespace pybind11::detail {
// C++ -> Python goes through the registry; Python -> C++ is pybind11's own.
template <> struct type_caster<tg::Node> : public type_caster_base<tg::Node> {
  static handle cast(const tg::Node& n, return_value_policy, handle) { return tgpy::node_object(n).release(); }
  static handle cast(const tg::Node* n, return_value_policy, handle) {
    return n ? tgpy::node_object(*n).release() : none().release();
  }
};
template <> struct type_caster<tg::Graph> : public type_caster_base<tg::Graph> {
  static handle cast(const tg::Graph& g, return_value_policy, handle) { return tgpy::graph_object(g).release(); }
  static handle cast(const tg::Graph* g, return_value_policy, handle) {
    return g ? tgpy::graph_object(*g).release() : none().release();
  }
};
}  // namespace pybind11::detail
