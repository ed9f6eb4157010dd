#pragma once
// What gather and gather_grad share: the axis attribute, the shape rule and the index walk.
#include "op_helpers.h"

namespace tg::ops {
struct GatherAttrs {
  std::int64_t axis = 0;  // the axis of params that indices pick from, negative counted from the end
};
extern const AttrSchema kGatherAttrs;

/// params.shape[:axis] + indices.shape + params.shape[axis + 1:] (partial shapes allowed).
Shape gathered_shape(const Shape& params, const Shape& indices, std::int64_t axis, const char* what);
/// Throws unless `indices` holds int32 or int64 (or is unknown).
void require_index_dtype(DType d, const char* what);

/// Calls f(params_offset, out_offset) in elements for each gathered block of `inner` elements;
/// an index outside [0, dim) is a ShapeError naming the node.
template <class F>
void for_each_gathered(const Shape& params, const Tensor& indices, int axis, const std::string& node, F f) {
  std::int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= params[i];
  for (int i = axis + 1; i < params.rank(); ++i) inner *= params[i];
  const std::int64_t dim = params[axis], n = indices.size();
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j = 0; j < n; ++j) {
      const auto k = static_cast<std::int64_t>(indices.flat(j));
      if (k < 0 || k >= dim)
        throw ShapeError("gather '" + node + "': index " + std::to_string(k) + " at position " + std::to_string(j) +
                         " is outside [0, " + std::to_string(dim) + ")");
      f((o * dim + k) * inner, (o * n + j) * inner, inner);
    }
  }
}
}  // namespace tg::ops
