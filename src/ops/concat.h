#pragma once
// What concat and concat_grad share: the axis attribute and the block copy along it.
#include <cstring>

#include "op_helpers.h"

namespace tg::ops {
struct ConcatAttrs {
  std::int64_t axis = 0;   // the joined axis, negative counted from the end
  std::int64_t index = 0;  // concat_grad: which input's part of dy
};
extern const AttrSchema kConcatAttrs;

/// The shape of inputs [first, last) joined along `axis` (partial shapes allowed); checks dtypes and
/// that the other dimensions agree. Sets `axis` to the normalised axis (or -1 when the rank is unknown).
TypeShape concat_type(const InferCtx& c, int first, int last, int& axis, const char* what);

/// Size of the dimensions of `s` before `axis` (outer) and from `axis` on (the row copied).
inline void split_at(const Shape& s, int axis, std::int64_t& outer, std::int64_t& row) {
  outer = 1, row = 1;
  for (int i = 0; i < s.rank(); ++i) (i < axis ? outer : row) *= s[i];
}
/// Copies `rows` rows of `n` bytes from src (stride src_stride) to dst (stride dst_stride).
inline void copy_rows(const char* src, std::int64_t src_stride, char* dst, std::int64_t dst_stride, std::int64_t rows,
                      std::int64_t n) {
  if (n == 0) return;
  for (std::int64_t r = 0; r < rows; ++r)
    std::memcpy(dst + r * dst_stride, src + r * src_stride, static_cast<std::size_t>(n));
}
}  // namespace tg::ops
