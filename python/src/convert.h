#pragma once
// numpy <-> Tensor. Results go out zero-copy (the array keeps the tensor's storage alive), small
// ones copied; fed arrays come in zero-copy when C-contiguous and of a supported dtype (the tensor
// keeps the array alive), else through one numpy conversion.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "node_object.h"  // NOTE: first, so every cast of a Node goes through its caster
#include "tensorgraph/graph.h"
#include "tensorgraph/tensor.h"

namespace tgpy {
namespace py = pybind11;

/// The numpy dtype of a tensorgraph dtype.
py::dtype to_numpy_dtype(tg::DType d);
/// A shape as a tuple (None for an unknown dimension), or None for an unknown rank.
py::object shape_to_python(const tg::Shape& s);
/// An attribute value as Python: bool, int, float, str, numpy dtype, shape list (None: unknown
/// rank), list of int or float.
py::object attr_to_python(const tg::AttrValue& v);
/// The tensorgraph dtype of a numpy dtype, or DType::unknown when unsupported.
tg::DType from_numpy_dtype(const py::dtype& d);
/// Parses None, a numpy dtype, a type (np.float32, float, int, bool) or a name ("float32").
tg::DType parse_dtype(const py::handle& obj);
/// Results of up to this many bytes are copied into a new array, larger ones shared.
inline constexpr std::size_t kCopyBytes = 256;
/// A numpy array of the tensor's values: a copy when small, else sharing its memory (None for an
/// undefined tensor).
py::object to_numpy(const tg::Tensor& t);
/// A tensor from any array-like. `want` converts when known; nested Python lists and scalars
/// default to float64 (the tutorial's numpy float64 world). `copy` forces owned memory. Errors
/// name `what`, or "feed of '<name>'" when `fed` is given.
tg::Tensor from_python(const py::handle& obj, tg::DType want, bool copy, const char* what,
                       const tg::Node* fed = nullptr);

}  // namespace tgpy
