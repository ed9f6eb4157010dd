// tensorgraph._core: the C++ engine for Python. The Python package (python/tensorgraph) adds the
// tutorial's names, argument conversion and Operation subclassing on top.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>

#include "convert.h"
#include "py_ops.h"
#include "tensorgraph/tensorgraph.h"

namespace py = pybind11;
using namespace tgpy;

namespace {

py::object shape_to_python(const tg::Shape& s) {
  if (!s.rank_known()) return py::none();
  py::list dims;
  for (auto d : s) dims.append(d < 0 ? py::object(py::none()) : py::object(py::int_(d)));
  return py::tuple(dims);
}

tg::Shape shape_from_python(const py::handle& obj) {
  if (obj.is_none()) return tg::Shape::unknown_rank();
  tg::Shape s;
  for (py::handle d : obj) s.push_back(d.is_none() ? tg::kUnknownDim : d.cast<std::int64_t>());
  return s;
}

tg::Axes axes_from_python(const py::handle& obj) {
  if (obj.is_none()) return {};
  if (py::isinstance<py::int_>(obj)) return tg::Axes(obj.cast<std::int64_t>());
  return tg::Axes(obj.cast<std::vector<std::int64_t>>());
}

// A Node, or an object with a `_node` (a Python Operation).
tg::Node as_node(const py::handle& obj) {
  if (py::isinstance<tg::Node>(obj)) return obj.cast<tg::Node>();
  if (py::hasattr(obj, "_node")) return obj.attr("_node").cast<tg::Node>();
  throw py::type_error("expected a graph node, got " + std::string(py::str(obj.get_type().attr("__name__"))));
}

tg::FeedDict feeds_from_python(const tg::Graph& g, const py::handle& feed_dict) {
  tg::FeedDict f;
  if (feed_dict.is_none()) return f;
  if (!py::isinstance<py::dict>(feed_dict)) throw py::type_error("feed_dict must be a dict {node: value}");
  for (auto item : py::reinterpret_borrow<py::dict>(feed_dict)) {
    tg::Node n = as_node(item.first);
    if (!(n.graph() == g))
      throw tg::GraphError("Session.run: fed node '" + n.name() + "' belongs to another graph than the session's");
    f.set(n, from_python(item.second, n.dtype(), false, ("feed of '" + n.name() + "'").c_str()));
  }
  return f;
}

py::object run_session(tg::Session& s, const py::object& fetches, const py::object& feed_dict) {
  tg::FeedDict feeds = feeds_from_python(s.graph(), feed_dict);
  if (py::isinstance<py::list>(fetches) || py::isinstance<py::tuple>(fetches)) {
    std::vector<tg::Node> nodes;
    for (py::handle f : fetches) nodes.push_back(as_node(f));
    std::vector<tg::Tensor> out;
    {
      py::gil_scoped_release release;  // Python ops take the GIL back when they run
      out = s.run(nodes, feeds);
    }
    py::list values;
    for (const auto& t : out) values.append(to_numpy(t));
    return values;
  }
  const tg::Node node = as_node(fetches);
  tg::Tensor out;
  {
    py::gil_scoped_release release;
    out = s.run(node, feeds);
  }
  return to_numpy(out);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "tensorgraph's C++ engine";
  // Exception types: each derives from tensorgraph.Error and from the Python exception users
  // expect (ShapeError is a ValueError, DTypeError a TypeError, ...). Never destroyed: the
  // interpreter owns them once they are in the module.
  static PyObject* error = PyErr_NewException("tensorgraph.Error", PyExc_RuntimeError, nullptr);
  auto derived = [&](const char* name, PyObject* python_base) {
    PyObject* bases = PyTuple_Pack(2, error, python_base);
    PyObject* type = PyErr_NewException(name, bases, nullptr);
    Py_DECREF(bases);
    return type;
  };
  static PyObject* shape_error = derived("tensorgraph.ShapeError", PyExc_ValueError);
  static PyObject* dtype_error = derived("tensorgraph.DTypeError", PyExc_TypeError);
  static PyObject* feed_error = derived("tensorgraph.FeedError", PyExc_ValueError);
  static PyObject* graph_error = derived("tensorgraph.GraphError", PyExc_ValueError);
  static PyObject* io_error = derived("tensorgraph.IoError", PyExc_OSError);
  for (auto [name, type] : {std::pair{"Error", error}, {"ShapeError", shape_error}, {"DTypeError", dtype_error},
                            {"FeedError", feed_error}, {"GraphError", graph_error}, {"IoError", io_error}})
    m.attr(name) = py::reinterpret_borrow<py::object>(type);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const tg::ShapeError& e) {
      PyErr_SetString(shape_error, e.what());
    } catch (const tg::DTypeError& e) {
      PyErr_SetString(dtype_error, e.what());
    } catch (const tg::FeedError& e) {
      PyErr_SetString(feed_error, e.what());
    } catch (const tg::GraphError& e) {
      PyErr_SetString(graph_error, e.what());
    } catch (const tg::IoError& e) {
      PyErr_SetString(io_error, e.what());
    } catch (const tg::Error& e) {
      PyErr_SetString(error, e.what());
    }
  });

  py::class_<tg::Graph>(m, "Graph")
      .def(py::init<>())
      .def("_set_default", &tg::Graph::as_default)
      .def_static("get_default", &tg::Graph::get_default)
      .def_static("reset_default", &tg::Graph::reset_default)
      .def_property_readonly("num_nodes", &tg::Graph::num_nodes)
      .def("nodes", &tg::Graph::nodes)
      .def("variables", &tg::Graph::variables)
      .def("trainable_variables", &tg::Graph::trainable_variables)
      .def("get_node_by_name", py::overload_cast<const std::string&>(&tg::Graph::node, py::const_))
      .def("to_dot", &tg::Graph::to_dot)
      .def("__eq__", [](const tg::Graph& a, const tg::Graph& b) { return a == b; })
      .def("__hash__", [](const tg::Graph& g) { return std::hash<const void*>()(&g.impl()); });

  py::class_<tg::Node>(m, "Node")
      .def_property_readonly("name", &tg::Node::name)
      .def_property_readonly("type", &tg::Node::type)
      .def_property_readonly("dtype", [](const tg::Node& n) -> py::object {
        return n.dtype() == tg::DType::unknown ? py::object(py::none()) : py::object(to_numpy_dtype(n.dtype()));
      })
      .def_property_readonly("shape", [](const tg::Node& n) { return shape_to_python(n.shape()); })
      .def_property_readonly("graph", &tg::Node::graph)
      .def_property_readonly("input_nodes", &tg::Node::inputs)
      .def_property_readonly("consumers", &tg::Node::consumers)
      .def_property_readonly("trainable", &tg::Node::trainable)
      .def_property_readonly("initial_value", [](const tg::Node& n) { return to_numpy(n.value().clone()); })
      .def("__eq__", [](const tg::Node& a, const py::object& b) {
        return py::isinstance<tg::Node>(b) && a == b.cast<tg::Node>();
      })
      .def("__hash__", [](const tg::Node& n) { return std::hash<const void*>()(&n.graph().impl()) ^ std::hash<int>()(n.id()); })
      .def("__repr__", [](const tg::Node& n) {
        std::ostringstream os;
        os << "<tensorgraph." << n.type() << " '" << n.name() << "' shape=" << n.shape().str() << " dtype="
           << tg::dtype_name(n.dtype()) << ">";
        return os.str();
      });

  m.def("placeholder", [](const py::object& dtype, const py::object& shape, const std::string& name) {
    return tg::placeholder(parse_dtype(dtype), shape_from_python(shape), name);
  });
  m.def("variable", [](const py::object& value, const py::object& dtype, const std::string& name, bool trainable) {
    return tg::Variable(from_python(value, parse_dtype(dtype), true, "Variable"), name, trainable);
  });
  m.def("constant", [](const py::object& value, const py::object& dtype, const std::string& name) {
    return tg::constant(from_python(value, parse_dtype(dtype), true, "constant"), name);
  });
  m.def("scalar_like", &tg::scalar_like);

  using B = tg::Node (*)(const tg::Node&, const tg::Node&, const std::string&);
  using U = tg::Node (*)(const tg::Node&, const std::string&);
  for (auto [name, fn] : {std::pair<const char*, B>{"add", &tg::add}, {"subtract", &tg::subtract},
                          {"multiply", &tg::multiply}, {"divide", &tg::divide}, {"equal", &tg::equal},
                          {"greater", &tg::greater}, {"sum_to", &tg::sum_to}, {"broadcast_like", &tg::broadcast_like},
                          {"reshape_like", &tg::reshape_like},
                          {"softmax_cross_entropy_with_logits", &tg::softmax_cross_entropy_with_logits},
                          {"sparse_softmax_cross_entropy_with_logits", &tg::sparse_softmax_cross_entropy_with_logits}})
    m.def(name, fn);
  for (auto [name, fn] : {std::pair<const char*, U>{"negative", &tg::negative}, {"exp", &tg::exp}, {"log", &tg::log},
                          {"square", &tg::square}, {"sqrt", &tg::sqrt}, {"sigmoid", &tg::sigmoid}, {"relu", &tg::relu},
                          {"tanh", &tg::tanh}, {"softmax", &tg::softmax}, {"log_softmax", &tg::log_softmax}})
    m.def(name, fn);
  m.def("matmul", &tg::matmul);
  m.def("cast", [](const tg::Node& x, const py::object& dtype, const std::string& name) {
    return tg::cast(x, parse_dtype(dtype), name);
  });
  m.def("reduce_sum", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_sum(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_mean", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_mean(x, axes_from_python(axis), keepdims, name);
  });
  m.def("reduce_max", [](const tg::Node& x, const py::object& axis, bool keepdims, const std::string& name) {
    return tg::reduce_max(x, axes_from_python(axis), keepdims, name);
  });
  m.def("argmax", &tg::argmax);
  m.def("one_hot", [](const tg::Node& x, std::int64_t depth, const py::object& dtype, const std::string& name) {
    return tg::one_hot(x, depth, dtype.is_none() ? tg::DType::f32 : parse_dtype(dtype), name);
  });
  m.def("reshape", [](const tg::Node& x, const py::object& shape, const std::string& name) {
    return tg::reshape(x, shape_from_python(shape), name);
  });
  m.def("transpose", &tg::transpose);
  m.def("fill_like", &tg::fill_like);
  m.def("python_op", &python_op);
  m.def("gradients", &tg::gradients);
  m.def("compute_gradients", &tg::train::compute_gradients);
  m.def("minimize", [](double lr, const tg::Node& loss, const std::vector<tg::Node>& var_list) {
    return tg::train::GradientDescentOptimizer(lr).minimize(loss, var_list);
  });
  m.def("registered_ops", [] {
    std::vector<std::string> names;
    for (const tg::OpDef* d : tg::registered_ops()) names.push_back(d->name);
    return names;
  });

  py::class_<tg::Session>(m, "Session")
      .def(py::init([](const py::object& graph) {
             return std::make_unique<tg::Session>(graph.is_none() ? tg::Graph::get_default() : graph.cast<tg::Graph>());
           }),
           py::arg("graph") = py::none())
      .def_property_readonly("graph", &tg::Session::graph)
      .def("run", &run_session, py::arg("fetches"), py::arg("feed_dict") = py::none(),
           "The value of a node (a numpy array), or a list of values for a list of nodes.")
      .def("assign", [](tg::Session& s, const py::object& v, const py::object& value) {
        tg::Node n = as_node(v);
        s.assign(n, from_python(value, n.dtype(), true, "assign"));
      })
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](py::object, py::args) { return false; })
      .def("stats", [](const tg::Session& s) {
        auto st = s.stats();
        return py::dict(py::arg("runs") = st.runs, py::arg("plans_compiled") = st.plans_compiled,
                        py::arg("shape_inferences") = st.shape_inferences);
      });
}
