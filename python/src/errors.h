#pragma once
// tensorgraph's Python exceptions: tensorgraph.Error and its subclasses, each also the Python
// exception a user expects (ShapeError is a ValueError, ArgumentTypeError a TypeError, ...).
#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>

namespace tgpy {
namespace py = pybind11;

/// Raised as tensorgraph.ArgumentTypeError (a TypeError): an argument of the wrong type. The
/// message names the function and the argument.
struct ArgumentTypeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
/// Raised as tensorgraph.ArgumentValueError (a ValueError): an argument of the right type with a
/// value the function cannot take.
struct ArgumentValueError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// `obj` as a bool argument named `name` of `who`: a bool, a numpy bool or an int, else an
/// ArgumentTypeError naming both.
bool bool_argument(const char* who, const char* name, const py::handle& obj);

/// The message for a call that fits no signature of a function: `usage` and what the call gave
/// (its positional count and keywords).
std::string misfit_call(const std::string& usage, const py::args& args, const py::kwargs& kwargs);

/// Adds to `method` of `cls` the overload that pybind11 reaches only when no other overload fits
/// the call (an unknown keyword, too many or too few arguments): it raises ArgumentTypeError with
/// `usage`, where pybind11 would dump "incompatible function arguments". Define it last.
template <class Class>
void refuse_other_calls(Class& cls, const char* method, const char* usage) {
  const std::string u = usage;
  cls.def(method, [u](const py::object&, const py::args& args, const py::kwargs& kwargs) -> py::object {
    throw ArgumentTypeError(misfit_call(u, args, kwargs));
  });
}

/// Adds the exception types to `m` and translates tg's C++ exceptions and the two above to them.
void bind_errors(py::module_& m);

}  // namespace tgpy
