// resolve_slice: a strided_slice specification (TensorFlow's begin, end, strides and masks) against a
// shape, with python's rules for each index; shared by strided_slice and strided_slice_grad.
#include <algorithm>
#include <string>

#include "strided_slice.h"

namespace tg::ops {

ResolvedSlice resolve_slice(const Shape& in, const SliceSpec& a, const char* what) {
  auto fail = [&](const std::string& m) { throw ShapeError(std::string(what) + ": " + m); };
  const std::size_t n = a.begin.size();
  if (a.end.size() != n || (!a.strides.empty() && a.strides.size() != n))
    fail("begin, end and strides must have one entry per index, got " + std::to_string(n) + ", " +
         std::to_string(a.end.size()) + " and " + std::to_string(a.strides.size()));
  if (n > 2 * kMaxRank + 1) fail(std::to_string(n) + " indices, more than any shape of rank <= 8 takes");
  auto bit = [](std::int64_t mask, std::size_t i) { return ((mask >> i) & 1) != 0; };
  auto stride = [&](std::size_t i) { return a.strides.empty() ? std::int64_t{1} : a.strides[i]; };
  int ellipsis = -1, consumed = 0;  // the `...` entry; the entries that index a dimension of x
  for (std::size_t i = 0; i < n; ++i) {
    if (stride(i) == 0) fail("the step of index " + std::to_string(i) + " is 0");
    if (bit(a.ellipsis_mask, i)) {
      if (ellipsis >= 0) fail("more than one ellipsis (...)");
      ellipsis = static_cast<int>(i);
    } else if (!bit(a.new_axis_mask, i)) {
      ++consumed;
    }
  }
  ResolvedSlice r;
  if (!in.rank_known()) {
    r.out = Shape::unknown_rank();
    return r;
  }
  const int rank = in.rank();
  if (consumed > rank)
    fail("too many indices for " + in.str() + ": " + std::to_string(consumed) + " for " + std::to_string(rank) +
         " dimensions");
  int d = 0;  // the next dimension of x
  auto whole = [&] {
    r.dims[d] = {0, 1, in[d]};
    r.out.push_back(in[d++]);
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (static_cast<int>(i) == ellipsis) {
      for (int k = rank - consumed; k > 0; --k) whole();
      continue;
    }
    if (bit(a.new_axis_mask, i)) {  // NOTE: before shrink, as TensorFlow: x[None] with both bits is a new axis
      r.out.push_back(1);
      continue;
    }
    const std::int64_t dim = in[d], step = stride(i);
    SliceDim& s = r.dims[d++];
    if (bit(a.shrink_axis_mask, i)) {  // an integer index: one element, the dimension goes
      if (step < 0) fail("index " + std::to_string(i) + " is an integer with a negative step");
      const std::int64_t k = a.begin[i] < 0 && dim >= 0 ? a.begin[i] + dim : a.begin[i];
      if (dim >= 0 && (k < 0 || k >= dim))
        fail("index " + std::to_string(a.begin[i]) + " is out of range for dimension " + std::to_string(d - 1) +
             " of " + in.str());
      s = {k, 1, 1};
      continue;
    }
    if (dim < 0) {  // unknown until run time
      s.step = step;
      r.out.push_back(kUnknownDim);
      continue;
    }
    // python's slice.indices: a bound counts from the end when negative, then clamps.
    auto bound = [&](std::int64_t v, bool masked, bool is_begin) -> std::int64_t {
      if (masked) return step > 0 ? (is_begin ? 0 : dim) : (is_begin ? dim - 1 : -1);
      if (v < 0) v += dim;
      return step > 0 ? std::clamp<std::int64_t>(v, 0, dim) : std::clamp<std::int64_t>(v, -1, dim - 1);
    };
    const std::int64_t b = bound(a.begin[i], bit(a.begin_mask, i), true);
    const std::int64_t len = bound(a.end[i], bit(a.end_mask, i), false) - b;
    // NOTE: |step| as unsigned: -INT64_MIN does not fit an int64.
    const std::uint64_t abs_step = step > 0 ? static_cast<std::uint64_t>(step) : 0 - static_cast<std::uint64_t>(step);
    const std::uint64_t abs_len = static_cast<std::uint64_t>(len < 0 ? -len : len);
    const bool empty = len == 0 || (len < 0) != (step < 0);
    s = {b, step, empty ? 0 : static_cast<std::int64_t>(1 + (abs_len - 1) / abs_step)};
    r.out.push_back(s.count);
  }
  while (ellipsis < 0 && d < rank) whole();  // an implicit `...` at the end
  return r;
}

}  // namespace tg::ops
