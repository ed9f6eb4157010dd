#pragma once
// The geometry of a sliding window (convolution, pooling) along one spatial axis, with
// TensorFlow's padding arithmetic:
//   VALID: out = ceil((in - k_eff + 1) / stride), no padding;
//   SAME:  out = ceil(in / stride), pad_total = max((out - 1)·stride + k_eff - in, 0),
//          pad_before = floor(pad_total / 2), pad_after = the rest (the extra one goes after);
// where k_eff = (k - 1)·dilation + 1.
// And the layout of a 4-D image batch (NHWC, TensorFlow's default, or NCHW).
#include <cstdint>
#include <string>
#include <vector>

#include "tensorgraph/shape.h"

namespace tg::kernels {

enum class Padding { same, valid };
/// "SAME" or "VALID" (TensorFlow's spelling; lower case accepted); ShapeError naming `what` otherwise.
Padding parse_padding(const std::string& s, const char* what);

struct Window {
  std::int64_t out = -1;  // -1 when the input size is unknown (build time)
  std::int64_t pad_before = 0, pad_after = 0;
};
/// One axis: `in` (-1: unknown), kernel size `k`, `stride`, `dilation` (all >= 1). VALID with a
/// kernel larger than the input is a ShapeError naming `what`.
Window window(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation, Padding p,
              const char* what);

enum class DataFormat { nhwc, nchw };
/// "NHWC" or "NCHW"; ShapeError naming `what` otherwise.
DataFormat parse_data_format(const std::string& s, const char* what);

/// A 4-D batch of images by meaning (sizes -1 where unknown).
struct Image {
  std::int64_t n = -1, h = -1, w = -1, c = -1;
};
/// Reads a rank-4 (or unknown-rank: all -1) shape in `f`; ShapeError naming `what` for another rank.
Image image_of(const Shape& s, DataFormat f, const char* what);
/// The shape of `im` in `f`.
Shape shape_of(const Image& im, DataFormat f);
/// TensorFlow's 4-entry strides/ksize/dilations (in the data format's order) as {along H, along W};
/// ShapeError naming `what` unless there are 4 entries, all >= 1, and those of N and C are 1.
std::vector<std::int64_t> spatial_pair(const std::vector<std::int64_t>& four, DataFormat f, const char* what,
                                       const char* attr);

}  // namespace tg::kernels
