// The training side of tensorgraph._core: optimizers and schedules, Saver and the training loop,
// datasets, and models as data.
#include "train_binding.h"

#include <pybind11/stl.h>

#include "convert.h"
#include "errors.h"
#include "session_binding.h"
#include "tensorgraph/tensorgraph.h"

namespace tgpy {

tg::train::GradsAndVars grads_and_vars_from_python(const py::handle& grads_and_vars) {
  tg::train::GradsAndVars pairs;
  for (py::handle p : grads_and_vars) {
    const py::sequence pair = py::reinterpret_borrow<py::sequence>(p);
    pairs.emplace_back(pair[0].is_none() ? tg::Node() : as_node(pair[0]), as_node(pair[1]));
  }
  return pairs;
}

// The optimizers (GradientDescent, Momentum, RMSProp, Adam) and learning-rate schedules: the C++
// names and keyword arguments. A learning rate is a number or a Schedule (train.schedules.*).
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
      throw ArgumentTypeError("learning_rate must be a number or a train.schedules schedule, got " +
                           std::string(py::str(py::type::of(lr).attr("__name__"))));
    return Schedule(lr.cast<double>());
  };
  // The C++ optimizers behind tensorgraph.train's Optimizer classes, which check the arguments.
  auto nodes = [](const py::object& list) {
    std::vector<tg::Node> out;
    if (!list.is_none())
      for (py::handle v : list) out.push_back(as_node(v));
    return out;
  };
  auto methods = [nodes](auto& cls) {
    using Opt = typename std::decay_t<decltype(cls)>::type;
    cls.def("minimize", [nodes](const Opt& o, const py::object& loss, const py::object& var_list) {
          return o.minimize(as_node(loss), nodes(var_list));
        }, py::arg("loss"), py::arg("var_list") = py::none(),
        "An operation whose run performs one update, from the feeds of that same run.");
    cls.def("compute_gradients", [nodes](const Opt& o, const py::object& loss, const py::object& var_list) {
          py::list pairs;
          for (const auto& [g, v] : o.compute_gradients(as_node(loss), nodes(var_list))) pairs.append(py::make_tuple(g, v));
          return pairs;
        }, py::arg("loss"), py::arg("var_list") = py::none(),
        "[(gradient, variable)]; a zero-filled gradient where the loss does not reach the Variable.");
    cls.def("apply_gradients", [](const Opt& o, const py::object& grads_and_vars, const std::string& name,
                                  const py::object& global_step) {
          return o.apply_gradients(grads_and_vars_from_python(grads_and_vars), name, global_step.is_none() ? tg::Node() : as_node(global_step));
        }, py::arg("grads_and_vars"), py::arg("name") = "", py::arg("global_step") = py::none(),
        "The update node of (gradient, variable) pairs; a None gradient's pair is skipped.");
    cls.def_property_readonly("learning_rate", &Opt::learning_rate);
  };
  using tg::train::GradientDescentOptimizer;
  py::class_<GradientDescentOptimizer> gd(m, "GradientDescentOptimizer");
  gd.def(py::init<double>(), py::arg("learning_rate"));
  methods(gd);
  using tg::train::MomentumOptimizer, tg::train::RMSPropOptimizer, tg::train::AdamOptimizer;
  py::class_<MomentumOptimizer> mo(m, "MomentumOptimizer");
  mo.def(py::init([=](const py::object& lr, double momentum, bool nesterov) {
           return MomentumOptimizer(schedule(lr), momentum, nesterov);
         }), py::arg("learning_rate"), py::arg("momentum"), py::arg("use_nesterov") = false)
      .def_property_readonly("momentum", &MomentumOptimizer::momentum)
      .def_property_readonly("use_nesterov", &MomentumOptimizer::use_nesterov);
  methods(mo);
  py::class_<RMSPropOptimizer> rms(m, "RMSPropOptimizer");
  rms.def(py::init([=](const py::object& lr, double decay, double epsilon, double momentum) {
            return RMSPropOptimizer(schedule(lr), decay, epsilon, momentum);
          }), py::arg("learning_rate"), py::arg("decay") = 0.9, py::arg("epsilon") = 1e-8, py::arg("momentum") = 0.0)
      .def_property_readonly("decay", &RMSPropOptimizer::decay)
      .def_property_readonly("epsilon", &RMSPropOptimizer::epsilon)
      .def_property_readonly("momentum", &RMSPropOptimizer::momentum);
  methods(rms);
  py::class_<AdamOptimizer> adam(m, "AdamOptimizer");
  adam.def(py::init([=](const py::object& lr, double beta1, double beta2, double epsilon) {
             return AdamOptimizer(schedule(lr), beta1, beta2, epsilon);
           }), py::arg("learning_rate") = 0.001, py::arg("beta1") = 0.9, py::arg("beta2") = 0.999, py::arg("epsilon") = 1e-8)
      .def_property_readonly("beta1", &AdamOptimizer::beta1)
      .def_property_readonly("beta2", &AdamOptimizer::beta2)
      .def_property_readonly("epsilon", &AdamOptimizer::epsilon);
  methods(adam);
}

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
                          const py::object& eval_feeds, bool quiet, bool stop_on_non_finite) {
    const tg::train::Model model = model_of(s, nodes, train_feeds, eval_feeds);
    tg::train::FitOptions o;
    o.epochs = epochs;
    o.batch_size = batch_size;
    o.seed = seed;
    o.patience = patience;
    o.restore_best = restore_best;
    o.quiet = quiet;
    o.stop_on_non_finite = stop_on_non_finite;
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
    py::object non_finite = py::none();
    if (h.non_finite)
      non_finite = py::dict(py::arg("epoch") = h.non_finite->epoch, py::arg("step") = h.non_finite->step,
                            py::arg("loss") = h.non_finite->loss);
    return py::dict(py::arg("epochs") = epochs_out, py::arg("best_epoch") = h.best_epoch,
                    py::arg("stopped_early") = h.stopped_early, py::arg("non_finite") = non_finite,
                    py::arg("stopped_non_finite") = h.stopped_non_finite);
  });
  t.def("evaluate", [model_of](tg::Session& s, const py::dict& nodes, const tg::train::Dataset& data,
                               std::int64_t batch_size, const py::object& eval_feeds) {
    const tg::train::Model model = model_of(s, nodes, py::none(), eval_feeds);
    tg::train::Evaluation e;
    {
      py::gil_scoped_release release;
      e = tg::train::evaluate(s, model, data, batch_size);
    }
    return py::make_tuple(e.loss, e.accuracy ? py::object(py::float_(*e.accuracy)) : py::object(py::none()));
  });
}

// tensorgraph.data: read_csv, Dataset (split, batches, fashion_mnist). Batches is a sequence of
// (features, labels) numpy pairs, so Python iterates it through __len__ and __getitem__.
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

}  // namespace tgpy
