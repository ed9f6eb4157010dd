#include "op_helpers.h"

#include <cmath>
#include <sstream>

#include "../graph/graph_impl.h"
#include "op_list.h"

namespace tg::ops {

DType common_dtype(const TypeShape& a, const TypeShape& b) {
  if (a.dtype == DType::unknown) return b.dtype;
  if (b.dtype == DType::unknown || a.dtype == b.dtype) return a.dtype;
  throw DTypeError("dtypes differ: " + dtype_name(a.dtype) + " vs " + dtype_name(b.dtype) +
                   " (cast one input first)");
}

void require_float(DType d, const char* what) {
  if (d != DType::unknown && !is_floating(d))
    throw DTypeError(std::string(what) + " needs float32 or float64, got " + dtype_name(d));
}

bool agree(const Shape& a, const Shape& b) {
  if (!a.rank_known() || !b.rank_known()) return true;
  if (a.rank() != b.rank()) return false;
  for (int i = 0; i < a.rank(); ++i)
    if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
  return true;
}

void require_fits(double value, DType d, const char* what) {
  double lo = 0, hi = 0;  // NOTE: hi exclusive, exact
  integer_range(d, lo, hi);
  if (is_integer(d) && !(value >= lo && value < hi))  // NaN fails too
    throw DTypeError(std::string(what) + ": value " + std::to_string(value) + " does not fit " + dtype_name(d));
}

TypeShape infer_broadcast(const InferCtx& c) {
  TypeShape out;
  out.dtype = common_dtype(c.input(0), c.input(1));
  if (!broadcast_shapes(c.input(0).shape, c.input(1).shape, out.shape))
    throw ShapeError("shapes " + c.input(0).shape.str() + " and " + c.input(1).shape.str() +
                     " cannot be broadcast together (numpy rules: trailing dims equal or 1)");
  return out;
}

TypeShape infer_arith(const InferCtx& c) {
  for (int i = 0; i < 2; ++i)
    if (c.input(i).dtype == DType::boolean)
      throw DTypeError("arithmetic on bool is not supported (cast to a number first)");
  return infer_broadcast(c);
}

Node cast_like(const Node& x, const Node& like, const char* what) {
  if (like.dtype() == DType::unknown)
    throw GraphError(std::string(what) + ": the gradient of '" + like.name() +
                     "' needs its dtype; give the placeholder it depends on a dtype");
  return cast(x, like.dtype());
}

TypeShape infer_float_unary(const InferCtx& c) {
  require_float(c.input(0).dtype, "this op");
  return c.input(0);
}

Shape reduced_shape(const Shape& in, const ReduceAttrs& attrs, const char* what) {
  if (!in.rank_known()) return Shape::unknown_rank();
  bool reduce[kMaxRank] = {};
  if (attrs.all_axes) {
    for (int i = 0; i < in.rank(); ++i) reduce[i] = true;
  } else {
    for (auto a : attrs.axes) {
      int k = normalize_axis(a, in.rank(), what);
      if (reduce[k]) throw ShapeError(std::string(what) + ": axis " + std::to_string(a) + " repeated");
      reduce[k] = true;
    }
  }
  Shape out;
  for (int i = 0; i < in.rank(); ++i) {
    if (!reduce[i]) out.push_back(in[i]);
    else if (attrs.keepdims) out.push_back(1);
  }
  return out;
}


}  // namespace tg::ops
