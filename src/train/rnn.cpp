// static_rnn and dynamic_rnn: a cell unrolled once when the graph is built (a fixed maximum length),
// TensorFlow's masking for per-sequence lengths: past a sequence's end its outputs are zeros and its
// state is carried unchanged (where(t < length, new, old), whose gradient routes dy the same way).
#include "tensorgraph/ops.h"
#include "tensorgraph/rnn.h"

namespace tg::nn {

RNNOutputs static_rnn(RNNCell& cell, const std::vector<Node>& inputs, const RNNState& initial_state,
                      const Node& sequence_length) {
  if (inputs.empty()) throw GraphError("static_rnn: no inputs (one node per time step)");
  if (sequence_length.valid()) {
    const DType d = sequence_length.dtype();
    if (d != DType::i32 && d != DType::i64 && d != DType::unknown)
      throw DTypeError("static_rnn: sequence_length must be int32 or int64, got " + dtype_name(d));
  }
  RNNOutputs r;
  const DType dtype = inputs[0].dtype() == DType::unknown ? DType::f64 : inputs[0].dtype();
  r.state = initial_state.empty() ? cell.zero_state(inputs[0], dtype) : initial_state;
  for (std::size_t t = 0; t < inputs.size(); ++t) {
    auto [out, next] = cell.step(inputs[t], r.state);
    if (sequence_length.valid()) {
      const Node alive = greater(sequence_length, scalar_like(sequence_length, static_cast<double>(t)));  // [batch]
      out = where(alive, out, scalar_like(out, 0.0));
      for (std::size_t k = 0; k < next.size(); ++k) next[k] = where(alive, next[k], r.state[k]);
    }
    r.outputs.push_back(out);
    r.state = next;
  }
  return r;
}

DynamicRNNOutputs dynamic_rnn(RNNCell& cell, const Node& inputs, const Node& sequence_length,
                              const RNNState& initial_state, bool time_major) {
  const Shape& s = inputs.shape();
  if (!s.rank_known() || s.rank() != 3 || s[time_major ? 0 : 1] < 0)
    throw ShapeError("dynamic_rnn: inputs must be [batch, time, features] ([time, batch, features] when time_major) "
                     "with the time dimension known, got '" + inputs.name() + "' " + s.str());
  const std::int64_t time_axis = time_major ? 0 : 1;
  RNNOutputs r = static_rnn(cell, unstack(inputs, time_axis), initial_state, sequence_length);
  return {stack(r.outputs, time_axis), r.state};
}

}  // namespace tg::nn
