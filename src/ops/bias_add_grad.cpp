// db[c] = sum of dy over every axis but the channel one (TensorFlow's BiasAddGrad);
// d/d dy = g broadcast along the channel axis = bias_add(zeros_like(dy), g)
#include <algorithm>
#include <type_traits>
#include <vector>

#include "../kernels/parallel.h"
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
    using Acc = std::conditional_t<std::is_floating_point_v<T>, double, T>;  // integers sum exactly
    const std::int64_t C = s.channels, inner = s.inner, outer = s.outer, n = outer * C * inner;
    if (inner == 1) {
      // Channels last: rows of C. The rows are cut into at most kBlocks blocks, whatever the thread
      // count (so the sum is the same on 1 thread or 2), each summed into a row of `part` (floats in double).
      constexpr std::int64_t kBlocks = 16;
      const std::int64_t blocks = std::min(kBlocks, outer), rows = blocks ? (outer + blocks - 1) / blocks : 0;
      std::vector<Acc> part(static_cast<std::size_t>(blocks * C), Acc(0));
      kernels::parallel_for(blocks, 1, [&](std::int64_t lo, std::int64_t hi) {
        for (std::int64_t blk = lo; blk < hi; ++blk) {
          Acc* acc = part.data() + blk * C;
          for (std::int64_t r = blk * rows; r < std::min(outer, (blk + 1) * rows); ++r)
            for (std::int64_t ch = 0; ch < C; ++ch) acc[ch] += static_cast<Acc>(dy[r * C + ch]);
        }
      }, n);
      for (std::int64_t ch = 0; ch < C; ++ch) {
        Acc sum = 0;
        for (std::int64_t blk = 0; blk < blocks; ++blk) sum += part[static_cast<std::size_t>(blk * C + ch)];
        db[ch] = static_cast<T>(sum);
      }
      return;
    }
    kernels::parallel_for(C, 1, [&](std::int64_t lo, std::int64_t hi) {  // dy: [outer, C, inner]
      for (std::int64_t ch = lo; ch < hi; ++ch) {
        Acc sum = 0;
        for (std::int64_t o = 0; o < outer; ++o)
          for (std::int64_t i = 0, at = (o * C + ch) * inner; i < inner; ++i) sum += static_cast<Acc>(dy[at + i]);
        db[ch] = static_cast<T>(sum);
      }
    }, n);
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
