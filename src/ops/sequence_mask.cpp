// y[..., j] = j < lengths[...] for j in [0, maxlen) (tf.sequence_mask), as `dtype`; maxlen -1 means
// max(lengths), known only at run time. Integer lengths: not differentiable
#include <algorithm>

#include "op_helpers.h"

namespace tg {
namespace ops {
struct SequenceMaskAttrs {
  std::int64_t maxlen = -1;     // the mask's last dimension; -1: the largest length
  DType dtype = DType::boolean;  // of the result
};
const AttrSchema kSequenceMaskAttrs = AttrSchema::of<SequenceMaskAttrs>(
    {{"maxlen", &SequenceMaskAttrs::maxlen}, {"dtype", &SequenceMaskAttrs::dtype}});
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape& len = c.input(0);
  if (len.dtype != DType::unknown && len.dtype != DType::i32 && len.dtype != DType::i64)
    throw DTypeError("sequence_mask: lengths must be int32 or int64, got " + dtype_name(len.dtype));
  const auto& a = c.attrs.as<SequenceMaskAttrs>();
  if (a.maxlen < -1) throw ShapeError("sequence_mask: maxlen must be at least 0, got " + std::to_string(a.maxlen));
  TypeShape out{a.dtype, Shape::unknown_rank()};
  if (!len.shape.rank_known()) return out;
  if (len.shape.rank() >= kMaxRank) throw ShapeError("sequence_mask: lengths of rank " + std::to_string(len.shape.rank()) + " is too high");
  out.shape = len.shape;
  out.shape.push_back(a.maxlen >= 0 ? a.maxlen : kUnknownDim);
  return out;
}
void compute(KernelCtx& c) {
  const Tensor& len = c.input(0);
  const auto& a = c.attrs.as<SequenceMaskAttrs>();
  std::int64_t maxlen = a.maxlen;
  if (maxlen < 0) {
    maxlen = 0;
    for (std::int64_t i = 0; i < len.size(); ++i) maxlen = std::max(maxlen, static_cast<std::int64_t>(len.flat(i)));
  }
  Shape s = len.shape();
  s.push_back(maxlen);
  Tensor out(a.dtype, s);
  dispatch_all(a.dtype, [&]<class T>() {
    T* y = out.data<T>();
    for (std::int64_t i = 0; i < len.size(); ++i) {
      const auto n = static_cast<std::int64_t>(len.flat(i));
      for (std::int64_t j = 0; j < maxlen; ++j) y[i * maxlen + j] = static_cast<T>(j < n);
    }
  });
  c.out = out;
}
}  // namespace
const OpDef op_sequence_mask{.name = "sequence_mask", .num_inputs = 1, .infer = infer, .compute = compute,
                             .dynamic_output = true, .attrs = &kSequenceMaskAttrs};
}  // namespace ops

Node sequence_mask(const Node& lengths, std::int64_t maxlen, DType dtype, const std::string& name) {
  return make_op(ops::op_sequence_mask, {lengths}, ops::SequenceMaskAttrs{.maxlen = maxlen, .dtype = dtype}, name);
}
}  // namespace tg
