// BasicRNNCell, LSTMCell, GRUCell and MultiRNNCell: TensorFlow 1.x's math and variable names. The
// derivatives come from the ops they are built of (matmul, concat, split, sigmoid, tanh).
#include <cmath>
#include <map>

#include "initializers.h"
#include "tensorgraph/ops.h"
#include "tensorgraph/rnn.h"

namespace tg::nn {
namespace {

using layers::Activation;
using layers::Init;
using layers::detail::activate;
using layers::detail::initial_kernel;
using layers::detail::variable_in_graph_of;

// What every single cell shares: its units, options, and Variables made on the first step.
class Cell : public RNNCell {
 public:
  Cell(std::int64_t units, CellOptions o, const char* kind)
      : units_(units), o_(std::move(o)), rng_(o_.seed), kind_(kind), named_(!o_.name.empty()) {
    if (units < 1) throw GraphError(std::string(kind) + ": num_units must be at least 1, got " + std::to_string(units));
    if (o_.name.empty()) o_.name = kind;
  }
  std::int64_t output_size() const override { return units_; }
  std::vector<Node> variables() const override { return vars_; }
  /// A MultiRNNCell's layer k: "multi_rnn_cell/cell_<k>/<kind>", unless the cell was named or has
  /// made its Variables already (they keep their names).
  void place_in_stack(std::size_t k) {
    if (!named_ && vars_.empty()) o_.name = "multi_rnn_cell/cell_" + std::to_string(k) + "/" + kind_;
  }

 protected:
  // concat(x, h) · kernel + bias with kernel [in + units, width], made on the first step (Glorot
  // uniform over fan_in in + units and fan_out width; bias filled with `bias`).
  Node affine(const std::string& scope, const Node& x, const Node& h, std::int64_t width, double bias) {
    const std::string key = o_.name + (scope.empty() ? "" : "/" + scope);
    Node& kernel = kernels_[key];
    Node& b = biases_[key];
    if (!kernel.valid()) {
      const Shape& s = x.shape();
      if (!s.rank_known() || s.rank() != 2 || s[1] < 0)
        throw GraphError(key + ": the input must be [batch, features] with the features known, got '" + x.name() +
                         "' " + s.str());
      const DType dtype = layers::detail::layer_dtype(x, key);
      const std::int64_t in = s[1] + units_;
      kernel = variable_in_graph_of(x, initial_kernel({in, width}, in, width, Init::glorot_uniform,
                                                      Activation::none, rng_, dtype), key + "/kernel");
      b = variable_in_graph_of(x, Tensor::full({width}, bias, dtype), key + "/bias");
      vars_.push_back(kernel), vars_.push_back(b);
    }
    return add(matmul(concat({x, h}, 1), kernel), b);
  }
  Node act(const Node& z) const { return activate(z, o_.activation); }
  void expect_state(const RNNState& s, std::size_t n) const {
    if (s.size() != n)
      throw GraphError(o_.name + ": a state of " + std::to_string(n) + " node(s) was expected, got " +
                       std::to_string(s.size()));
  }

  std::int64_t units_;
  CellOptions o_;
  Rng rng_;
  std::map<std::string, Node> kernels_, biases_;
  std::vector<Node> vars_;
  std::string kind_;
  bool named_;
};

class BasicRNN final : public Cell {
 public:
  BasicRNN(std::int64_t u, const CellOptions& o) : Cell(u, o, "basic_rnn_cell") {}
  std::vector<std::int64_t> state_size() const override { return {units_}; }
  std::pair<Node, RNNState> step(const Node& x, const RNNState& s) override {
    expect_state(s, 1);
    const Node h = act(affine("", x, s[0], units_, 0.0));
    return {h, {h}};
  }
};

class LSTM final : public Cell {
 public:
  LSTM(std::int64_t u, const CellOptions& o) : Cell(u, o, "lstm_cell") {}
  std::vector<std::int64_t> state_size() const override { return {units_, units_}; }
  std::pair<Node, RNNState> step(const Node& x, const RNNState& s) override {
    expect_state(s, 2);
    const std::vector<Node> g = split(affine("", x, s[1], 4 * units_, 0.0), 4, 1);  // i, j, f, o
    const Node c = sigmoid(g[2] + o_.forget_bias) * s[0] + sigmoid(g[0]) * act(g[1]);
    const Node h = sigmoid(g[3]) * act(c);
    return {h, {c, h}};
  }
};

class GRU final : public Cell {
 public:
  GRU(std::int64_t u, const CellOptions& o) : Cell(u, o, "gru_cell") {}
  std::vector<std::int64_t> state_size() const override { return {units_}; }
  std::pair<Node, RNNState> step(const Node& x, const RNNState& s) override {
    expect_state(s, 1);
    const Node& h = s[0];
    const std::vector<Node> ru = split(sigmoid(affine("gates", x, h, 2 * units_, 1.0)), 2, 1);
    const Node c = act(affine("candidate", x, ru[0] * h, units_, 0.0));
    const Node next = ru[1] * h + (1.0 - ru[1]) * c;
    return {next, {next}};
  }
};

class Multi final : public RNNCell {
 public:
  explicit Multi(std::vector<std::shared_ptr<RNNCell>> cells) : cells_(std::move(cells)) {
    if (cells_.empty()) throw GraphError("multi_rnn_cell needs at least one cell");
    for (std::size_t k = 0; k < cells_.size(); ++k) {
      if (!cells_[k]) throw GraphError("multi_rnn_cell: cell " + std::to_string(k) + " is null");
      if (auto* c = dynamic_cast<Cell*>(cells_[k].get())) c->place_in_stack(k);
    }
  }
  std::int64_t output_size() const override { return cells_.back()->output_size(); }
  std::vector<std::int64_t> state_size() const override {
    std::vector<std::int64_t> all;
    for (const auto& c : cells_) {
      const auto s = c->state_size();
      all.insert(all.end(), s.begin(), s.end());
    }
    return all;
  }
  std::pair<Node, RNNState> step(const Node& x, const RNNState& s) override {
    if (s.size() != state_size().size())
      throw GraphError("multi_rnn_cell: a state of " + std::to_string(state_size().size()) + " nodes was expected, got " +
                       std::to_string(s.size()));
    Node out = x;
    RNNState next;
    std::size_t at = 0;
    for (const auto& c : cells_) {
      const std::size_t n = c->state_size().size();
      auto [y, st] = c->step(out, RNNState(s.begin() + static_cast<std::ptrdiff_t>(at),
                                           s.begin() + static_cast<std::ptrdiff_t>(at + n)));
      out = y;
      next.insert(next.end(), st.begin(), st.end());
      at += n;
    }
    return {out, next};
  }
  std::vector<Node> variables() const override {
    std::vector<Node> all;
    for (const auto& c : cells_) {
      const auto v = c->variables();
      all.insert(all.end(), v.begin(), v.end());
    }
    return all;
  }

 private:
  std::vector<std::shared_ptr<RNNCell>> cells_;
};

}  // namespace

RNNState RNNCell::zero_state(const Node& like, DType dtype) const {
  // zeros [batch, 1] (batch from like at run time) + zeros [n]: [batch, n]
  SliceSpec first_column{.begin = {0, 0}, .end = {0, 1}, .begin_mask = 1, .end_mask = 1};
  const Node column = zeros_like(cast(strided_slice(like, first_column), dtype));
  RNNState s;
  for (std::int64_t n : state_size()) s.push_back(add(column, zeros({n}, dtype)));
  return s;
}

std::shared_ptr<RNNCell> basic_rnn_cell(std::int64_t units, const CellOptions& o) { return std::make_shared<BasicRNN>(units, o); }
std::shared_ptr<RNNCell> lstm_cell(std::int64_t units, const CellOptions& o) { return std::make_shared<LSTM>(units, o); }
std::shared_ptr<RNNCell> gru_cell(std::int64_t units, const CellOptions& o) { return std::make_shared<GRU>(units, o); }
std::shared_ptr<RNNCell> multi_rnn_cell(std::vector<std::shared_ptr<RNNCell>> cells) {
  return std::make_shared<Multi>(std::move(cells));
}

}  // namespace tg::nn
