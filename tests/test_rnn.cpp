// The recurrent cells and loops: each cell's step against the same math written as plain loops
// (TensorFlow's gate order), float64 finite-difference gradients through a 5-step unroll whose
// sequences end at different steps, and the masking of outputs and states past a sequence's end.
// (python/tests/test_rnn.py checks the cells against torch.nn.LSTM/GRU/RNN.)
#include <gtest/gtest.h>

#include <cmath>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

constexpr std::int64_t kBatch = 3, kIn = 2, kUnits = 4, kSteps = 5;

Tensor seq_input(int seed) {
  Tensor x(DType::f64, {kBatch, kSteps, kIn});
  for (std::int64_t i = 0; i < x.size(); ++i)
    x.data<double>()[i] = std::sin(0.7 * static_cast<double>(i) + seed) * 0.9;
  return x;
}

double sig(double v) { return 1 / (1 + std::exp(-v)); }

// row b of concat(x, h) · K + bias, by loops; K [in + units, width].
std::vector<double> affine(const Tensor& K, const Tensor& bias, const std::vector<double>& xh) {
  const std::int64_t width = K.shape()[1];
  std::vector<double> z(static_cast<std::size_t>(width));
  for (std::int64_t j = 0; j < width; ++j) {
    double s = bias.flat(j);
    for (std::size_t i = 0; i < xh.size(); ++i) s += xh[i] * K.flat(static_cast<std::int64_t>(i) * width + j);
    z[static_cast<std::size_t>(j)] = s;
  }
  return z;
}

class Rnn : public ::testing::Test {
 protected:
  void SetUp() override { Graph::reset_default(); }
};

// The LSTM over 5 steps, lengths {5, 2, 0}, against loops: outputs zero past the end, state frozen.
TEST_F(Rnn, LstmMatchesLoopsAndMasksPastTheEnd) {
  Node x = placeholder(DType::f64, {kBatch, kSteps, kIn});
  Node len = placeholder(DType::i64, {kBatch});
  auto cell = nn::lstm_cell(kUnits, {.forget_bias = 1.0, .seed = 3});
  auto [out, state] = nn::dynamic_rnn(*cell, x, len);
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(out.shape(), Shape({kBatch, kSteps, kUnits}));
  ASSERT_EQ(cell->variables().size(), 2u);
  EXPECT_EQ(cell->variables()[0].name(), "lstm_cell/kernel");
  EXPECT_EQ(cell->variables()[0].shape(), Shape({kIn + kUnits, 4 * kUnits}));
  Session s;
  const Tensor xv = seq_input(0), lv = Tensor::from_vector(std::vector<std::int64_t>{5, 2, 0}, {kBatch});
  const auto got = s.run({out, state[0], state[1], cell->variables()[0], cell->variables()[1]}, {{x, xv}, {len, lv}});
  const Tensor &K = got[3], &bias = got[4];
  for (std::int64_t b = 0; b < kBatch; ++b) {
    std::vector<double> c(kUnits, 0.0), h(kUnits, 0.0);
    for (std::int64_t t = 0; t < kSteps; ++t) {
      const bool alive = t < lv.flat(b);
      std::vector<double> xh;
      for (std::int64_t i = 0; i < kIn; ++i) xh.push_back(xv.flat((b * kSteps + t) * kIn + i));
      xh.insert(xh.end(), h.begin(), h.end());
      const auto z = affine(K, bias, xh);
      for (std::int64_t u = 0; u < kUnits; ++u) {
        const double i = z[u], j = z[kUnits + u], f = z[2 * kUnits + u], o = z[3 * kUnits + u];
        const double cn = sig(f + 1.0) * c[u] + sig(i) * std::tanh(j), hn = sig(o) * std::tanh(cn);
        if (alive) c[u] = cn, h[u] = hn;
        EXPECT_NEAR(got[0].flat((b * kSteps + t) * kUnits + u), alive ? hn : 0.0, 1e-12) << b << " " << t;
      }
    }
    for (std::int64_t u = 0; u < kUnits; ++u) {
      EXPECT_NEAR(got[1].flat(b * kUnits + u), c[u], 1e-12);
      EXPECT_NEAR(got[2].flat(b * kUnits + u), h[u], 1e-12);
    }
  }
}

TEST_F(Rnn, GruAndBasicRnnStepsMatchLoops) {
  Node x = placeholder(DType::f64, {kBatch, kIn}), h0 = placeholder(DType::f64, {kBatch, kUnits});
  auto gru = nn::gru_cell(kUnits, {.seed = 5});
  auto basic = nn::basic_rnn_cell(kUnits, {.seed = 6});
  auto [g_out, g_state] = gru->step(x, {h0});
  auto [b_out, b_state] = basic->step(x, {h0});
  ASSERT_EQ(gru->variables().size(), 4u);
  EXPECT_EQ(gru->variables()[0].name(), "gru_cell/gates/kernel");
  EXPECT_EQ(gru->variables()[2].name(), "gru_cell/candidate/kernel");
  Session s;
  Tensor xv(DType::f64, {kBatch, kIn}), hv(DType::f64, {kBatch, kUnits});
  for (std::int64_t i = 0; i < xv.size(); ++i) xv.data<double>()[i] = 0.3 * static_cast<double>(i) - 0.8;
  for (std::int64_t i = 0; i < hv.size(); ++i) hv.data<double>()[i] = std::cos(static_cast<double>(i));
  auto gv = gru->variables(), bv = basic->variables();
  const auto got = s.run({g_out, b_out, gv[0], gv[1], gv[2], gv[3], bv[0], bv[1]}, {{x, xv}, {h0, hv}});
  EXPECT_EQ(got[3].flat(0), 1.0);  // the gates' bias starts at 1, as TensorFlow's
  for (std::int64_t b = 0; b < kBatch; ++b) {
    std::vector<double> xh, h;
    for (std::int64_t i = 0; i < kIn; ++i) xh.push_back(xv.flat(b * kIn + i));
    for (std::int64_t u = 0; u < kUnits; ++u) h.push_back(hv.flat(b * kUnits + u));
    std::vector<double> xrh = xh, xhh = xh;
    xhh.insert(xhh.end(), h.begin(), h.end());
    const auto gates = affine(got[2], got[3], xhh), basic_z = affine(got[6], got[7], xhh);
    for (std::int64_t u = 0; u < kUnits; ++u) xrh.push_back(sig(gates[u]) * h[u]);
    const auto cand = affine(got[4], got[5], xrh);
    for (std::int64_t u = 0; u < kUnits; ++u) {
      const double z = sig(gates[kUnits + u]);
      EXPECT_NEAR(got[0].flat(b * kUnits + u), z * h[u] + (1 - z) * std::tanh(cand[u]), 1e-12);
      EXPECT_NEAR(got[1].flat(b * kUnits + u), std::tanh(basic_z[u]), 1e-12);
    }
  }
}

// d(sum of outputs and final state · weights)/d(inputs, every Variable) against central differences,
// through 5 steps with lengths {5, 3, 1}, for each cell and a two-layer stack.
TEST_F(Rnn, GradientsThroughFiveStepsWithDifferentLengths) {
  for (const std::string kind : {"basic", "lstm", "gru", "multi"}) {
    SCOPED_TRACE(kind);
    Graph::reset_default();
    Node x = placeholder(DType::f64, {kBatch, kSteps, kIn});
    Node len = constant(Tensor::from_vector(std::vector<std::int64_t>{5, 3, 1}, {kBatch}));
    std::shared_ptr<nn::RNNCell> cell =
        kind == "basic" ? nn::basic_rnn_cell(kUnits, {.seed = 1})
        : kind == "lstm" ? nn::lstm_cell(kUnits, {.seed = 2})
        : kind == "gru"  ? nn::gru_cell(kUnits, {.seed = 3})
                         : nn::multi_rnn_cell({nn::lstm_cell(3, {.seed = 4}), nn::gru_cell(kUnits, {.seed = 5})});
    auto [out, state] = nn::dynamic_rnn(*cell, x, len);
    Tensor w(DType::f64, {kBatch, kSteps, kUnits});
    for (std::int64_t i = 0; i < w.size(); ++i) w.data<double>()[i] = std::cos(1.3 * static_cast<double>(i));
    Node loss = reduce_sum(out * constant(w));
    for (const Node& st : state) loss = loss + reduce_sum(square(st));
    const FeedDict feeds{{x, seq_input(1)}};
    EXPECT_LE(compute_gradient_error(loss, x, feeds), 1e-6);
    for (const Node& v : cell->variables()) EXPECT_LE(compute_gradient_error(loss, v, feeds), 1e-6) << v.name();
  }
}

// The fused op against the unrolled cell with the same weights: outputs, last state, and the
// gradients w.r.t. inputs, initial state and weights; float64 to rounding, float32 within 1e-5.
TEST_F(Rnn, BlockLstmEqualsTheUnrolledCell) {
  for (DType dtype : {DType::f64, DType::f32}) {
    SCOPED_TRACE(dtype_name(dtype));
    Graph::reset_default();
    Node x = placeholder(dtype, {kSteps, kBatch, kIn});  // time-major
    Node c0 = placeholder(dtype, {kBatch, kUnits}), h0 = placeholder(dtype, {kBatch, kUnits});
    auto cell = nn::lstm_cell(kUnits, {.forget_bias = 0.7, .seed = 9});
    auto [outs, state] = nn::dynamic_rnn(*cell, x, Node(), {c0, h0}, true);
    const Node kernel = cell->variables()[0], bias = cell->variables()[1];
    const nn::BlockLstmOutputs fused = nn::block_lstm(x, c0, h0, kernel, bias, 0.7);
    Tensor w(DType::f64, {kSteps, kBatch, kUnits});
    for (std::int64_t i = 0; i < w.size(); ++i) w.data<double>()[i] = std::sin(0.37 * static_cast<double>(i));
    const Node wc = constant(w.astype(dtype));
    auto loss_of = [&](const Node& o, const Node& c, const Node& h) {
      return reduce_sum(o * wc) + reduce_sum(square(c)) + 0.5 * reduce_sum(h);
    };
    const std::vector<Node> xs{x, c0, h0, kernel, bias};
    std::vector<Node> fetch{outs, state[0], state[1], fused.outputs, fused.c, fused.h};
    for (const Node& g : gradients(loss_of(outs, state[0], state[1]), xs)) fetch.push_back(g);
    for (const Node& g : gradients(loss_of(fused.outputs, fused.c, fused.h), xs)) fetch.push_back(g);
    Tensor cv(DType::f64, {kBatch, kUnits}), hv(DType::f64, {kBatch, kUnits});
    for (std::int64_t i = 0; i < cv.size(); ++i)
      cv.data<double>()[i] = 0.4 * std::cos(static_cast<double>(i)), hv.data<double>()[i] = 0.3 * std::sin(2.0 * i);
    Session s;
    const Tensor xv = seq_input(4).reshaped({kSteps, kBatch, kIn}).astype(dtype);
    const auto got = s.run(fetch, {{x, xv}, {c0, cv.astype(dtype)}, {h0, hv.astype(dtype)}});
    const double tol = dtype == DType::f64 ? 1e-12 : 2e-5;
    for (std::size_t k = 0; k < 3 + xs.size(); ++k) {
      const std::size_t a = k < 3 ? k : 6 + (k - 3), b = k < 3 ? k + 3 : 6 + xs.size() + (k - 3);
      ASSERT_EQ(got[a].shape(), got[b].shape()) << k;
      for (std::int64_t i = 0; i < got[a].size(); ++i)
        ASSERT_NEAR(got[a].flat(i), got[b].flat(i), tol * (1 + std::fabs(got[a].flat(i)))) << "result " << k << " at " << i;
    }
  }
}

TEST_F(Rnn, MultiCellNamesAndErrors) {
  Node x = placeholder(DType::f64, {kBatch, kSteps, kIn});
  auto multi = nn::multi_rnn_cell({nn::lstm_cell(kUnits), nn::lstm_cell(kUnits)});
  auto [out, state] = nn::dynamic_rnn(*multi, x);
  EXPECT_EQ(state.size(), 4u);
  EXPECT_EQ(multi->variables()[2].name(), "multi_rnn_cell/cell_1/lstm_cell/kernel");
  EXPECT_EQ(multi->variables()[2].shape(), Shape({2 * kUnits, 4 * kUnits}));
  // a cell that already made its Variables keeps them (and their names) inside a stack
  auto used = nn::gru_cell(3);
  used->step(placeholder(DType::f64, {kBatch, kIn}), used->zero_state(placeholder(DType::f64, {kBatch, kIn}), DType::f64));
  auto stacked = nn::multi_rnn_cell({used, nn::gru_cell(3)});
  nn::dynamic_rnn(*stacked, placeholder(DType::f64, {kBatch, kSteps, kIn}));
  EXPECT_EQ(used->variables().size(), 4u);
  EXPECT_EQ(stacked->variables()[0].name(), "gru_cell/gates/kernel");
  EXPECT_EQ(stacked->variables()[4].name(), "multi_rnn_cell/cell_1/gru_cell/gates/kernel");
  EXPECT_THROW(nn::lstm_cell(0), GraphError);
  EXPECT_THROW(nn::dynamic_rnn(*nn::lstm_cell(2), placeholder(DType::f64, {kBatch, -1, kIn})), ShapeError);
  EXPECT_THROW(nn::static_rnn(*nn::lstm_cell(2), {}), GraphError);
  EXPECT_THROW(nn::lstm_cell(2)->step(placeholder(DType::f64, {kBatch, kIn}), {}), GraphError);
  EXPECT_THROW(nn::dynamic_rnn(*nn::gru_cell(2), x, placeholder(DType::f64, {kBatch})), DTypeError);
}

}  // namespace
