#pragma once
// Shared by strided_slice and its adjoint strided_slice_grad: TensorFlow's slice specification
// (begin, end, strides and five bit masks, bit i describing entry i) resolved against a shape.
#include "../kernels/strided.h"
#include "op_helpers.h"

namespace tg::ops {

using StridedSliceAttrs = SliceSpec;  // declared in tensorgraph/ops.h: builders fill it by name
extern const AttrSchema kStridedSliceAttrs;

/// What a slice takes of one input dimension: `count` elements start, start + step, ...
struct SliceDim {
  std::int64_t start = 0, step = 1, count = 0;
};
/// A slice resolved against an input shape: one SliceDim per input dimension, the output shape.
struct ResolvedSlice {
  SliceDim dims[kMaxRank];
  Shape out;
};
/// Resolves `a` against `in` with python's rules (out-of-range slice bounds clamp, an integer
/// index out of range is a ShapeError). Unknown dimensions (build time) give unknown output
/// dimensions, an unknown rank an unknown rank. Errors name `what`.
ResolvedSlice resolve_slice(const Shape& in, const StridedSliceAttrs& a, const char* what);

/// Calls f(x_offset, i, n, step) for each run of the slice along x's last dimension: the slice's
/// elements i, i + 1, ..., i + n - 1 are x's elements x_offset, x_offset + step, ... (row-major order;
/// an input of shape `in`, every dimension known). Kernels copy a run with step 1 as one block.
template <class F> void for_each_sliced_run(const Shape& in, const ResolvedSlice& r, F f) {
  const int rank = in.rank();
  if (rank == 0) return f(std::int64_t{0}, std::int64_t{0}, std::int64_t{1}, std::int64_t{1});
  Shape counts;  // the slice over x's dimensions (an index counts 1, a new axis nothing)
  std::int64_t step[kMaxRank], offset[1] = {0}, outer = 1, stride = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const SliceDim& s = r.dims[d];
    offset[0] += s.start * stride;
    step[d] = s.count > 1 ? s.step * stride : 0;  // NOTE: a lone element's step may be huge: unused
    stride *= in[d];
  }
  for (int d = 0; d < rank; ++d) counts.push_back(r.dims[d].count);
  for (int d = 0; d + 1 < rank; ++d) outer *= counts[d];
  const std::int64_t inner = counts[rank - 1], inner_step = r.dims[rank - 1].step;
  if (inner == 0) return;
  const std::int64_t* const steps[1] = {step};
  kernels::StridedWalk walk(counts, rank - 2);
  for (std::int64_t o = 0; o < outer; ++o) {
    f(offset[0], o * inner, inner, inner_step);
    walk.next(offset, steps);
  }
}

}  // namespace tg::ops
