#include "window.h"

#include <algorithm>

#include "tensorgraph/error.h"

namespace tg::kernels {

Padding parse_padding(const std::string& s, const char* what) {
  if (s == "SAME" || s == "same") return Padding::same;
  if (s == "VALID" || s == "valid") return Padding::valid;
  throw ShapeError(std::string(what) + ": padding must be \"SAME\" or \"VALID\", got \"" + s + "\"");
}

Window window(std::int64_t in, std::int64_t k, std::int64_t stride, std::int64_t dilation, Padding p,
              const char* what) {
  Window w;
  if (in < 0) return w;
  const std::int64_t k_eff = (k - 1) * dilation + 1;
  if (p == Padding::valid) {
    if (k_eff > in)
      throw ShapeError(std::string(what) + ": VALID padding with a window of " + std::to_string(k_eff) +
                       " (dilated) on an input of " + std::to_string(in) + ": the output would be empty");
    w.out = (in - k_eff) / stride + 1;
    return w;
  }
  w.out = (in + stride - 1) / stride;
  const std::int64_t total = std::max<std::int64_t>((w.out - 1) * stride + k_eff - in, 0);
  w.pad_before = total / 2;
  w.pad_after = total - w.pad_before;
  return w;
}

DataFormat parse_data_format(const std::string& s, const char* what) {
  if (s == "NHWC") return DataFormat::nhwc;
  if (s == "NCHW") return DataFormat::nchw;
  throw ShapeError(std::string(what) + ": data_format must be \"NHWC\" or \"NCHW\", got \"" + s + "\"");
}

Image image_of(const Shape& s, DataFormat f, const char* what) {
  if (!s.rank_known()) return {};
  if (s.rank() != 4)
    throw ShapeError(std::string(what) + ": expected a 4-D batch of images (" +
                     (f == DataFormat::nhwc ? "NHWC" : "NCHW") + "), got shape " + s.str());
  return f == DataFormat::nhwc ? Image{s[0], s[1], s[2], s[3]} : Image{s[0], s[2], s[3], s[1]};
}

Shape shape_of(const Image& im, DataFormat f) {
  return f == DataFormat::nhwc ? Shape{im.n, im.h, im.w, im.c} : Shape{im.n, im.c, im.h, im.w};
}

std::vector<std::int64_t> spatial_pair(const std::vector<std::int64_t>& four, DataFormat f, const char* what,
                                       const char* attr) {
  const bool nhwc = f == DataFormat::nhwc;
  auto bad = [&](const std::string& why) {
    std::string list = "[";
    for (std::size_t i = 0; i < four.size(); ++i) list += (i ? ", " : "") + std::to_string(four[i]);
    throw ShapeError(std::string(what) + ": " + attr + " " + list + "]: " + why);
  };
  if (four.size() != 4) bad("expected 4 entries, in the data format's order");
  if (std::any_of(four.begin(), four.end(), [](std::int64_t v) { return v < 1; })) bad("entries must be >= 1");
  if (four[0] != 1 || four[nhwc ? 3 : 1] != 1) bad("the batch and channel entries must be 1");
  return nhwc ? std::vector<std::int64_t>{four[1], four[2]} : std::vector<std::int64_t>{four[2], four[3]};
}

}  // namespace tg::kernels
