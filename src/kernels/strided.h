#pragma once
// A row-major walk over a shape that keeps K memory offsets, each moving by its own per-axis
// stride (0 for a broadcast or reduced axis): the one loop behind broadcasting, reductions and
// transposes.
#include <cstdint>

#include "tensorgraph/shape.h"

namespace tg::kernels {

class StridedWalk {
 public:
  /// Walks axes [0, last] of `shape`.
  StridedWalk(const Shape& shape, int last) : shape_(shape), last_(last) {}
  /// Steps to the next multi-index, moving offset k by strides[k][axis].
  template <int K> void next(std::int64_t (&offset)[K], const std::int64_t* const (&strides)[K]) {
    for (int d = last_; d >= 0; --d) {
      for (int k = 0; k < K; ++k) offset[k] += strides[k][d];
      if (++idx_[d] < shape_[d]) return;
      for (int k = 0; k < K; ++k) offset[k] -= strides[k][d] * shape_[d];
      idx_[d] = 0;
    }
  }

 private:
  const Shape& shape_;
  int last_;
  std::int64_t idx_[kMaxRank] = {};
};

}  // namespace tg::kernels
