// split, stack, unstack, slice, reverse and expand_dims: composed of strided_slice and concat, not
// ops of their own, so their gradients come for free (strided_slice_grad, concat_grad).
#include "op_helpers.h"

namespace tg {
namespace {
// One index entry of a SliceSpec (python's x[...] term).
struct Entry {
  std::int64_t begin = 0, end = 0, stride = 1;
  bool full = false, new_axis = false, shrink = false;
};
void push(SliceSpec& s, const Entry& e) {
  const std::int64_t bit = std::int64_t{1} << s.begin.size();
  s.begin.push_back(e.begin), s.end.push_back(e.end), s.strides.push_back(e.stride);
  if (e.full) s.begin_mask |= bit, s.end_mask |= bit;
  if (e.new_axis) s.new_axis_mask |= bit;
  if (e.shrink) s.shrink_axis_mask |= bit;
}
// x[:, ..., :, e] with `e` at `axis` (from the front), or x[..., e, :, ..., :] (negative axis,
// counted from the back, which needs no rank).
SliceSpec along(std::int64_t axis, const Entry& e) {
  SliceSpec s;
  if (axis >= 0) {
    for (std::int64_t i = 0; i < axis; ++i) push(s, {.full = true});
    push(s, e);
    return s;
  }
  push(s, {});
  s.ellipsis_mask = 1;
  push(s, e);
  for (std::int64_t i = axis + 1; i < 0; ++i) push(s, {.full = true});
  return s;
}
std::int64_t known_dim(const Node& x, std::int64_t axis, const char* what) {
  const Shape& s = x.shape();
  if (!s.rank_known()) throw ShapeError(std::string(what) + ": the rank of '" + x.name() + "' must be known");
  const int a = normalize_axis(axis, s.rank(), what);
  if (s[a] < 0)
    throw ShapeError(std::string(what) + ": dimension " + std::to_string(a) + " of '" + x.name() + "' " + s.str() +
                     " must be known when the graph is built");
  return s[a];
}
std::string part(const std::string& name, std::size_t i) { return name.empty() ? name : name + "_" + std::to_string(i); }
}  // namespace

std::vector<Node> split(const Node& x, const std::vector<std::int64_t>& size_splits, std::int64_t axis,
                        const std::string& name) {
  const std::int64_t dim = known_dim(x, axis, "split");
  std::int64_t total = 0, rest = -1;
  for (std::size_t i = 0; i < size_splits.size(); ++i) {
    if (size_splits[i] == -1 && rest < 0) rest = static_cast<std::int64_t>(i);
    else if (size_splits[i] < 0) throw ShapeError("split: sizes must be at least 0 (one may be -1)");
    else total += size_splits[i];
  }
  std::vector<std::int64_t> sizes = size_splits;
  if (rest >= 0) sizes[static_cast<std::size_t>(rest)] = dim - total;
  if ((rest >= 0 && total > dim) || (rest < 0 && total != dim))
    throw ShapeError("split: sizes add up to " + std::to_string(total) + ", not to dimension " + std::to_string(dim));
  std::vector<Node> out;
  std::int64_t at = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    out.push_back(strided_slice(x, along(axis, {.begin = at, .end = at + sizes[i]}), part(name, i)));
    at += sizes[i];
  }
  return out;
}

std::vector<Node> split(const Node& x, std::int64_t num, std::int64_t axis, const std::string& name) {
  const std::int64_t dim = known_dim(x, axis, "split");
  if (num < 1 || dim % num != 0)
    throw ShapeError("split: dimension " + std::to_string(dim) + " cannot be split into " + std::to_string(num) +
                     " equal parts");
  return split(x, std::vector<std::int64_t>(static_cast<std::size_t>(num), dim / num), axis, name);
}

std::vector<Node> unstack(const Node& x, std::int64_t axis, const std::string& name) {
  const std::int64_t dim = known_dim(x, axis, "unstack");
  std::vector<Node> out;
  for (std::int64_t i = 0; i < dim; ++i)
    out.push_back(strided_slice(x, along(axis, {.begin = i, .end = i + 1, .shrink = true}),
                                part(name, static_cast<std::size_t>(i))));
  return out;
}

Node expand_dims(const Node& x, std::int64_t axis, const std::string& name) {
  return strided_slice(x, along(axis, {.new_axis = true}), name);
}

Node stack(const std::vector<Node>& values, std::int64_t axis, const std::string& name) {
  if (values.empty()) throw GraphError("stack needs at least one input");
  std::vector<Node> expanded;
  for (const Node& v : values) expanded.push_back(expand_dims(v, axis));
  return concat(expanded, axis, name);
}

Node slice(const Node& x, const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size,
           const std::string& name) {
  if (begin.size() != size.size())
    throw ShapeError("slice: begin has " + std::to_string(begin.size()) + " entries and size " +
                     std::to_string(size.size()));
  SliceSpec s;
  for (std::size_t i = 0; i < begin.size(); ++i) {
    if (begin[i] < 0 || size[i] < -1)
      throw ShapeError("slice: begin must be >= 0 and size >= -1 (-1: to the end), got begin " +
                       std::to_string(begin[i]) + " and size " + std::to_string(size[i]) + " for axis " +
                       std::to_string(i));
    push(s, {.begin = begin[i], .end = begin[i] + size[i]});
    if (size[i] == -1) s.end_mask |= std::int64_t{1} << i;
  }
  return strided_slice(x, s, name);
}

Node reverse(const Node& x, const std::vector<std::int64_t>& axes, const std::string& name) {
  Node y = x;
  for (std::size_t i = 0; i < axes.size(); ++i)
    y = strided_slice(y, along(axes[i], {.stride = -1, .full = true}), i + 1 == axes.size() ? name : "");
  return axes.empty() ? identity(x, name) : y;
}

}  // namespace tg
