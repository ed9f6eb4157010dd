#pragma once
// Shape rules and gradient building blocks shared by several ops.
#include <string>

#include "tensorgraph/ops.h"
#include "op_list.h"
#include "tensorgraph/op_def.h"

namespace tg::ops {

/// Both dtypes equal (unknown matches anything); returns the known one.
DType common_dtype(const TypeShape& a, const TypeShape& b);
/// Element-wise binary rule: equal dtypes, numpy-broadcast shapes.
TypeShape infer_broadcast(const InferCtx& c);
/// infer_broadcast for arithmetic: bool is refused.
TypeShape infer_arith(const InferCtx& c);
/// Element-wise unary rule on floats: output = input.
TypeShape infer_float_unary(const InferCtx& c);
/// Throws DTypeError unless d is a float dtype (or unknown, at build time).
void require_float(DType d, const char* what);
/// Whether two partial shapes can be the same shape (unknown ranks and dimensions match anything).
bool agree(const Shape& a, const Shape& b);
/// Throws DTypeError naming `what` if `value` does not fit integer dtype d (NaN does not).
void require_fits(double value, DType d, const char* what);
/// matmul's shape rule (numpy dot for rank <= 2): operands 1-D or 2-D, transposes on 2-D only,
/// equal inner dimensions where known; the product's dtype and shape. matmul_grad checks with it.
TypeShape matmul_type(const TypeShape& a, const TypeShape& b, bool transpose_a, bool transpose_b);
/// The attributes of the reductions (reduce_sum, reduce_mean, reduce_max).
struct ReduceAttrs {
  std::vector<std::int64_t> axes;  // the reduced axes, negative ones counted from the end
  bool all_axes = false;           // every axis (axis=None)
  bool keepdims = false;           // reduced axes stay, as 1s
};
extern const AttrSchema kReduceAttrs;
/// Output shape of a reduction of `in`.
Shape reduced_shape(const Shape& in, const ReduceAttrs& r, const char* what);
/// The adjoint of a reduction `r`: dy spread back over x's shape (divided by the count when
/// `mean`); a broadcast_like node.
Node unreduce(const Node& dy, const Node& x, const ReduceAttrs& r, bool mean);
/// cast(x, like's dtype); throws GraphError naming `what` when that dtype is not known.
Node cast_like(const Node& x, const Node& like, const char* what);
/// The attributes of a reduction over `axis`.
ReduceAttrs reduction_attrs(const Axes& axis, bool keepdims);
/// A braced list of axes as Axes: {} is every axis (as Axes{}), {0, 1} those axes.
inline Axes braced_axes(std::initializer_list<std::int64_t> axis) { return axis.size() ? Axes(axis) : Axes(); }

}  // namespace tg::ops
