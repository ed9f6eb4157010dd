// zeros, ones and fill: constants (not ops), as TensorFlow folds them; float32 unless told.
#include "op_helpers.h"

namespace tg {
namespace {
Node filled(const Shape& dims, double value, DType dtype, const std::string& name, const char* what) {
  if (!dims.rank_known()) throw ShapeError(std::string(what) + ": the shape must be known, got " + dims.str());
  for (std::int64_t d : dims)
    if (d < 0) throw ShapeError(std::string(what) + ": every dimension must be known and >= 0, got " + dims.str());
  if (dtype == DType::unknown) throw DTypeError(std::string(what) + ": the dtype must be known");
  ops::require_fits(value, dtype, what);
  return constant(Tensor::full(dims, value, dtype), name);
}
}  // namespace

Node fill(const Shape& dims, double value, DType dtype, const std::string& name) {
  return filled(dims, value, dtype, name, "fill");
}
Node zeros(const Shape& shape, DType dtype, const std::string& name) { return filled(shape, 0, dtype, name, "zeros"); }
Node ones(const Shape& shape, DType dtype, const std::string& name) { return filled(shape, 1, dtype, name, "ones"); }

}  // namespace tg
