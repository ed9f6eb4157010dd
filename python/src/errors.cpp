#include "errors.h"

#include <utility>

#include "tensorgraph/distributed.h"
#include "tensorgraph/error.h"

namespace tgpy {

bool bool_argument(const char* who, const char* name, const py::handle& obj) {
  const std::string type = py::str(py::type::of(obj).attr("__name__"));
  if (PyBool_Check(obj.ptr()) || PyIndex_Check(obj.ptr()) || type == "bool_" || type == "bool") {
    const int truth = PyObject_IsTrue(obj.ptr());
    if (truth < 0) throw py::error_already_set();
    return truth != 0;
  }
  throw ArgumentTypeError(std::string(who) + ": " + name + " must be True or False, got " + type + " " +
                          std::string(py::repr(obj)));
}

std::string misfit_call(const std::string& usage, const py::args& args, const py::kwargs& kwargs) {
  std::string got = std::to_string(args.size()) + " positional argument" + (args.size() == 1 ? "" : "s");
  if (kwargs.size()) {
    got += " and the keyword argument" + std::string(kwargs.size() == 1 ? " " : "s ");
    const char* sep = "";
    for (auto item : kwargs) got += sep + std::string("'") + std::string(py::str(item.first)) + "'", sep = ", ";
  }
  return usage + " does not take this call: it got " + got;
}

void bind_errors(py::module_& m) {
  // Never destroyed: the interpreter owns them once they are in the module.
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
  static PyObject* distributed_error = derived("tensorgraph.DistributedError", PyExc_RuntimeError);
  static PyObject* argument_type_error = derived("tensorgraph.ArgumentTypeError", PyExc_TypeError);
  static PyObject* argument_value_error = derived("tensorgraph.ArgumentValueError", PyExc_ValueError);
  for (auto [name, type] : {std::pair{"Error", error}, {"ShapeError", shape_error}, {"DTypeError", dtype_error},
                            {"FeedError", feed_error}, {"GraphError", graph_error}, {"IoError", io_error},
                            {"NumericsError", numerics_error}, {"DistributedError", distributed_error},
                            {"ArgumentTypeError", argument_type_error},
                            {"ArgumentValueError", argument_value_error}})
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
    } catch (const tg::distributed::DistributedError& e) {
      PyErr_SetString(distributed_error, e.what());
    } catch (const tg::Error& e) {
      PyErr_SetString(error, e.what());
    } catch (const ArgumentTypeError& e) {
      PyErr_SetString(argument_type_error, e.what());
    } catch (const ArgumentValueError& e) {
      PyErr_SetString(argument_value_error, e.what());
    }
  });
}

}  // namespace tgpy
