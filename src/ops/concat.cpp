// y = the inputs joined along `axis` (tf.concat); dx_i = dy's part along the axis that x_i filled
// (concat_grad, which takes the sizes from the inputs at run time)
#include "concat.h"

namespace tg {
namespace ops {
const AttrSchema kConcatAttrs =
    AttrSchema::of<ConcatAttrs>({{"axis", &ConcatAttrs::axis}, {"index", &ConcatAttrs::index}});

TypeShape concat_type(const InferCtx& c, int first, int last, int& axis, const char* what) {
  TypeShape out{c.input(first).dtype, Shape::unknown_rank()};
  int rank = -1;
  for (int i = first; i < last; ++i) {
    out.dtype = common_dtype(out, c.input(i));
    const Shape& s = c.input(i).shape;
    if (!s.rank_known()) continue;
    if (rank >= 0 && s.rank() != rank)
      throw ShapeError(std::string(what) + ": inputs of rank " + std::to_string(rank) + " and " +
                       std::to_string(s.rank()) + " (every input needs the same rank)");
    rank = s.rank();
  }
  axis = -1;
  if (rank < 0) return out;
  if (rank == 0) throw ShapeError(std::string(what) + ": scalars cannot be joined (expand them first, or use stack)");
  axis = normalize_axis(c.attrs.as<ConcatAttrs>().axis, rank, what);
  out.shape = Shape::unknown_dims(rank);
  out.shape[axis] = 0;
  for (int i = first; i < last; ++i) {
    const Shape& s = c.input(i).shape;
    if (!s.rank_known()) {
      out.shape[axis] = kUnknownDim;
      continue;
    }
    for (int d = 0; d < rank; ++d) {
      if (d == axis) {
        out.shape[d] = out.shape[d] < 0 || s[d] < 0 ? kUnknownDim : out.shape[d] + s[d];
      } else if (s[d] >= 0) {
        if (out.shape[d] >= 0 && out.shape[d] != s[d])
          throw ShapeError(std::string(what) + ": dimension " + std::to_string(d) + " differs between inputs (" +
                           std::to_string(out.shape[d]) + " vs " + std::to_string(s[d]) + "); only axis " +
                           std::to_string(axis) + " may differ");
        out.shape[d] = s[d];
      }
    }
  }
  return out;
}

namespace {
TypeShape infer(const InferCtx& c) {
  if (c.num_inputs < 1) throw GraphError("concat needs at least one input");
  int axis;
  return concat_type(c, 0, c.num_inputs, axis, "concat");
}
void compute(KernelCtx& c) {
  const int axis = normalize_axis(c.attrs.as<ConcatAttrs>().axis, c.out.rank(), "concat");
  const auto esize = static_cast<std::int64_t>(dtype_size(c.out.dtype()));
  std::int64_t outer, out_row;
  split_at(c.out.shape(), axis, outer, out_row);
  std::int64_t at = 0;  // bytes into an output row
  for (int i = 0; i < c.num_inputs; ++i) {
    const Tensor& x = c.input(i);
    std::int64_t o, row;
    split_at(x.shape(), axis, o, row);
    copy_rows(static_cast<const char*>(x.raw()), row * esize, static_cast<char*>(c.out.raw()) + at, out_row * esize,
              outer, row * esize);
    at += row * esize;
  }
}
std::vector<Node> grad(const GradCtx& c) {
  std::vector<Node> inputs{c.dy};
  for (int i = 0; i < static_cast<int>(c.node.inputs().size()); ++i) inputs.push_back(c.input(i));
  std::vector<Node> dx;
  const std::int64_t axis = c.node.attrs().as<ConcatAttrs>().axis;
  for (int i = 0; i < static_cast<int>(c.node.inputs().size()); ++i)
    dx.push_back(make_op(op_concat_grad, inputs, ConcatAttrs{.axis = axis, .index = i}));
  return dx;
}
}  // namespace
const OpDef op_concat{.name = "concat", .num_inputs = -1, .infer = infer, .compute = compute, .grad = grad,
                      .attrs = &kConcatAttrs};
}  // namespace ops

Node concat(const std::vector<Node>& values, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_concat, values, ops::ConcatAttrs{.axis = axis}, name);
}
}  // namespace tg
