// db[c] = sum of dy over every axis but the channel one (TensorFlow's BiasAddGrad);
// d/d dy = g broadcast along the channel axis = bias_add(zeros_like(dy), g)
#include <type_traits>
#include <vector>

#include "../kernels/channel_sums.h"
#include "bias_add.h"

namespace tg {
namespace ops {
namespace {
TypeShape infer(const InferCtx& c) {
  const TypeShape& dy = c.input(0);
  if (dy.dtype == DType::boolean) throw DTypeError("bias_add_grad of bool is not supported");
  const ChannelSplit s = channel_split(dy.shape, c.attrs.as<BiasAddAttrs>().data_format, "bias_add_grad");
  return {dy.dtype, Shape{s.channels}};
}
void compute(KernelCtx& c) {
  const ChannelSplit s = channel_split(c.input(0).shape(), c.attrs.as<BiasAddAttrs>().data_format, "bias_add_grad");
  dispatch_numeric(c.out.dtype(), "bias_add_grad", [&]<class T>() {
    const T* dy = c.input(0).data<T>();
    T* db = c.out.data<T>();
    // Integers sum exactly in their own type, floats in double (kernels/channel_sums.h).
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, T>;
    const std::vector<Acc> sum =
        kernels::channel_sums<Acc>(dy, s.outer, s.channels, s.inner, [](std::int64_t, Acc v) { return v; });
    for (std::int64_t ch = 0; ch < s.channels; ++ch) db[ch] = static_cast<T>(sum[static_cast<std::size_t>(ch)]);
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return {nn::bias_add(zeros_like(c.input(0)), c.dy, c.node.attrs().as<BiasAddAttrs>().data_format)};
}
}  // namespace
const OpDef op_bias_add_grad{.name = "bias_add_grad", .num_inputs = 1, .infer = infer, .compute = compute,
                             .grad = grad, .attrs = &kBiasAddAttrs};
}  // namespace ops

Node nn::bias_add_grad(const Node& out_backprop, const std::string& data_format, const std::string& name) {
  return make_op(ops::op_bias_add_grad, {out_backprop}, ops::BiasAddAttrs{.data_format = data_format}, name);
}
}  // namespace tg
