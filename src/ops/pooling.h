#pragma once
// Shared by max_pool, avg_pool and their gradient ops: TensorFlow's pooling attributes (4-entry
// ksize and strides in the data format's order, SAME/VALID, NHWC/NCHW) and the geometry they give.
#include "../kernels/pooling.h"
#include "op_helpers.h"
#include "tensorgraph/nn.h"

namespace tg::ops {

struct PoolAttrs {
  std::vector<std::int64_t> ksize{1, 1, 1, 1};    // the window, in the data format's order
  std::vector<std::int64_t> strides{1, 1, 1, 1};  // the steps, in the data format's order
  std::string padding = "VALID";                  // "SAME" or "VALID"
  std::string data_format = "NHWC";               // "NHWC" or "NCHW"
};
extern const AttrSchema kPoolAttrs;

/// The pooled shape of `x` (unknown dimensions stay unknown); ShapeError naming `what` (the op and
/// the argument) for bad attributes or an input that is not a 4-D batch of images.
Shape pooled_shape(const Shape& x, const PoolAttrs& a, const char* what);
/// The geometry of pooling a concrete `x`.
kernels::PoolGeom pool_geom(const Shape& x, const PoolAttrs& a, const char* what);
/// The shape rule of max_pool and avg_pool (named `what`): a float 4-D batch of images, pooled.
TypeShape infer_pool(const InferCtx& c, const char* what);
/// The shape rule of a pooling gradient: `grad` (input `g`) must have the pooled shape of input 0;
/// returns input `out`'s dtype and shape.
TypeShape infer_pool_grad(const InferCtx& c, int g, int out, const char* what);

}  // namespace tg::ops
