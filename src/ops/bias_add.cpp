// y = value + bias along the channel axis (the last for NHWC, axis 1 for NCHW);
// dvalue = dy, dbias = bias_add_grad(dy): dy summed over every axis but the channel one
#include "bias_add.h"

#include "../kernels/parallel.h"
#include "../kernels/window.h"

namespace tg {
namespace ops {
const AttrSchema kBiasAddAttrs = AttrSchema::of<BiasAddAttrs>({{"data_format", &BiasAddAttrs::data_format}});

ChannelSplit channel_split(const Shape& value, const std::string& data_format, const char* what) {
  const bool nchw = kernels::parse_data_format(data_format, what) == kernels::DataFormat::nchw;
  ChannelSplit s;
  if (!value.rank_known()) return s;
  if (value.rank() < 2)
    throw ShapeError(std::string(what) + ": argument 'value' must have rank >= 2, got shape " + value.str());
  s.axis = nchw ? 1 : value.rank() - 1;
  s.channels = value[s.axis];
  for (int i = 0; i < value.rank(); ++i) (i < s.axis ? s.outer : s.inner) *= i == s.axis ? 1 : value[i];
  return s;
}

namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape &v = c.input(0), &b = c.input(1);
  const DType d = common_dtype(v, b);
  if (d == DType::boolean) throw DTypeError("bias_add of bool is not supported");
  const ChannelSplit s = channel_split(v.shape, c.attrs.as<BiasAddAttrs>().data_format, "bias_add");
  if (b.shape.rank_known() && b.shape.rank() != 1)
    throw ShapeError("bias_add: argument 'bias' must be 1-D, got shape " + b.shape.str());
  if (b.shape.rank_known() && b.shape[0] >= 0 && s.channels >= 0 && b.shape[0] != s.channels)
    throw ShapeError("bias_add: argument 'bias' has " + std::to_string(b.shape[0]) +
                     " entries, but value's channel dimension (axis " + std::to_string(s.axis) + ") is " +
                     std::to_string(s.channels));
  return {d, v.shape};
}
void compute(KernelCtx& c) {
  const ChannelSplit s = channel_split(c.input(0).shape(), c.attrs.as<BiasAddAttrs>().data_format, "bias_add");
  dispatch_numeric(c.out.dtype(), "bias_add", [&]<class T>() {
    const T *x = c.input(0).data<T>(), *b = c.input(1).data<T>();
    T* y = c.out.data<T>();
    const std::int64_t C = s.channels, inner = s.inner;  // value: [outer, C, inner]
    if (inner == 1) {  // channels last: rows of C, the loop over a row vectorised
      kernels::parallel_for(s.outer * C, C, [&](std::int64_t lo, std::int64_t hi) {
        for (std::int64_t at = lo; at < hi; at += C)
          for (std::int64_t ch = 0; ch < C; ++ch) y[at + ch] = x[at + ch] + b[ch];
      });
      return;
    }
    kernels::parallel_for(s.outer * C * inner, inner, [&](std::int64_t lo, std::int64_t hi) {
      for (std::int64_t at = lo; at < hi; at += inner) {  // one plane of `inner` values per (outer, channel)
        const T v = b[(at / inner) % C];
        for (std::int64_t i = 0; i < inner; ++i) y[at + i] = x[at + i] + v;
      }
    });
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {c.dy, nn::bias_add_grad(c.dy, c.node.attrs().as<BiasAddAttrs>().data_format)};
}
}  // namespace
const OpDef op_bias_add{.name = "bias_add", .num_inputs = 2, .infer = infer, .compute = compute, .grad = grad,
                        .attrs = &kBiasAddAttrs};
}  // namespace ops

Node nn::bias_add(const Node& value, const Node& bias, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_bias_add, {value, bias}, ops::BiasAddAttrs{.data_format = data_format}, name);
}
}  // namespace tg
