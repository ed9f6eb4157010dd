#include "node_object.h"

#include <string>
#include <unordered_map>

#include "errors.h"

namespace tgpy {
namespace {

// A living object (borrowed: the entry goes before the object does) and the C++ value its
// holder owns (null for a Python Operation, whose entry its weak reference drops).
struct Entry {
  PyObject* object = nullptr;
  const void* value = nullptr;
};
// Keys: a node's NodeData, a graph's GraphImpl. Used under the GIL only. NOTE: never destroyed:
// holders may run during interpreter shutdown, after static destructors.
using Registry = std::unordered_map<const void*, Entry>;
Registry& nodes() {
  static auto* r = new Registry();
  return *r;
}
Registry& graphs() {
  static auto* r = new Registry();
  return *r;
}

const void* node_key(const tg::Node& n) { return &n.data(); }
const void* graph_key(const tg::Graph& g) { return &g.impl(); }

const void* value_of(const py::handle& obj) {
  return reinterpret_cast<py::detail::instance*>(obj.ptr())->get_value_and_holder().value_ptr();
}

// The remembered object of `key`, or a new one made by `make` and remembered.
template <class Make> py::object lookup(Registry& r, const void* key, Make make) {
  auto [it, fresh] = r.try_emplace(key);
  if (!fresh) return py::reinterpret_borrow<py::object>(it->second.object);
  py::object o;
  try {
    o = make();
  } catch (...) {
    r.erase(key);
    throw;
  }
  it = r.find(key);  // NOTE: making the object may have run Python code that changed the map
  it->second = {o.ptr(), value_of(o)};
  return o;
}

void forget(Registry& r, const void* key, const void* value) {
  auto it = r.find(key);
  if (it != r.end() && it->second.value == value) r.erase(it);
}

}  // namespace

py::object node_object(const tg::Node& n) {
  if (!n.valid()) return py::none();
  return lookup(nodes(), node_key(n), [&] {
    return py::reinterpret_steal<py::object>(
        py::detail::type_caster_base<tg::Node>::cast(n, py::return_value_policy::copy, {}));
  });
}

py::object adopt_operation(const tg::Node& n, const py::object& op) {
  const void* key = node_key(n);
  // The entry goes when the Operation does (today never before its graph: the graph's node holds
  // the Operation). The weak reference lives in the callback's closure until it fires.
  auto ref = std::make_shared<py::object>();
  py::cpp_function drop([key, ref](py::handle) {
    forget(nodes(), key, nullptr);
    *ref = py::object();
  });
  PyObject* weak = PyWeakref_NewRef(op.ptr(), drop.ptr());
  if (!weak) throw py::error_already_set();  // NOTE: Operation (a plain class) has __weakref__
  *ref = py::reinterpret_steal<py::object>(weak);
  nodes()[key] = {op.ptr(), nullptr};
  return py::reinterpret_steal<py::object>(
      py::detail::type_caster_base<tg::Node>::cast(n, py::return_value_policy::copy, {}));
}

py::object graph_object(const tg::Graph& g) {
  return lookup(graphs(), graph_key(g), [&] {
    return py::reinterpret_steal<py::object>(
        py::detail::type_caster_base<tg::Graph>::cast(g, py::return_value_policy::copy, {}));
  });
}

void adopt_graph(const py::handle& graph) {
  const tg::Graph& g = graph.cast<const tg::Graph&>();
  graphs()[graph_key(g)] = {graph.ptr(), value_of(graph)};
}

std::optional<tg::Node> try_node(const py::handle& obj) {
  if (const tg::Node* n = exact_instance<tg::Node>(obj)) return *n;
  if (py::isinstance<tg::Node>(obj)) return obj.cast<tg::Node>();
  if (py::hasattr(obj, "_node")) return obj.attr("_node").cast<tg::Node>();
  return std::nullopt;
}

tg::Node as_node(const py::handle& obj, const char* what) {
  if (std::optional<tg::Node> n = try_node(obj)) return *n;
  throw ArgumentTypeError(std::string("expected ") + what + ", got " + describe(obj));
}

std::string describe(const py::handle& obj) {
  std::string repr = py::repr(obj);
  if (repr.size() > 60) repr = repr.substr(0, 57) + "...";
  return repr + " (a " + std::string(py::str(py::type::of(obj).attr("__name__"))) + ")";
}

void NodeDeleter::operator()(tg::Node* p) const noexcept {
  if (p->valid()) forget(nodes(), node_key(*p), p);
  delete p;
}

void GraphDeleter::operator()(tg::Graph* p) const noexcept {
  forget(graphs(), graph_key(*p), p);
  delete p;
}

}  // namespace tgpy
