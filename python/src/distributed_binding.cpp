// tensorgraph._core.distributed: the C++ tg::distributed API (tensorgraph/distributed.h), which
// python/tensorgraph/distributed.py wraps in Horovod's names.
#include "distributed_binding.h"

#include <pybind11/stl.h>

#include "convert.h"
#include "train_binding.h"
#include "tensorgraph/tensorgraph.h"

namespace tgpy {

namespace {
tg::distributed::ReduceOp reduce_op(const std::string& op) {
  if (op == "mean") return tg::distributed::ReduceOp::mean;
  if (op == "sum") return tg::distributed::ReduceOp::sum;
  throw tg::Error("allreduce: op must be 'mean' or 'sum', got '" + op + "'");
}
}  // namespace

void bind_distributed(py::module_& m) {
  namespace dist = tg::distributed;
  py::module_ d = m.def_submodule("distributed", "Data-parallel training on MPI");
  d.def("init", &dist::init);
  d.def("initialized", &dist::initialized);
  d.def("rank", &dist::rank);
  d.def("size", &dist::size);
  d.def("local_rank", &dist::local_rank);
  d.def("local_size", &dist::local_size);
  d.def("built_with_mpi", &dist::built_with_mpi);
  d.def("abort", [](const std::string& message, int code) { dist::abort(message, code); }, py::arg("message"),
        py::arg("code") = 1);
  d.def("allreduce", [](const py::object& x, const std::string& op, const std::string& name) {
    return dist::allreduce(as_node(x), reduce_op(op), name);
  }, py::arg("x"), py::arg("op") = "mean", py::arg("name") = "");
  d.def("broadcast", [](const py::object& x, int root, const std::string& name) {
    return dist::broadcast(as_node(x), root, name);
  }, py::arg("x"), py::arg("root") = 0, py::arg("name") = "");
  d.def("broadcast_variables", [](tg::Session& s, int root, const py::object& variables) {
    std::vector<tg::Node> vars;
    if (!variables.is_none())
      for (py::handle v : variables) vars.push_back(as_node(v));
    py::gil_scoped_release release;
    dist::broadcast_variables(s, root, vars);
  }, py::arg("session"), py::arg("root") = 0, py::arg("variables") = py::none());
  d.def("average_gradients", [](const py::object& grads_and_vars, std::size_t bucket_bytes) {
    py::list out;
    for (const auto& [g, v] : dist::average_gradients(grads_and_vars_from_python(grads_and_vars), bucket_bytes))
      out.append(py::make_tuple(g.valid() ? py::cast(g) : py::none(), v));
    return out;
  }, py::arg("grads_and_vars"), py::arg("bucket_bytes") = std::size_t{64} << 20);
  // Host-side reductions of numpy arrays (a metric computed outside the graph).
  d.def("allreduce_array", [](const py::object& array, const std::string& op) {
    tg::Tensor t = from_python(array, tg::DType::unknown, /*copy=*/true, "allreduce_array");
    {
      py::gil_scoped_release release;
      dist::allreduce(t, reduce_op(op), "allreduce_array");
    }
    return to_numpy(t);
  }, py::arg("array"), py::arg("op") = "mean");
}

}  // namespace tgpy
