#pragma once
// tensorgraph::nn: the neural-network ops under TensorFlow 1.x's `tf.nn` names.
//
//   #include <tensorgraph/nn.h>
//   tg::Node logits = ...;
//   tg::Node loss = tg::reduce_mean(tg::nn::sparse_softmax_cross_entropy_with_logits(labels, logits));
//
// The activations and softmax family below are the top-level ops of ops.h under their tf.nn names
// (the top-level names stay).
#include "tensorgraph/nn/conv.h"
#include "tensorgraph/ops.h"
#include "tensorgraph/nn/pooling.h"
#include "tensorgraph/nn/normalization.h"

namespace tg::nn {

using tg::log_softmax;
using tg::relu;
using tg::sigmoid;
using tg::softmax;
using tg::softmax_cross_entropy_with_logits;
using tg::sparse_softmax_cross_entropy_with_logits;
using tg::tanh;

/// features where > 0, else alpha·features (tf.nn.leaky_relu); the gradient is 1 or alpha.
Node leaky_relu(const Node& features, double alpha = 0.2, const std::string& name = "");
/// ln(1 + e^features), without overflow; the gradient is dy * sigmoid(features).
Node softplus(const Node& features, const std::string& name = "");
/// Per element, the cross-entropy of a Bernoulli target `labels` in [0, 1] and σ(logits), computed
/// stably as TensorFlow does: max(x, 0) - x·z + ln(1 + e^-|x|) (x logits, z labels).
Node sigmoid_cross_entropy_with_logits(const Node& labels, const Node& logits, const std::string& name = "");
/// relu's gradient (TensorFlow's ReluGrad): gradients where features > 0, else 0. `features` may be
/// relu's input or its output (same sign); relu's own gradient passes the output.
Node relu_grad(const Node& gradients, const Node& features, const std::string& name = "");

/// A fused LSTM layer's results: every step's h [T, B, U], and the last c and h [B, U].
struct BlockLstmOutputs {
  Node outputs, c, h;
  Node packed;  // the op's own output [T + 1, B, U]: h_1..h_T, then c_T
};
/// A whole LSTM layer in one op (TensorFlow's BlockLSTM): x [T, B, I] time-major, the initial state
/// c0, h0 [B, U], kernel [I + U, 4U] and bias [4U] as LSTMCell's (gates i, j, f, o), the forget bias
/// added. Equal to dynamic_rnn over lstm_cell with the same weights; its gradient (block_lstm_grad)
/// runs the recurrence backwards in one kernel.
BlockLstmOutputs block_lstm(const Node& x, const Node& c0, const Node& h0, const Node& kernel, const Node& bias,
                            double forget_bias = 1.0, const std::string& name = "");

}  // namespace tg::nn
