// dx_index = dy[..., start:start + n, ...] along `axis`, where the concat inputs x_0.. (given for
// their shapes only; values unread) place x_index at `start`; inputs (dy, x_0, x_1, ...).
// Linear in dy: d/d dy = concat(zeros like x_j for j != index, g at index)
#include "concat.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const auto& a = c.attrs.as<ConcatAttrs>();
  if (c.num_inputs < 2) throw GraphError("concat_grad needs dy and the concat's inputs");
  if (a.index < 0 || a.index >= c.num_inputs - 1)
    throw GraphError("concat_grad: index " + std::to_string(a.index) + " is not one of the " +
                     std::to_string(c.num_inputs - 1) + " inputs");
  int axis;
  const TypeShape joined = concat_type(c, 1, c.num_inputs, axis, "concat_grad");
  const TypeShape& dy = c.input(0);
  if (!agree(dy.shape, joined.shape))
    throw ShapeError("concat_grad: dy " + dy.shape.str() + " is not shaped like the concat's output " +
                     joined.shape.str());
  return {common_dtype(dy, joined), c.input(1 + static_cast<int>(a.index)).shape};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<ConcatAttrs>();
  const Tensor& dy = c.input(0);
  const int axis = normalize_axis(a.axis, dy.rank(), "concat_grad");
  const auto esize = static_cast<std::int64_t>(dtype_size(dy.dtype()));
  std::int64_t outer, dy_row, at = 0;
  split_at(dy.shape(), axis, outer, dy_row);
  for (int i = 0; i < a.index; ++i) {
    std::int64_t o, row;
    split_at(c.input(1 + i).shape(), axis, o, row);
    at += row;
  }
  std::int64_t o, row;
  split_at(c.out.shape(), axis, o, row);
  copy_rows(static_cast<const char*>(dy.raw()) + at * esize, dy_row * esize, static_cast<char*>(c.out.raw()),
            row * esize, outer, row * esize);
}
std::vector<Node> grad(const GradCtx& c) {
  const auto& a = c.node.attrs().as<ConcatAttrs>();
  std::vector<Node> parts;
  for (int i = 1; i < static_cast<int>(c.node.inputs().size()); ++i) parts.push_back(i - 1 == a.index ? c.dy : zeros_like(c.input(i)));
  std::vector<Node> dx(static_cast<std::size_t>(static_cast<int>(c.node.inputs().size())));  // none for the shape-only inputs
  dx[0] = concat(parts, a.axis);
  return dx;
}
}  // namespace
const OpDef op_concat_grad{.name = "concat_grad", .num_inputs = -1, .infer = infer, .compute = compute,
                           .grad = grad, .attrs = &kConcatAttrs};
}  // namespace ops

Node concat_grad(const Node& dy, const std::vector<Node>& inputs, std::int64_t axis, std::int64_t index,
                 const std::string& name) {
  std::vector<Node> in{dy};
  in.insert(in.end(), inputs.begin(), inputs.end());
  return make_op(ops::op_concat_grad, in, ops::ConcatAttrs{.axis = axis, .index = index}, name);
}
}  // namespace tg
