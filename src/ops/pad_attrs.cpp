// pad's attributes, shape rule and index map (see pad.h).
#include <algorithm>
#include <cctype>
#include <functional>

#include "pad.h"

namespace tg::ops {

const AttrSchema kPadAttrs = AttrSchema::of<PadAttrs>({{"paddings", &PadAttrs::paddings},
                                                       {"mode", &PadAttrs::mode},
                                                       {"constant_values", &PadAttrs::constant_values}});

PadMode pad_mode(const std::string& mode, const char* what) {
  std::string m = mode;
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  if (m == "CONSTANT") return PadMode::constant;
  if (m == "REFLECT") return PadMode::reflect;
  if (m == "SYMMETRIC") return PadMode::symmetric;
  throw ShapeError(std::string(what) + ": mode must be \"CONSTANT\", \"REFLECT\" or \"SYMMETRIC\", got \"" + mode + "\"");
}

Shape padded_shape(const Shape& in, const PadAttrs& a, bool grow, const char* what) {
  const PadMode mode = pad_mode(a.mode, what);
  const std::vector<std::int64_t>& p = a.paddings;
  if (p.size() % 2) throw ShapeError(std::string(what) + ": argument 'paddings' must be pairs [before, after]");
  if (std::any_of(p.begin(), p.end(), [](std::int64_t v) { return v < 0; }))
    throw ShapeError(std::string(what) + ": argument 'paddings' must be >= 0");
  const int rank = static_cast<int>(p.size() / 2);
  if (!in.rank_known()) return Shape::unknown_dims(rank);
  if (in.rank() != rank)
    throw ShapeError(std::string(what) + ": argument 'paddings' has " + std::to_string(rank) +
                     " rows, one per axis of a tensor of rank " + std::to_string(in.rank()));
  Shape out = in;
  for (int i = 0; i < rank; ++i) {
    const std::int64_t before = p[2 * i], after = p[2 * i + 1], total = before + after;
    if (in[i] < 0) continue;
    const std::int64_t size = grow ? in[i] : in[i] - total;  // the unpadded size
    if (size < 0)
      throw ShapeError(std::string(what) + ": axis " + std::to_string(i) + " of size " + std::to_string(in[i]) +
                       " is smaller than its paddings");
    const std::int64_t limit = mode == PadMode::reflect ? size - 1 : size;  // TensorFlow's bound
    if (mode != PadMode::constant && (before > limit || after > limit))
      throw ShapeError(std::string(what) + ": " + (mode == PadMode::reflect ? "REFLECT" : "SYMMETRIC") +
                       " paddings must be " + (mode == PadMode::reflect ? "less than" : "at most") +
                       " the dimension size: axis " + std::to_string(i) + " has " + std::to_string(size) +
                       ", paddings [" + std::to_string(before) + ", " + std::to_string(after) + "]");
    out[i] = grow ? size + total : size;
  }
  return out;
}

void for_each_padded(const Shape& in, const PadAttrs& a, const std::function<void(std::int64_t, std::int64_t)>& f) {
  const PadMode mode = pad_mode(a.mode, "pad");
  const int rank = in.rank();
  // src[d][j]: the input index along axis d of output index j (-1: the constant).
  std::vector<std::vector<std::int64_t>> src(static_cast<std::size_t>(rank));
  std::vector<std::int64_t> stride(static_cast<std::size_t>(rank), 1), idx(static_cast<std::size_t>(rank), 0);
  std::int64_t total = 1;
  for (int d = rank - 1; d >= 0; --d) {
    const std::int64_t n = in[d], before = a.paddings[2 * d], out = n + before + a.paddings[2 * d + 1];
    if (d + 1 < rank) stride[d] = stride[d + 1] * in[d + 1];
    for (std::int64_t j = 0; j < out; ++j) {
      std::int64_t i = j - before;
      if (mode == PadMode::reflect) i = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
      if (mode == PadMode::symmetric) i = i < 0 ? -i - 1 : i >= n ? 2 * n - 1 - i : i;
      src[d].push_back(i >= 0 && i < n ? i : -1);
    }
    total *= out;
  }
  for (std::int64_t o = 0; o < total; ++o) {
    std::int64_t at = 0;
    for (int d = 0; d < rank && at >= 0; ++d) {
      const std::int64_t i = src[d][idx[d]];
      at = i < 0 ? -1 : at + i * stride[d];
    }
    f(o, at);
    for (int d = rank - 1; d >= 0; --d) {  // the next output index, row-major
      if (++idx[d] < static_cast<std::int64_t>(src[d].size())) break;
      idx[d] = 0;
    }
  }
}

}  // namespace tg::ops
