// y = params[..., indices, ...] along `axis` (tf.gather: an embedding lookup for axis 0);
// dparams = dy scatter-added into zeros of params' shape (gather_grad); integer indices, no gradient
#include <algorithm>

#include "gather.h"

namespace tg {
namespace ops {
const AttrSchema kGatherAttrs = AttrSchema::of<GatherAttrs>({{"axis", &GatherAttrs::axis}});

void require_index_dtype(DType d, const char* what) {
  if (d != DType::unknown && d != DType::i32 && d != DType::i64)
    throw DTypeError(std::string(what) + ": indices must be int32 or int64, got " + dtype_name(d));
}

Shape gathered_shape(const Shape& params, const Shape& indices, std::int64_t axis, const char* what) {
  if (!params.rank_known() || !indices.rank_known()) return Shape::unknown_rank();
  if (params.rank() == 0) throw ShapeError(std::string(what) + ": params must have at least one dimension");
  const int a = normalize_axis(axis, params.rank(), what);
  Shape out;
  for (int i = 0; i < a; ++i) out.push_back(params[i]);
  for (int i = 0; i < indices.rank(); ++i) out.push_back(indices[i]);
  for (int i = a + 1; i < params.rank(); ++i) out.push_back(params[i]);
  if (out.rank() > kMaxRank)
    throw ShapeError(std::string(what) + ": the result would have rank " + std::to_string(out.rank()) +
                     ", above the limit of " + std::to_string(kMaxRank));
  return out;
}

namespace {
TypeShape infer(const InferCtx& c) {
  require_index_dtype(c.input(1).dtype, "gather");
  return {c.input(0).dtype, gathered_shape(c.input(0).shape, c.input(1).shape, c.attrs.as<GatherAttrs>().axis,
                                           "gather")};
}
void compute(KernelCtx& c) {
  const Tensor& params = c.input(0);
  const int axis = normalize_axis(c.attrs.as<GatherAttrs>().axis, params.rank(), "gather");
  dispatch_all(params.dtype(), [&]<class T>() {
    const T* p = params.data<T>();
    T* y = c.out.data<T>();
    for_each_gathered(params.shape(), c.input(1), axis, c.node_name,
                      [&](std::int64_t from, std::int64_t to, std::int64_t n) { std::copy_n(p + from, n, y + to); });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {make_op(op_gather_grad, {c.input(0), c.input(1), c.dy}, c.node.attrs()), Node()};
}
}  // namespace
const OpDef op_gather{.name = "gather", .num_inputs = 2, .infer = infer, .compute = compute, .grad = grad,
                      .attrs = &kGatherAttrs};
}  // namespace ops

Node gather(const Node& params, const Node& indices, std::int64_t axis, const std::string& name) {
  return make_op(ops::op_gather, {params, indices}, ops::GatherAttrs{.axis = axis}, name);
}
}  // namespace tg
