#include "convert.h"

#include <bit>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "errors.h"

namespace tgpy {

py::object shape_to_python(const tg::Shape& s) {
  if (!s.rank_known()) return py::none();
  py::list dims;
  for (auto d : s) dims.append(d < 0 ? py::object(py::none()) : py::object(py::int_(d)));
  return py::tuple(dims);
}

py::object attr_to_python(const tg::AttrValue& v) {
  return std::visit(
      [](const auto& x) -> py::object {
        using V = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<V, tg::DType>) {
          return x == tg::DType::unknown ? py::object(py::none()) : py::object(to_numpy_dtype(x));
        } else if constexpr (std::is_same_v<V, tg::Shape>) {
          return shape_to_python(x);
        } else {
          return py::cast(x);
        }
      },
      v);
}

py::dtype to_numpy_dtype(tg::DType d) {
  switch (d) {
    case tg::DType::f32: return py::dtype::of<float>();
    case tg::DType::f64: return py::dtype::of<double>();
    case tg::DType::i32: return py::dtype::of<std::int32_t>();
    case tg::DType::i64: return py::dtype::of<std::int64_t>();
    case tg::DType::boolean: return py::dtype::of<bool>();
    case tg::DType::i16: return py::dtype::of<std::int16_t>();
    case tg::DType::u8: return py::dtype::of<std::uint8_t>();
    case tg::DType::unknown: break;
  }
  throw py::type_error("tensorgraph: no numpy dtype for an unknown dtype");
}

tg::DType from_numpy_dtype(const py::dtype& d) {
  const char kind = d.kind();
  const auto size = d.itemsize();
  if (kind == 'f' && size == 4) return tg::DType::f32;
  if (kind == 'f' && size == 8) return tg::DType::f64;
  if (kind == 'i' && size == 4) return tg::DType::i32;
  if (kind == 'i' && size == 8) return tg::DType::i64;
  if (kind == 'i' && size == 2) return tg::DType::i16;
  if (kind == 'u' && size == 1) return tg::DType::u8;
  if (kind == 'b') return tg::DType::boolean;
  return tg::DType::unknown;
}

tg::DType parse_dtype(const py::handle& obj) {
  if (obj.is_none()) return tg::DType::unknown;
  if (py::isinstance<py::str>(obj)) {  // TensorFlow's names, where numpy's differ ("float" is numpy's float64)
    const std::string name = obj.cast<std::string>();
    if (name == "float") return tg::DType::f32;
    if (name == "double") return tg::DType::f64;
  }
  py::dtype d = py::dtype::from_args(py::reinterpret_borrow<py::object>(obj));
  tg::DType t = from_numpy_dtype(d);
  if (t == tg::DType::unknown)
    throw tg::DTypeError("tensorgraph: unsupported dtype " + std::string(py::str(d)) +
                         " (use float32, float64, int32, int64, bool, int16 or uint8)");
  return t;
}

py::object to_numpy(const tg::Tensor& t) {
  if (!t.defined()) return py::none();
  if (t.nbytes() <= kCopyBytes) {  // NOTE: a small result is copied: cheaper than a capsule and a Tensor handle
    py::ssize_t dims[tg::kMaxRank];
    for (int i = 0; i < t.rank(); ++i) dims[i] = t.shape()[i];
    auto& api = py::detail::npy_api::get();
    PyObject* a = api.PyArray_NewFromDescr_(api.PyArray_Type_, to_numpy_dtype(t.dtype()).release().ptr(), t.rank(),
                                            dims, nullptr, nullptr, 0, nullptr);
    if (!a) throw py::error_already_set();
    if (t.nbytes()) std::memcpy(py::detail::array_proxy(a)->data, t.raw(), t.nbytes());
    return py::reinterpret_steal<py::object>(a);
  }
  std::vector<py::ssize_t> shape(t.shape().begin(), t.shape().end());
  auto* keep = new tg::Tensor(t);
  py::capsule owner(keep, [](void* p) { delete static_cast<tg::Tensor*>(p); });
  return py::array(to_numpy_dtype(t.dtype()), shape, {}, const_cast<void*>(t.raw()), owner);
}

namespace {

// Nested Python lists of floats and ints (the tutorial's feeds, e.g. [[x, y]]) parsed directly:
// numpy's array construction costs more than the whole run of a small graph. False: not such a
// list (numpy then decides).
bool parse_list(PyObject* obj, int depth, tg::Shape& shape, std::vector<double>& out) {
  if (PyList_Check(obj)) {
    const Py_ssize_t n = PyList_GET_SIZE(obj);
    if (depth >= tg::kMaxRank || n == 0) return false;
    if (depth == shape.rank()) shape.push_back(n);
    else if (shape[depth] != n) return false;  // ragged: numpy reports it
    for (Py_ssize_t i = 0; i < n; ++i)
      if (!parse_list(PyList_GET_ITEM(obj, i), depth + 1, shape, out)) return false;
    return true;
  }
  if (depth != shape.rank()) return false;
  if (PyFloat_Check(obj)) {  // also numpy.float64, a float subclass
    out.push_back(PyFloat_AS_DOUBLE(obj));
    return true;
  }
  if (PyLong_CheckExact(obj)) {
    const double v = PyLong_AsDouble(obj);
    if (v == -1.0 && PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
    out.push_back(v);
    return true;
  }
  return false;
}

// True if the array's bytes are in this machine's order (a '>f8' array on x86 is not: its bytes
// must be swapped by a conversion, never viewed).
bool native_byte_order(const py::dtype& d) {
  const char b = d.byteorder();
  return b == '=' || b == '|' || b == (std::endian::native == std::endian::little ? '<' : '>');
}

// The tensor keeps the array alive; released under the GIL, whichever thread drops it last.
tg::Tensor view_of_array(const py::array& a, tg::DType dtype, const tg::Shape& shape) {
  auto* keep = new py::object(a);
  std::shared_ptr<void> owner(keep, [](void* p) {
    py::gil_scoped_acquire gil;
    delete static_cast<py::object*>(p);
  });
  return tg::Tensor::view_of(dtype, shape, const_cast<void*>(a.data()), owner);  // never written
}

// Floats going into an integer tensor (class labels fed as floats) must be whole numbers in the
// integer type's range: numpy's conversion would truncate 1.7 to class 1 without a word (and
// wrap 40000 into int16's -25536).
template <class What>
void check_whole(py::module_& np, const py::object& arr, tg::DType want, const What& what) {
  double lo = 0, hi = 0;  // NOTE: hi exclusive (2^63 is exact as a double)
  tg::integer_range(want, lo, hi);
  py::object bad = np.attr("flatnonzero")(
      np.attr("logical_not")(np.attr("logical_and")(np.attr("equal")(arr, np.attr("trunc")(arr)),
                                                    np.attr("logical_and")(np.attr("greater_equal")(arr, lo),
                                                                           np.attr("less")(arr, hi)))));
  if (py::len(bad) == 0) return;
  const std::int64_t first = bad.attr("__getitem__")(0).cast<std::int64_t>();
  const double value = np.attr("ravel")(arr).attr("__getitem__")(first).cast<double>();
  std::ostringstream os;
  os << what() << ": " << value << " (flat index " << first << ") is not a whole number in "
     << tg::dtype_name(want) << "'s range; " << py::len(bad) << " such value" << (py::len(bad) > 1 ? "s" : "")
     << ". Floats become " << tg::dtype_name(want) << " only when whole: round or cast them first";
  throw tg::DTypeError(os.str());
}

}  // namespace

tg::Tensor from_python(const py::handle& obj, tg::DType want, bool copy, const char* what_, const tg::Node* fed) {
  // The label for error messages, built only when one is raised.
  auto what = [&] { return fed ? "feed of '" + fed->name() + "'" : std::string(what_); };
  if (PyList_Check(obj.ptr()) && (want == tg::DType::unknown || tg::is_floating(want))) {
    tg::Shape shape;
    std::vector<double> values;
    if (parse_list(obj.ptr(), 0, shape, values)) {
      tg::Tensor t = tg::Tensor::copy_of(tg::DType::f64, shape, values.data(), values.size());
      return want == tg::DType::f32 ? t.astype(tg::DType::f32) : t;
    }
  }
  if (py::isinstance<py::array>(obj) && !copy) {  // fast path: already the right layout
    py::array a = py::reinterpret_borrow<py::array>(obj);
    const tg::DType have = from_numpy_dtype(a.dtype());
    if (have != tg::DType::unknown && (want == tg::DType::unknown || want == have) && a.ndim() <= tg::kMaxRank &&
        (a.flags() & py::array::c_style) && (a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_) &&
        native_byte_order(a.dtype())) {
      tg::Shape shape;
      for (py::ssize_t i = 0; i < a.ndim(); ++i) shape.push_back(a.shape(i));
      return view_of_array(a, have, shape);
    }
  }
  // Never destroyed: a static py::object would be released at exit, after the interpreter is
  // finalised, and crash the process (segfault in ~module_).
  static py::module_& np = *new py::module_(py::module_::import("numpy"));
  py::object arr;
  if (py::isinstance<py::array>(obj)) {
    arr = py::reinterpret_borrow<py::object>(obj);
  } else {
    try {
      arr = np.attr("asarray")(obj);
    } catch (py::error_already_set& e) {
      // numpy's ValueError here is an inhomogeneous (ragged) nesting: a shape problem
      if (e.matches(PyExc_ValueError))
        throw tg::ShapeError(what() + ": cannot make an array of this value: " + e.what());
      throw ArgumentValueError(what() + ": cannot make an array of this value: " + e.what());
    }
    // NOTE: Python numbers and lists are float64 unless a dtype is asked for, as in the tutorial;
    // True and False stay bool (TensorFlow's constant(True) is bool: dropout's training flag). A
    // numpy scalar (np.float32(2), np.int16(7)) keeps its dtype, as a numpy array does.
    const char kind = py::dtype(arr.attr("dtype")).kind();
    const bool numpy_scalar = py::isinstance(obj, np.attr("generic"));
    if (want == tg::DType::unknown && !numpy_scalar && (kind == 'i' || kind == 'u' || kind == 'f')) want = tg::DType::f64;
  }
  py::dtype dt = arr.attr("dtype");
  if (dt.kind() == 'O' || dt.kind() == 'U' || dt.kind() == 'S')
    throw tg::DTypeError(what() + ": expected numbers, got an array of dtype " + std::string(py::str(dt)) +
                         " (strings, None, ragged nested lists or ints beyond int64?)");
  // NOTE: numpy would drop the imaginary part with only a warning.
  if (dt.kind() == 'c')
    throw tg::DTypeError(what() + ": complex values (dtype " + std::string(py::str(dt)) +
                         ") are not supported; pass .real or abs() explicitly");
  tg::DType have = from_numpy_dtype(dt);
  if (want == tg::DType::unknown) {
    if (have == tg::DType::unknown)
      throw tg::DTypeError(what() + ": unsupported dtype " + std::string(py::str(dt)) +
                           " (use float32, float64, int32, int64, bool, int16 or uint8)");
    want = have;
  }
  // NOTE: and integers into a narrower integer type (40000 into int16), which numpy would wrap
  if (tg::is_integer(want) && (dt.kind() == 'f' || ((dt.kind() == 'i' || dt.kind() == 'u') &&
                                                    !dt.equal(to_numpy_dtype(want)))))
    check_whole(np, arr, want, what);
  // asarray(order="C"), not ascontiguousarray: that one turns 0-d values (scalars) into shape [1].
  arr = np.attr("asarray")(arr, to_numpy_dtype(want), "C");
  py::array a = arr;
  tg::Shape shape;
  if (a.ndim() > tg::kMaxRank)
    throw tg::ShapeError(what() + ": " + std::to_string(a.ndim()) + " dimensions, more than the 8 supported");
  for (py::ssize_t i = 0; i < a.ndim(); ++i) shape.push_back(a.shape(i));
  if (copy) return tg::Tensor::copy_of(want, shape, a.data(), static_cast<std::size_t>(a.size()));
  return view_of_array(a, want, shape);
}

}  // namespace tgpy
