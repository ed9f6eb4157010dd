#pragma once
// Recurrent cells and the loops that run them, with TensorFlow 1.x's math, gate order and variable
// names (tf.nn.rnn_cell, tf.nn.static_rnn, tf.nn.dynamic_rnn). A cell creates its Variables on its
// first step (their input size taken from that step's input) and reuses them on every later step:
//
//   auto cell = nn::lstm_cell(128, {.seed = 1});
//   auto [outputs, state] = nn::dynamic_rnn(*cell, x, lengths);   // x [batch, time, features]
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/layers.h"

namespace tg::nn {

/// A cell's state as nodes of [batch, n]: one for BasicRNN and GRU, {c, h} for an LSTM, and the
/// layers' states one after another for a MultiRNNCell.
using RNNState = std::vector<Node>;

/// The cells' optional arguments (tf.nn.rnn_cell's names and defaults).
struct CellOptions {
  layers::Activation activation = layers::Activation::tanh;
  double forget_bias = 1.0;  // LSTM: added to the forget gate's pre-activation (not to its Variable)
  std::uint64_t seed = 0;    // of the Glorot-uniform kernels
  std::string name = "";     // the variable scope; "" gives the cell kind's name (basic_rnn_cell, lstm_cell, gru_cell)
};

class RNNCell {
 public:
  virtual ~RNNCell() = default;
  /// The width of the cell's output.
  virtual std::int64_t output_size() const = 0;
  /// The width of each state node.
  virtual std::vector<std::int64_t> state_size() const = 0;
  /// One step: (output, new state). The first call makes the Variables; x [batch, in], in known.
  virtual std::pair<Node, RNNState> step(const Node& x, const RNNState& state) = 0;
  /// Every Variable made so far, in order of making.
  virtual std::vector<Node> variables() const = 0;
  /// Zeros [batch, n] for each state node, batch taken from `like`'s first dimension at run time.
  RNNState zero_state(const Node& like, DType dtype) const;
};

/// h' = activation(concat(x, h) · kernel + bias): kernel [in + units, units], bias zeros.
std::shared_ptr<RNNCell> basic_rnn_cell(std::int64_t num_units, const CellOptions& options = {});
/// TensorFlow's LSTMCell (BasicLSTMCell's math): [i, j, f, o] = concat(x, h) · kernel + bias (gates in
/// that order along kernel [in + units, 4 units]); c' = σ(f + forget_bias) c + σ(i) act(j);
/// h' = σ(o) act(c'); the output is h', the state {c', h'}.
std::shared_ptr<RNNCell> lstm_cell(std::int64_t num_units, const CellOptions& options = {});
/// TensorFlow's GRUCell: [r, u] = σ(concat(x, h) · gates/kernel + gates/bias) (bias ones);
/// c = act(concat(x, r h) · candidate/kernel + candidate/bias); h' = u h + (1 - u) c.
std::shared_ptr<RNNCell> gru_cell(std::int64_t num_units, const CellOptions& options = {});
/// Cells stacked: each one's output is the next one's input; the state is theirs in order, each
/// cell's Variables under "multi_rnn_cell/cell_<k>/" unless it was given a name.
std::shared_ptr<RNNCell> multi_rnn_cell(std::vector<std::shared_ptr<RNNCell>> cells);

/// The outputs of every step and the final state.
struct RNNOutputs {
  std::vector<Node> outputs;
  RNNState state;
};
/// The cell unrolled over `inputs` (one [batch, in] node per step). With `sequence_length` (an int
/// vector [batch]), a sequence's outputs past its length are zeros and its state stops changing there.
/// An empty initial_state means zeros.
RNNOutputs static_rnn(RNNCell& cell, const std::vector<Node>& inputs, const RNNState& initial_state = {},
                      const Node& sequence_length = Node());
/// The outputs stacked, [batch, time, out] ([time, batch, out] when time_major), and the final state.
struct DynamicRNNOutputs {
  Node outputs;
  RNNState state;
};
/// tf.nn.dynamic_rnn for a fixed maximum length: inputs [batch, time, in] (time known), unrolled once
/// when the graph is built; sequence_length as in static_rnn.
DynamicRNNOutputs dynamic_rnn(RNNCell& cell, const Node& inputs, const Node& sequence_length = Node(),
                              const RNNState& initial_state = {}, bool time_major = false);

}  // namespace tg::nn
