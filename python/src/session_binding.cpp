#include "session_binding.h"

#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include <pybind11/stl.h>

#include "convert.h"
#include "errors.h"
#include "node_object.h"
#include "tensorgraph/autodiff.h"

namespace tgpy {
namespace {

// The Variables of one session between two writes.
struct Epoch {
  std::uint64_t writes = 0;  // Session::writes() while they held
  std::shared_ptr<const std::vector<tg::Tensor>> kept;  // their values, copied by the write that ended them
};

// A Session made from Python: it keeps the values of the current epoch when a write would end it
// while a run record still refers to it. Every tg::Session that Python holds is one (only
// Session() makes them), so its holder deletes it as one.
struct PySession : tg::Session {
  PySession(const tg::Graph& g, const tg::SessionOptions& o) : tg::Session(g, o) {
    on_write([this](const std::vector<tg::Tensor>& variables) { keep(variables); });
  }

  // A write is about to happen (the session is held exclusively; no GIL).
  void keep(const std::vector<tg::Tensor>& variables) {
    std::lock_guard lock(mutex_);
    if (current_ && current_.use_count() > 1) {  // a record refers to these values
      auto copy = std::make_shared<std::vector<tg::Tensor>>(variables.size());
      for (std::size_t i = 0; i < variables.size(); ++i)
        if (variables[i].defined()) (*copy)[i] = variables[i].clone();
      current_->kept = std::move(copy);
    }
    current_.reset();
  }

  // The epoch of a run that read the Variables after `w` writes and wrote none; null when a
  // write has followed it already (its values are gone).
  std::shared_ptr<Epoch> epoch_after(std::uint64_t w) {
    std::lock_guard lock(mutex_);
    if (current_) return current_->writes == w ? current_ : nullptr;
    // NOTE: a write counts itself before its hook waits for mutex_: an equal count here means
    // the next write's hook will see this epoch.
    if (writes() != w) return nullptr;
    current_ = std::make_shared<Epoch>(Epoch{w, nullptr});
    return current_;
  }

  // `fetches` at the feeds and Variables of a run in epoch `e`. Without the GIL.
  std::vector<tg::Tensor> run_in(const Epoch& e, const tg::FeedDict& feeds, const std::vector<tg::Node>& fetches) {
    for (;;) {
      std::shared_ptr<const std::vector<tg::Tensor>> kept;
      {
        std::lock_guard lock(mutex_);
        kept = e.kept;
      }
      if (kept) {  // the Variables changed since: feed the kept values in their place
        tg::FeedDict f = feeds;
        for (std::size_t id = 0; id < kept->size(); ++id)
          if ((*kept)[id].defined()) f.set(graph().handle(static_cast<int>(id)), (*kept)[id]);
        return run(fetches, f);
      }
      if (writes() == e.writes) {
        std::vector<tg::Tensor> out = run(fetches, feeds);
        if (writes() == e.writes) return out;  // no write began before this run ended
      }
      std::this_thread::yield();  // a write has begun: its hook keeps the values
    }
  }

  // TensorFlow's Session.close(): later runs and assigns raise (under the GIL).
  bool closed = false;
  void check_open(const char* what) const {
    if (closed) throw tg::GraphError(std::string(what) + ": attempted to use a closed Session");
  }

 private:
  std::mutex mutex_;  // guards current_ and every Epoch::kept
  std::shared_ptr<Epoch> current_;
};

// The last Session.run from Python that fetched a node: the session (its Python object,
// borrowed: a session's records go with it), the feeds, and the epoch of its Variables (null
// when the run wrote them).
struct LastRun {
  PyObject* session = nullptr;
  PySession* cpp = nullptr;
  tg::FeedDict feeds;
  std::shared_ptr<Epoch> epoch;
};
// By the fetched node's NodeData. Under the GIL.
std::unordered_map<const void*, LastRun>& last_runs() {
  static auto* m = new std::unordered_map<const void*, LastRun>();  // NOTE: never destroyed, as node_object's
  return *m;
}

struct SessionDeleter {
  void operator()(tg::Session* s) const noexcept {
    auto& runs = last_runs();
    for (auto it = runs.begin(); it != runs.end();) it = it->second.cpp == s ? runs.erase(it) : std::next(it);
    delete static_cast<PySession*>(s);
  }
};
using SessionHolder = std::unique_ptr<tg::Session, SessionDeleter>;

tg::Node fetch_node(const py::handle& obj) {
  if (std::optional<tg::Node> n = try_node(obj)) return *n;
  throw ArgumentTypeError("Session.run: the fetch " + describe(obj) +
                          " is not a node (fetches: a node, or lists, tuples and dicts of them)");
}

// Nested fetches (TensorFlow's): a list, tuple or dict of fetches, themselves nodes or nested.
constexpr int kMaxFetchDepth = 64;  // NOTE: a list that holds itself would recurse forever

bool is_structure(const py::handle& f) { return PyList_Check(f.ptr()) || PyTuple_Check(f.ptr()) || PyDict_Check(f.ptr()); }

// Item i of a list or tuple, held: fetch_node may run Python code (an `_node` attribute), and a
// thread could shrink the list meanwhile. NOTE: indexed, not iterated: no iterator per call.
std::size_t size_of(const py::handle& f) {
  return static_cast<std::size_t>(PyList_Check(f.ptr()) ? PyList_GET_SIZE(f.ptr()) : PyTuple_GET_SIZE(f.ptr()));
}
py::object item_of(const py::handle& f, std::size_t i) {
  if (i >= size_of(f)) throw ArgumentValueError("Session.run: the fetches changed while the run was reading them");
  return py::reinterpret_borrow<py::object>(PyList_Check(f.ptr()) ? PyList_GET_ITEM(f.ptr(), i) : PyTuple_GET_ITEM(f.ptr(), i));
}

// Appends the nodes of `f` in the order rebuild() reads them back.
void flatten(const py::handle& f, std::vector<tg::Node>& nodes, int depth) {
  if (depth >= kMaxFetchDepth)
    throw ArgumentValueError("Session.run: fetches nested deeper than " + std::to_string(kMaxFetchDepth) +
                             " levels (a list that contains itself?)");
  auto add = [&](const py::handle& x) {
    if (is_structure(x)) flatten(x, nodes, depth + 1);
    else nodes.push_back(fetch_node(x));
  };
  if (PyDict_Check(f.ptr())) {
    for (auto item : py::reinterpret_borrow<py::dict>(f)) add(item.second);
    return;
  }
  for (std::size_t i = 0; i < size_of(f); ++i) add(item_of(f, i));
}

// `f`'s structure with each node replaced by its value, values[next++]: a list, tuple (a named
// tuple stays one) or dict of the fetch's own type.
py::object rebuild(const py::handle& f, const std::vector<tg::Tensor>& values, std::size_t& next) {
  auto value_of = [&](const py::handle& x) -> py::object {
    if (is_structure(x)) return rebuild(x, values, next);
    if (next >= values.size())  // NOTE: another thread changed the fetch structure during the run
      throw ArgumentValueError("Session.run: the fetches changed while the run was computing them");
    return to_numpy(values[next++]);
  };
  if (PyDict_Check(f.ptr())) {
    py::object out = py::type::of(f)();  // dict, OrderedDict, defaultdict: TensorFlow's type(fetch)()
    for (auto item : py::reinterpret_borrow<py::dict>(f)) out[item.first] = value_of(item.second);
    return out;
  }
  const std::size_t n = size_of(f);
  py::list items(n);
  for (std::size_t i = 0; i < n; ++i) items[i] = value_of(item_of(f, i));
  if (PyList_CheckExact(f.ptr())) return items;
  if (PyTuple_CheckExact(f.ptr())) return py::tuple(items);
  const py::object type = py::type::of(f);
  if (py::hasattr(f, "_fields")) return type(*items);  // a namedtuple
  return type(items);
}

py::object run_session(const py::handle& self, const py::object& fetches, const py::object& feed_dict) {
  PySession* exact = static_cast<PySession*>(exact_instance<tg::Session>(self));
  PySession& s = exact ? *exact : static_cast<PySession&>(self.cast<tg::Session&>());
  s.check_open("Session.run");
  tg::FeedDict feeds = feeds_from_python(s.graph(), feed_dict);
  const bool many = is_structure(fetches);
  std::vector<tg::Node> nodes;  // NOTE: one fetch stays out of a vector: no allocation per call
  if (many) flatten(fetches, nodes, 0);
  const tg::Node single = many ? tg::Node() : fetch_node(fetches);
  tg::RunInfo info;
  std::vector<tg::Tensor> out;
  tg::Tensor one;
  {
    py::gil_scoped_release release;  // Python ops take the GIL back when they run
    if (many) out = s.run(nodes, feeds, info);
    else one = s.run(single, feeds, info);
  }
  // Remember this run for compute_gradients. NOTE: a run that wrote Variables keeps no epoch:
  // keeping the values it read would cost a copy of them on every training step.
  std::shared_ptr<Epoch> epoch = info.wrote ? nullptr : s.epoch_after(info.writes);
  auto remember = [&](const tg::Node& n) {
    LastRun& r = last_runs()[&n.data()];
    r.session = self.ptr();
    r.cpp = &s;
    r.feeds = feeds;
    r.epoch = epoch;
  };
  if (!many) remember(single);
  for (const tg::Node& n : nodes) remember(n);
  if (!many) return to_numpy(one);
  std::size_t next = 0;
  return rebuild(fetches, out, next);
}

// The tutorial's table: {node: gradient value} at the values of the loss's most recent run.
py::dict gradient_values(const py::handle& loss_obj) {
  const tg::Node loss = as_node(loss_obj, "a graph node (the loss)");
  auto it = last_runs().find(&loss.data());
  if (it == last_runs().end())
    throw tg::Error("compute_gradients: '" + loss.name() + "' has not been run: run the loss first " +
                    "(session.run(loss, feed_dict)); the table holds the gradients at the feeds and " +
                    "Variable values of the loss's most recent run");
  if (!it->second.epoch)
    throw tg::Error("compute_gradients: the most recent run of '" + loss.name() + "' also wrote the " +
                    "Variables (an optimizer step, or a write from another thread), so the values it " +
                    "read are gone: run the loss on its own (session.run(loss, feed_dict)) first");
  const LastRun last = it->second;  // NOTE: a copy; the map may change while the GIL is released
  const py::object keep_session = py::reinterpret_borrow<py::object>(last.session);
  // The nodes that run computed or was fed: a fed node's inputs did not take part in it.
  std::vector<char> in_run(static_cast<std::size_t>(loss.graph().num_nodes()), 0);
  for (std::vector<tg::Node> stack{loss}; !stack.empty();) {
    const tg::Node n = stack.back();
    stack.pop_back();
    if (std::exchange(in_run[static_cast<std::size_t>(n.id())], 1) || last.feeds.find(n.id())) continue;
    for (const tg::Node& in : n.inputs()) stack.push_back(in);
  }
  std::vector<tg::Node> nodes, grads;
  for (const auto& [n, g] : tg::all_gradients(loss)) {
    if (!in_run[static_cast<std::size_t>(n.id())]) continue;
    nodes.push_back(n);
    grads.push_back(g);
  }
  std::vector<tg::Tensor> values;
  {
    py::gil_scoped_release release;
    values = last.cpp->run_in(*last.epoch, last.feeds, grads);
  }
  py::dict table;
  for (std::size_t i = 0; i < nodes.size(); ++i) table[node_object(nodes[i])] = to_numpy(values[i]);
  return table;
}

}  // namespace

tg::FeedDict feeds_from_python(const tg::Graph& g, const py::handle& feed_dict) {
  tg::FeedDict f;
  if (feed_dict.is_none()) return f;
  if (!py::isinstance<py::dict>(feed_dict)) throw ArgumentTypeError("Session.run: feed_dict must be a dict {node: value}");
  for (auto item : py::reinterpret_borrow<py::dict>(feed_dict)) {
    std::optional<tg::Node> n = try_node(item.first);
    if (!n)
      throw ArgumentTypeError("Session.run: the feed_dict key " + describe(item.first) +
                              " is not a placeholder or node (feed_dict maps nodes to values)");
    if (!(n->graph() == g))
      throw tg::GraphError("Session.run: fed node '" + n->name() + "' belongs to another graph than the session's");
    f.set(*n, from_python(item.second, n->dtype(), false, "feed", &*n));
  }
  return f;
}

void bind_session(py::module_& m) {
  py::class_<tg::Session, SessionHolder> session(m, "Session");
  session.def(py::init([](const py::object& graph, const py::object& check_numerics) -> tg::Session* {
             if (!graph.is_none() && !py::isinstance<tg::Graph>(graph))
               throw ArgumentTypeError("Session: graph must be a tensorgraph.Graph or None, got " +
                                       std::string(py::str(py::type::of(graph).attr("__name__"))));
             return new PySession(graph.is_none() ? tg::Graph::get_default() : graph.cast<tg::Graph>(),
                                  tg::SessionOptions{bool_argument("Session", "check_numerics", check_numerics)});
           }),
           py::arg("graph") = py::none(), py::kw_only(), py::arg("check_numerics") = false,
           "A session on `graph` (the default graph when None). check_numerics=True: every run raises "
           "NumericsError naming the first node whose value holds a NaN or Inf.")
      .def_property_readonly("graph", &tg::Session::graph)
      .def_property_readonly("check_numerics", [](const tg::Session& s) { return s.options().check_numerics; })
      .def("run", &run_session, py::arg("fetches"), py::arg("feed_dict") = py::none(),
           "The value of a node (a numpy array); for lists, tuples and dicts of nodes (nested too), the "
           "values in the same structure.")
      .def("assign", [](tg::Session& s, const py::object& v, const py::object& value) {
        static_cast<PySession&>(s).check_open("Session.assign");
        tg::Node n = as_node(v, "a Variable as Session.assign's variable");
        tg::Tensor t = from_python(value, n.dtype(), true, "Session.assign: value");
        py::gil_scoped_release release;  // a concurrent run may need the GIL while it holds the session
        s.assign(n, t);
      }, py::arg("variable"), py::arg("value"), "Sets the Variable's value in this session.")
      .def("_close", [](tg::Session& s) { static_cast<PySession&>(s).closed = true; })
      .def_property_readonly("_closed", [](const tg::Session& s) { return static_cast<const PySession&>(s).closed; })
      .def("stats", [](const tg::Session& s) {
        auto st = s.stats();
        return py::dict(py::arg("runs") = st.runs, py::arg("plans_compiled") = st.plans_compiled,
                        py::arg("shape_inferences") = st.shape_inferences, py::arg("writes") = s.writes());
      });
  // Calls that fit none of the above (an unknown keyword, too many or too few arguments) raise
  // ArgumentTypeError naming what was wrong, not pybind11's "incompatible function arguments".
  refuse_other_calls(session, "__init__", "Session(graph=None, *, check_numerics=False)");
  refuse_other_calls(session, "run", "Session.run(fetches, feed_dict=None)");
  refuse_other_calls(session, "assign", "Session.assign(variable, value)");
  refuse_other_calls(session, "stats", "Session.stats()");
  m.def("gradient_values", &gradient_values, py::arg("loss"),
        "{node: numpy array}: the gradient of sum(loss) w.r.t. every node the backward walk reaches, "
        "at the feeds and Variable values of the loss's most recent Session.run.");
}

}  // namespace tgpy
