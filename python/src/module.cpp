// tensorgraph._core: the C++ engine for Python. The Python package (python/tensorgraph) adds the
// tutorial's names, argument conversion and Operation subclassing on top.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <sstream>

#include "convert.h"
#include "node_object.h"
#include "py_ops.h"
#include "session_binding.h"
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

std::string type_name(const py::handle& obj) { return py::str(py::type::of(obj).attr("__name__")); }

// An int (Python or numpy: anything with __index__, bool aside), else a TypeError naming `what`.
std::int64_t int_from_python(const py::handle& obj, const char* what) {
  if (!PyIndex_Check(obj.ptr()) || PyBool_Check(obj.ptr()))
    throw py::type_error(std::string(what) + " must be ints, got " + type_name(obj) + " " + std::string(py::repr(obj)));
  return py::reinterpret_steal<py::int_>(PyNumber_Index(obj.ptr())).cast<std::int64_t>();
}

tg::Shape shape_from_python(const py::handle& obj) {
  if (obj.is_none()) return tg::Shape::unknown_rank();
  if (py::isinstance<py::str>(obj) || !py::hasattr(obj, "__iter__"))
    throw py::type_error("shape must be None or a list of ints (None for an unknown dimension), got " + type_name(obj));
  tg::Shape s;
  for (py::handle d : obj) s.push_back(d.is_none() ? tg::kUnknownDim : int_from_python(d, "shape dimensions"));
  return s;
}

tg::Axes axes_from_python(const py::handle& obj) {
  if (obj.is_none()) return {};
  if (PyIndex_Check(obj.ptr()) && !PyBool_Check(obj.ptr())) return tg::Axes(int_from_python(obj, "axes"));
  if (py::isinstance<py::str>(obj) || !py::hasattr(obj, "__iter__"))
    throw py::type_error("axis must be None, an int or a list of ints, got " + type_name(obj));
  std::vector<std::int64_t> axes;
  for (py::handle a : obj) axes.push_back(int_from_python(a, "axes"));
  return tg::Axes(axes);
}

// Momentum, RMSProp, Adam and learning-rate schedules: the C++ names and keyword arguments.
// A learning rate is a number or a Schedule (train.schedules.step/exponential/cosine).
void bind_optimizers(py::module_& m) {
  using tg::train::Schedule;
  py::class_<Schedule>(m, "Schedule")
      .def(py::init<double>(), py::arg("learning_rate"))
      .def("__call__", &Schedule::operator(), py::arg("step"), "The learning rate after `step` updates.")
      .def_property_readonly("learning_rate", [](const Schedule& s) { return s.learning_rate; })
      .def("__repr__", &Schedule::str);
  py::module_ s = m.def_submodule("schedules", "Learning-rate schedules, as torch.optim.lr_scheduler");
  s.def("step", &tg::train::schedules::step, py::arg("lr"), py::arg("step_size"), py::arg("gamma"));
  s.def("exponential", &tg::train::schedules::exponential, py::arg("lr"), py::arg("gamma"));
  s.def("cosine", &tg::train::schedules::cosine, py::arg("lr"), py::arg("total_steps"), py::arg("min_lr") = 0.0);
  auto schedule = [](const py::object& lr) {
    if (py::isinstance<Schedule>(lr)) return lr.cast<Schedule>();
    if (py::isinstance<py::str>(lr) || !py::hasattr(lr, "__float__"))
      throw py::type_error("learning_rate must be a number or a train.schedules schedule, got " +
                           std::string(py::str(py::type::of(lr).attr("__name__"))));
    return Schedule(lr.cast<double>());
  };
  auto minimize = [](auto& cls) {
    using Opt = typename std::decay_t<decltype(cls)>::type;
    cls.def("minimize", [](const Opt& o, const py::object& loss, const py::object& var_list) {
          std::vector<tg::Node> vars;
          if (!var_list.is_none())
            for (py::handle v : var_list) vars.push_back(as_node(v));
          return o.minimize(as_node(loss), vars);
        }, py::arg("loss"), py::arg("var_list") = py::none(),
        "An operation whose run performs one update, from the feeds of that same run.");
    cls.def_property_readonly("learning_rate", &Opt::learning_rate);
  };
  using tg::train::MomentumOptimizer, tg::train::RMSPropOptimizer, tg::train::AdamOptimizer;
  py::class_<MomentumOptimizer> mo(m, "MomentumOptimizer");
  mo.def(py::init([=](const py::object& lr, double momentum, bool nesterov) {
           return MomentumOptimizer(schedule(lr), momentum, nesterov);
         }), py::arg("learning_rate"), py::arg("momentum"), py::arg("use_nesterov") = false)
      .def_property_readonly("momentum", &MomentumOptimizer::momentum)
      .def_property_readonly("use_nesterov", &MomentumOptimizer::use_nesterov);
  minimize(mo);
  py::class_<RMSPropOptimizer> rms(m, "RMSPropOptimizer");
  rms.def(py::init([=](const py::object& lr, double decay, double epsilon, double momentum) {
            return RMSPropOptimizer(schedule(lr), decay, epsilon, momentum);
          }), py::arg("learning_rate"), py::arg("decay") = 0.9, py::arg("epsilon") = 1e-8, py::arg("momentum") = 0.0)
      .def_property_readonly("decay", &RMSPropOptimizer::decay)
      .def_property_readonly("epsilon", &RMSPropOptimizer::epsilon)
      .def_property_readonly("momentum", &RMSPropOptimizer::momentum);
  minimize(rms);
  py::class_<AdamOptimizer> adam(m, "AdamOptimizer");
  adam.def(py::init([=](const py::object& lr, double beta1, double beta2, double epsilon) {
             return AdamOptimizer(schedule(lr), beta1, beta2, epsilon);
           }), py::arg("learning_rate") = 0.001, py::arg("beta1") = 0.9, py::arg("beta2") = 0.999, py::arg("epsilon") = 1e-8)
      .def_property_readonly("beta1", &AdamOptimizer::beta1)
      .def_property_readonly("beta2", &AdamOptimizer::beta2)
      .def_property_readonly("epsilon", &AdamOptimizer::epsilon);
  minimize(adam);
}

// tensorgraph.data: read_csv, Dataset (split, batches, fashion_mnist). Batches is a sequence of
// (features, labels) numpy pairs, so Python iterates it through __len__ and __getitem__.
// tensorgraph.train's Saver and training loop (the C++ tg::train ones).
void bind_training(py::module_& m) {
  auto t = m.def_submodule("training", "Saver, fit and evaluate");
  py::class_<tg::train::Saver>(t, "Saver")
      .def(py::init([](const py::object& var_list) {
             std::vector<tg::Node> vars;
             if (!var_list.is_none())
               for (py::handle v : var_list) vars.push_back(as_node(v));
             return tg::train::Saver(vars);
           }),
           py::arg("var_list") = py::none())
      .def("save", [](const tg::train::Saver& s, tg::Session& session, const std::string& path) {
        py::gil_scoped_release release;
        s.save(session, path);
      })
      .def("restore", [](const tg::train::Saver& s, tg::Session& session, const std::string& path, bool strict) {
        py::gil_scoped_release release;
        s.restore(session, path, strict);
      }, py::arg("session"), py::arg("path"), py::arg("strict") = false);
  auto model_of = [](const tg::Session& s, const py::dict& nodes, const py::object& train_feeds,
                     const py::object& eval_feeds) {
    tg::train::Model model;
    model.inputs = as_node(nodes["inputs"]);
    model.labels = as_node(nodes["labels"]);
    model.loss = as_node(nodes["loss"]);
    if (!nodes["accuracy"].is_none()) model.accuracy = as_node(nodes["accuracy"]);
    if (!nodes["train_op"].is_none()) model.train_op = as_node(nodes["train_op"]);
    model.train_feeds = feeds_from_python(s.graph(), train_feeds);
    model.eval_feeds = feeds_from_python(s.graph(), eval_feeds);
    return model;
  };
  t.def("fit", [model_of](tg::Session& s, const py::dict& nodes, const tg::train::Dataset& train,
                          const tg::train::Dataset* validation, int epochs, std::int64_t batch_size,
                          std::uint64_t seed, int patience, bool restore_best, const py::object& train_feeds,
                          const py::object& eval_feeds, bool quiet) {
    const tg::train::Model model = model_of(s, nodes, train_feeds, eval_feeds);
    tg::train::FitOptions o;
    o.epochs = epochs;
    o.batch_size = batch_size;
    o.seed = seed;
    o.patience = patience;
    o.restore_best = restore_best;
    o.quiet = quiet;
    tg::train::History h;
    {
      py::gil_scoped_release release;
      h = tg::train::fit(s, model, train, validation, o);
    }
    py::list epochs_out;
    for (const auto& e : h.epochs)
      epochs_out.append(py::dict(py::arg("epoch") = e.epoch, py::arg("train_loss") = e.train_loss,
                                 py::arg("train_accuracy") = e.train_accuracy, py::arg("val_loss") = e.val_loss,
                                 py::arg("val_accuracy") = e.val_accuracy, py::arg("seconds") = e.seconds));
    return py::dict(py::arg("epochs") = epochs_out, py::arg("best_epoch") = h.best_epoch,
                    py::arg("stopped_early") = h.stopped_early);
  });
  t.def("evaluate", [model_of](tg::Session& s, const py::dict& nodes, const tg::train::Dataset& data,
                               std::int64_t batch_size, const py::object& eval_feeds) {
    const tg::train::Model model = model_of(s, nodes, py::none(), eval_feeds);
    py::gil_scoped_release release;
    return tg::train::evaluate(s, model, data, batch_size);
  });
}

void bind_data(py::module_& m) {
  using tg::train::Batches, tg::train::Dataset;
  py::module_ d = m.def_submodule("data", "Datasets, minibatches and CSV files");
  d.def("read_csv", [](const std::string& path, bool header, char delimiter) {
    tg::Tensor t;
    {
      py::gil_scoped_release release;
      t = tg::read_csv(path, header, delimiter);
    }
    return to_numpy(t);
  }, py::arg("path"), py::arg("header") = true, py::arg("delimiter") = ',', "A float64 [rows, cols] array of the file's numbers.");
  py::class_<Batches>(d, "Batches")
      .def("__len__", &Batches::size)
      .def("__getitem__", [](const Batches& b, std::int64_t i) {
        if (i < 0) i += b.size();
        if (i < 0 || i >= b.size()) throw py::index_error("batch index out of range");
        auto [x, y] = b[i];
        return py::make_tuple(to_numpy(x), to_numpy(y));
      });
  py::class_<Dataset>(d, "Dataset")
      .def(py::init([](const py::object& features, const py::object& labels) {
             return Dataset(from_python(features, tg::DType::unknown, true, "Dataset features"),
                            from_python(labels, tg::DType::unknown, true, "Dataset labels"));
           }), py::arg("features"), py::arg("labels"))
      .def_property_readonly("size", &Dataset::size)
      .def("__len__", &Dataset::size)
      .def_property_readonly("features", [](const Dataset& s) { return to_numpy(s.features()); })
      .def_property_readonly("labels", [](const Dataset& s) { return to_numpy(s.labels()); })
      .def("split", &Dataset::split, py::arg("validation_fraction"), py::arg("seed"),
           "(train, validation) after a seeded shuffle.")
      .def("batches", &Dataset::batches, py::arg("batch_size"), py::arg("shuffle") = true, py::arg("seed") = 0,
           py::arg("drop_last") = false, "One epoch of (features, labels) numpy pairs.")
      .def_static("fashion_mnist", [](const std::string& which, const std::string& dir) {
        py::gil_scoped_release release;
        return Dataset::fashion_mnist(which, dir);
      }, py::arg("which") = "train", py::arg("dir") = "/usr/share/datasets/fashion-mnist");
}

// tensorgraph.export_model / import_model: models as data (JSON graph + safetensors values).
void bind_export(py::module_& m) {
  m.def("export_model", [](tg::Session& session, const py::object& outputs, const std::string& path_prefix) {
    std::vector<tg::Node> outs;
    if (py::isinstance<tg::Node>(outputs)) outs.push_back(outputs.cast<tg::Node>());
    else for (py::handle o : outputs) outs.push_back(as_node(o));
    py::gil_scoped_release release;
    tg::export_model(session, outs, path_prefix);
  }, py::arg("session"), py::arg("outputs"), py::arg("path_prefix"),
        "Writes <path_prefix>.json (the graph as data) and <path_prefix>.safetensors (values).");
  m.def("import_model", [](const std::string& path_prefix) {
    tg::LoadedModel lm;
    {
      py::gil_scoped_release release;
      lm = tg::import_model(path_prefix);
    }
    py::dict nodes;
    for (const auto& [name, n] : lm.nodes) nodes[py::str(name)] = py::cast(n);
    return py::make_tuple(lm.graph, nodes, lm.outputs);
  }, py::arg("path_prefix"), "(graph, {name: node}, [output nodes]) of a model written by export_model.");
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
  static PyObject* numerics_error = derived("tensorgraph.NumericsError", PyExc_FloatingPointError);
  for (auto [name, type] : {std::pair{"Error", error}, {"ShapeError", shape_error}, {"DTypeError", dtype_error},
                            {"FeedError", feed_error}, {"GraphError", graph_error}, {"IoError", io_error},
                            {"NumericsError", numerics_error}})
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
    } catch (const tg::NumericsError& e) {
      PyErr_SetString(numerics_error, e.what());
    } catch (const tg::Error& e) {
      PyErr_SetString(error, e.what());
    }
  });

  // A graph's lists hold its nodes in creation order, as the tutorial's Graph has them:
  // operations (constants too: TensorFlow's Const is an operation), placeholders, variables.
  auto nodes_of_kind = [](bool (*keep)(tg::NodeKind)) {
    return [keep](const tg::Graph& g) {
      std::vector<tg::Node> out;
      for (const tg::Node& n : g.nodes())
        if (keep(n.kind())) out.push_back(n);
      return out;
    };
  };
  py::class_<tg::Graph, GraphHolder>(m, "Graph")
      .def(py::init<>())
      .def("_adopt", &adopt_graph)
      .def("_set_default", &tg::Graph::as_default)
      .def_static("get_default", &tg::Graph::get_default)
      .def_static("reset_default", &tg::Graph::reset_default)
      .def_property_readonly("num_nodes", &tg::Graph::num_nodes)
      .def("nodes", &tg::Graph::nodes)
      .def_property_readonly("operations", nodes_of_kind([](tg::NodeKind k) {
        return k == tg::NodeKind::operation || k == tg::NodeKind::constant;
      }))
      .def_property_readonly("placeholders", nodes_of_kind([](tg::NodeKind k) { return k == tg::NodeKind::placeholder; }))
      .def_property_readonly("variables", &tg::Graph::variables)
      .def("trainable_variables", &tg::Graph::trainable_variables)
      .def("get_node_by_name", py::overload_cast<const std::string&>(&tg::Graph::node, py::const_))
      .def("to_dot", &tg::Graph::to_dot)
      .def("__eq__", [](const tg::Graph& a, const tg::Graph& b) { return a == b; })
      .def("__hash__", [](const tg::Graph& g) { return std::hash<const void*>()(&g.impl()); });

  py::class_<tg::Node, NodeHolder>(m, "Node")
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
  m.def("matmul_grad", &tg::matmul_grad);
  m.def("check_numerics", &tg::check_numerics);
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
  m.def("python_op", [](const py::object& op, const std::vector<tg::Node>& inputs, const std::string& name) {
    return adopt_operation(python_op(op, inputs, name), op);
  }, "The node computed by a Python Operation `op`, which becomes its object; returns op._node.");
  m.def("dense", [](const tg::Node& x, std::int64_t units, std::uint64_t seed, const std::string& activation,
                    const std::string& init, const std::string& name) {
    static const std::map<std::string, tg::layers::Activation> acts{
        {"", tg::layers::Activation::none}, {"relu", tg::layers::Activation::relu},
        {"sigmoid", tg::layers::Activation::sigmoid}, {"tanh", tg::layers::Activation::tanh}};
    static const std::map<std::string, tg::layers::Init> inits{
        {"", tg::layers::Init::automatic}, {"glorot_uniform", tg::layers::Init::glorot_uniform},
        {"he_normal", tg::layers::Init::he_normal}};
    auto a = acts.find(activation);
    auto i = inits.find(init);
    if (a == acts.end()) throw py::value_error("dense: unknown activation '" + activation + "' (relu, sigmoid, tanh or None)");
    if (i == inits.end()) throw py::value_error("dense: unknown initializer '" + init + "' (glorot_uniform or he_normal)");
    tg::Rng rng(seed);
    return tg::layers::dense(x, units, rng, a->second, i->second, name);
  });
  m.def("l2_loss", &tg::layers::l2_loss);
  m.def("dropout", &tg::layers::dropout);
  m.def("random_uniform_like", &tg::random_uniform_like);
  m.def("accuracy", &tg::layers::accuracy);
  m.def("gradients", &tg::gradients);
  m.def("compute_gradients", &tg::train::compute_gradients);
  m.def("minimize", [](double lr, const tg::Node& loss, const std::vector<tg::Node>& var_list) {
    return tg::train::GradientDescentOptimizer(lr).minimize(loss, var_list);
  });
  bind_optimizers(m);
  bind_data(m);
  bind_training(m);
  bind_export(m);
  m.def("set_num_threads", &tg::set_num_threads);
  m.def("num_threads", &tg::num_threads);
  m.def("registered_ops", [] {
    std::vector<std::string> names;
    for (const tg::OpDef* d : tg::registered_ops()) names.push_back(d->name);
    return names;
  });

  bind_session(m);
}
