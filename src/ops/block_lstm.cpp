// A whole LSTM layer in one op (TensorFlow's BlockLSTM, time-major): for t = 1..T,
// [i, j, f, o] = [x_t, h_{t-1}]·kernel + bias; c_t = σ(f + forget_bias)·c_{t-1} + σ(i)·tanh(j);
// h_t = σ(o)·tanh(c_t). Inputs x [T,B,I], c0 [B,U], h0 [B,U], kernel [I+U,4U], bias [4U]; the output
// packs [h_1, ..., h_T, c_T] as [T+1, B, U] (NOTE: a node has one output; nn::block_lstm slices it).
// Gradient: block_lstm_grad computes every input's at once into one flat tensor, which concat_grad
// splits by the inputs' sizes at run time.
#include "block_lstm.h"
#include "tensorgraph/nn.h"

namespace tg {
namespace ops {
const AttrSchema kBlockLstmAttrs = AttrSchema::of<BlockLstmAttrs>({{"forget_bias", &BlockLstmAttrs::forget_bias}});

DType block_lstm_inputs(const InferCtx& c, const char* what, kernels::LstmDims& d) {
  static const char* const kNames[] = {"x", "c0", "h0", "kernel", "bias"};
  static const int kRanks[] = {3, 2, 2, 2, 1};
  DType dtype = DType::unknown;
  for (int i = 0; i < 5; ++i) {
    dtype = common_dtype({dtype, {}}, c.input(i));
    const Shape& s = c.input(i).shape;
    if (s.rank_known() && s.rank() != kRanks[i])
      throw ShapeError(std::string(what) + ": " + kNames[i] + " must have rank " + std::to_string(kRanks[i]) + ", got " +
                       s.str());
  }
  require_float(dtype, what);
  auto dim = [&](int input, int axis) { return c.input(input).shape.rank_known() ? c.input(input).shape[axis] : -1; };
  auto merge = [&](std::int64_t& v, std::int64_t w, const char* name) {
    if (w < 0) return;
    if (v >= 0 && v != w)
      throw ShapeError(std::string(what) + ": the inputs disagree on " + name + " (" + std::to_string(v) + " vs " +
                       std::to_string(w) + "): x [T,B,I], c0 and h0 [B,U], kernel [I+U,4U], bias [4U]");
    v = w;
  };
  d = {dim(0, 0), dim(0, 1), dim(0, 2), -1};
  merge(d.B, dim(1, 0), "the batch"), merge(d.B, dim(2, 0), "the batch");
  merge(d.U, dim(1, 1), "the units"), merge(d.U, dim(2, 1), "the units");
  const std::int64_t cols = dim(3, 1), b = dim(4, 0);
  if ((cols >= 0 && cols % 4) || (b >= 0 && b % 4))
    throw ShapeError(std::string(what) + ": the kernel's columns and the bias hold 4 gates of U units each");
  merge(d.U, cols >= 0 ? cols / 4 : -1, "the units"), merge(d.U, b >= 0 ? b / 4 : -1, "the units");
  if (dim(3, 0) >= 0 && d.U >= 0) merge(d.I, dim(3, 0) - d.U, "the input features");
  return dtype;
}

kernels::LstmDims block_lstm_dims(const Tensor& x, const Tensor& kernel) {
  return {x.shape()[0], x.shape()[1], x.shape()[2], kernel.shape()[1] / 4};
}

namespace {
TypeShape infer(const InferCtx& c) {
  kernels::LstmDims d;
  const DType dtype = block_lstm_inputs(c, "block_lstm", d);
  return {dtype, Shape({d.T < 0 ? -1 : d.T + 1, d.B, d.U})};
}
void compute(KernelCtx& c) {
  const kernels::LstmDims d = block_lstm_dims(c.input(0), c.input(3));
  dispatch_float(c.out.dtype(), "block_lstm", [&]<class T>() {
    T* y = c.out.data<T>();
    kernels::lstm_forward<T>(d, c.input(0).data<T>(), c.input(1).data<T>(), c.input(2).data<T>(), c.input(3).data<T>(),
                             c.input(4).data<T>(), c.attrs.as<BlockLstmAttrs>().forget_bias, y, y + d.T * d.B * d.U);
  });
}
std::vector<Node> grad(const GradCtx& c) {
  std::vector<Node> in = c.node.inputs();
  in.push_back(c.dy);
  const Node packed = make_op(op_block_lstm_grad, in, c.node.attrs());
  std::vector<Node> flat;
  for (int i = 0; i < 5; ++i) flat.push_back(reshape(c.input(i), {-1}));  // their sizes, read at run time
  std::vector<Node> dx;
  for (int i = 0; i < 5; ++i) dx.push_back(reshape_like(concat_grad(packed, flat, 0, i), c.input(i)));
  return dx;
}
}  // namespace
const OpDef op_block_lstm{.name = "block_lstm", .num_inputs = 5, .infer = infer, .compute = compute, .grad = grad,
                          .attrs = &kBlockLstmAttrs};
}  // namespace ops

namespace nn {
BlockLstmOutputs block_lstm(const Node& x, const Node& c0, const Node& h0, const Node& kernel, const Node& bias,
                            double forget_bias, const std::string& name) {
  const Node y = make_op(ops::op_block_lstm, {x, c0, h0, kernel, bias}, ops::BlockLstmAttrs{.forget_bias = forget_bias},
                         name);
  SliceSpec steps{.begin = {0}, .end = {-1}};
  SliceSpec last_c{.begin = {-1}, .end = {0}, .end_mask = 1, .shrink_axis_mask = 1};
  SliceSpec last_h{.begin = {-2}, .end = {-1}, .shrink_axis_mask = 1};
  return {strided_slice(y, steps), strided_slice(y, last_c), strided_slice(y, last_h), y};
}
}  // namespace nn
}  // namespace tg
