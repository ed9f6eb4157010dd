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
/// matmul's shape rule (numpy dot for rank <= 2): operands 1-D or 2-D, transposes on 2-D only,
/// equal inner dimensions where known; the product's dtype and shape. matmul_grad checks with it.
TypeShape matmul_type(const TypeShape& a, const TypeShape& b, bool transpose_a, bool transpose_b);
/// Output shape of a reduction over `attrs` axes (all when all_axes), with keepdims.
Shape reduced_shape(const Shape& in, const Attrs& attrs, const char* what);
/// The adjoint of a reduction with `attrs`: dy spread back over x's shape (divided by the count
/// when `mean`).
Node unreduce(const Node& dy, const Node& x, const Attrs& reduction, bool mean);
/// cast(x, like's dtype); throws GraphError naming `what` when that dtype is not known.
Node cast_like(const Node& x, const Node& like, const char* what);
/// Attrs of a reduction over `axis`.
Attrs reduction_attrs(const Axes& axis, bool keepdims);
/// "" when every element of x is finite (always for ints and bools), else e.g. "2 NaN and 1 Inf
/// values among 6 (float64 [2, 3]); the first at flat index 4 [1, 1] is nan" (check_numerics).
std::string describe_non_finite(const Tensor& x);

}  // namespace tg::ops
