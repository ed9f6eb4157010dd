// The training loop: it learns, it reports each epoch, and early stopping restores the weights
// of the best validation epoch (checked by evaluating them again).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <optional>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
// Part V's four clusters, n points each, labels 0 (blue) and 1 (red); `noise` flips labels.
train::Dataset clusters(int n, std::uint64_t seed, double flip = 0) {
  Rng rng(seed);
  const double centres[4][2] = {{0, 1}, {1, 0}, {0, 0}, {1, 1}};
  std::vector<double> x;
  std::vector<std::int64_t> y;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < n; ++i) {
      x.push_back(0.2 * rng.normal() + centres[k][0]);
      x.push_back(0.2 * rng.normal() + centres[k][1]);
      const std::int64_t label = k < 2 ? 0 : 1;
      y.push_back(rng.uniform() < flip ? 1 - label : label);
    }
  return train::Dataset(Tensor::from_vector(x, {4 * n, 2}), Tensor::from_vector(y, {4 * n}));
}

train::Model mlp(std::int64_t hidden, double lr, std::uint64_t seed, bool sgd = false) {
  Rng rng(seed);
  train::Model m;
  m.inputs = placeholder(DType::f64, {kUnknownDim, 2}, "x");
  m.labels = placeholder(DType::i64, {kUnknownDim}, "y");
  Node h = layers::dense(m.inputs, hidden, rng, layers::Activation::tanh, layers::Init::automatic, "h");
  Node logits = layers::dense(h, 2, rng, layers::Activation::none, layers::Init::automatic, "out");
  m.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.labels, logits));
  m.accuracy = layers::accuracy(logits, m.labels);
  m.train_op = sgd ? train::GradientDescentOptimizer(lr).minimize(m.loss) : train::AdamOptimizer(lr).minimize(m.loss);
  return m;
}
}  // namespace

TEST(Trainer, LearnsAndReportsEveryEpoch) {
  Graph().as_default();
  train::Model m = mlp(8, 0.05, 1);
  auto [train_set, val_set] = clusters(50, 2).split(0.25, 3);
  std::ostringstream log;
  train::FitOptions o;
  o.epochs = 15;
  o.batch_size = 16;
  o.log = &log;
  Session s;
  train::History h = train::fit(s, m, train_set, &val_set, o);
  ASSERT_EQ(h.epochs.size(), 15u);
  EXPECT_LT(h.epochs.back().train_loss, 0.5 * h.epochs.front().train_loss);
  EXPECT_GE(h.epochs.back().val_accuracy.value(), 0.9);
  EXPECT_NE(log.str().find("epoch 15/15  train loss"), std::string::npos) << log.str();
  EXPECT_EQ(log.str().find('\r'), std::string::npos);  // not a terminal: plain lines only
  auto [loss, acc] = train::evaluate(s, m, val_set);
  EXPECT_NEAR(loss, h.epochs.back().val_loss.value(), 1e-12);
  EXPECT_NEAR(acc.value(), h.epochs.back().val_accuracy.value(), 1e-12);
}

TEST(Trainer, EarlyStoppingRestoresTheBestEpochsWeights) {
  Graph().as_default();
  // Few, noisy training points and a large model with a large step: validation loss soon rises.
  train::Model m = mlp(64, 0.1, 4);
  train::Dataset train_set = clusters(6, 5, 0.3), val_set = clusters(50, 6);
  train::FitOptions o;
  o.epochs = 200;
  o.batch_size = 8;
  o.patience = 5;
  o.quiet = true;
  Session s;
  train::History h = train::fit(s, m, train_set, &val_set, o);
  ASSERT_TRUE(h.stopped_early);
  EXPECT_LT(static_cast<std::size_t>(h.best_epoch), h.epochs.size());
  EXPECT_EQ(h.epochs.size(), static_cast<std::size_t>(h.best_epoch + o.patience));
  for (const auto& e : h.epochs) EXPECT_GE(*e.val_loss, *h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_loss);
  // The session now holds the best epoch's weights: evaluating gives that epoch's figures.
  auto [loss, acc] = train::evaluate(s, m, val_set);
  EXPECT_NEAR(loss, *h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_loss, 1e-12);
  EXPECT_NEAR(*acc, *h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_accuracy, 1e-12);
}

// No training configuration crashes (issue 11): a loss that is NaN from the first step (a
// diverging step size, or a NaN in the data) with early stopping, empty splits, patience without
// validation data, and metrics that were not computed.
// A copy of `data` with one NaN feature.
train::Dataset with_a_nan(const train::Dataset& data, std::int64_t at) {
  Tensor x = data.features().clone();
  x.data<double>()[at] = NAN;
  return train::Dataset(x, data.labels());
}

TEST(Trainer, EarlyStoppingWithANaNValidationLossKeepsTheWeightsAndReports) {
  // Before issue 11 this crashed: no epoch was ever the best, and stopping restored from nothing.
  Graph().as_default();
  train::Model m = mlp(8, 0.05, 1);
  auto [train_set, val_set] = clusters(50, 2).split(0.25, 3);
  std::ostringstream log;
  train::FitOptions o;
  o.epochs = 10;
  o.batch_size = 16;
  o.patience = 2;
  o.log = &log;
  Session s;
  const train::Dataset poisoned = with_a_nan(val_set, 3);
  const train::History h = train::fit(s, m, train_set, &poisoned, o);
  EXPECT_TRUE(h.stopped_early);
  EXPECT_EQ(h.best_epoch, 0);
  ASSERT_EQ(h.epochs.size(), 2u);
  EXPECT_TRUE(std::isnan(*h.epochs[0].val_loss));
  EXPECT_FALSE(h.non_finite.has_value());  // the training loss stayed finite
  const std::string text = log.str();
  EXPECT_NE(text.find("val loss nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("-nan"), std::string::npos) << text;
  EXPECT_NE(text.find("no epoch had a finite validation loss, so the last epoch's weights stay"), std::string::npos)
      << text;
  EXPECT_TRUE(std::isfinite(train::evaluate(s, m, train_set).loss));  // the trained weights are still there
}

TEST(Trainer, ADivergingStepSizeIsReportedWithItsEpochAndStep) {
  Graph().as_default();
  train::Model m = mlp(8, 1e307, 1, true);  // a step of 1e307: weights and logits overflow within a few steps
  auto [train_set, val_set] = clusters(50, 2).split(0.25, 3);
  std::ostringstream log;
  train::FitOptions o;
  o.epochs = 4;
  o.batch_size = 16;
  o.patience = 2;
  o.log = &log;
  Session s;
  const train::History h = train::fit(s, m, train_set, &val_set, o);
  ASSERT_TRUE(h.non_finite.has_value());
  EXPECT_EQ(h.non_finite->epoch, 1);
  EXPECT_FALSE(std::isfinite(h.non_finite->loss));
  EXPECT_FALSE(h.stopped_non_finite);
  EXPECT_NE(log.str().find("warning: the training loss is inf at epoch 1, step " + std::to_string(h.non_finite->step) +
                           " of 10: training diverged (a smaller learning rate?)"), std::string::npos) << log.str();
}

TEST(Trainer, ANaNInTheDataIsReportedAndCanStopTraining) {
  Graph().as_default();
  train::Model m = mlp(8, 0.05, 1);
  const train::Dataset poisoned = with_a_nan(clusters(20, 2), 7);
  train::FitOptions o;
  o.epochs = 5;
  o.batch_size = 8;
  o.stop_on_non_finite = true;
  o.quiet = true;
  Session s;
  const train::History h = train::fit(s, m, poisoned, nullptr, o);
  ASSERT_TRUE(h.non_finite.has_value());
  EXPECT_TRUE(h.stopped_non_finite);
  EXPECT_EQ(h.epochs.size(), 1u);  // the epoch it stopped in is reported, no later one
  EXPECT_EQ(h.non_finite->epoch, 1);
  EXPECT_GE(h.non_finite->step, 1);
  EXPECT_LE(h.non_finite->step, 10);
}

TEST(Trainer, RefusesEmptySplitsAndPatienceWithoutValidationUpFront) {
  Graph().as_default();
  train::Model m = mlp(4, 0.05, 1);
  const train::Dataset data = clusters(5, 2);
  const train::Dataset empty = data.subset({});
  train::FitOptions o;
  o.quiet = true;
  Session s;
  auto message = [&](const train::Dataset& t, const train::Dataset* v, int patience) {
    o.patience = patience;
    try {
      train::fit(s, m, t, v, o);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(empty, &data, 0), "fit: the training set is empty (0 examples, validation set 20)");
  EXPECT_EQ(message(data, &empty, 0), "fit: the validation set is empty (training set 20 examples): pass no "
                                      "validation data, or a larger validation fraction");
  EXPECT_EQ(message(data, nullptr, 3), "fit: patience 3 needs validation data (early stopping watches the "
                                       "validation loss)");
  EXPECT_EQ(s.stats().runs, 0u);  // refused before anything ran
  EXPECT_THROW(train::evaluate(s, m, empty), Error);
}

TEST(Trainer, MetricsNotComputedAreAbsent) {
  Graph().as_default();
  train::Model m = mlp(4, 0.05, 1);
  m.accuracy = Node();  // no accuracy node
  train::FitOptions o;
  o.epochs = 2;
  o.batch_size = 16;
  o.quiet = true;
  Session s;
  const train::History h = train::fit(s, m, clusters(10, 2), nullptr, o);
  for (const auto& e : h.epochs) {
    EXPECT_TRUE(std::isfinite(e.train_loss));
    EXPECT_FALSE(e.train_accuracy || e.val_loss || e.val_accuracy);
  }
  EXPECT_EQ(h.best_epoch, 0);
  EXPECT_FALSE(train::evaluate(s, m, clusters(3, 4)).accuracy.has_value());
}

namespace {
// Identity on its input that raises `stop` when it has run `at` times (a Ctrl-C at a chosen step).
struct StopAt : CustomOp {
  StopAt(std::atomic<bool>& s, int a) : stop(s), at(a) {}
  std::string type() const override { return "StopAt"; }
  Tensor compute(const std::vector<Tensor>& in) override {
    if (++runs == at) stop = true;
    return in[0];
  }
  std::vector<Node> gradient(const Node&, const Node& dy) override { return {dy}; }
  std::atomic<bool>& stop;
  int at, runs = 0;
};

// Trains the clusters model for 4 epochs with early-stopping bookkeeping; with `stop_at` > 0 the
// run is interrupted there and resumed, in a fresh session, from the state it checkpointed (the
// Variables and the FitState, as the CLI writes them). Returns the final values of every Variable.
std::vector<Tensor> train_maybe_interrupted(int stop_at, train::History* out) {
  Graph().as_default();
  std::atomic<bool> stop{false};
  // With dropout: its masks must continue where they stopped, as Adam's moments must.
  Rng rng(1);
  train::Model m;
  m.inputs = placeholder(DType::f64, {kUnknownDim, 2}, "x");
  m.labels = placeholder(DType::i64, {kUnknownDim}, "y");
  Node training = placeholder(DType::boolean, {}, "training");
  Node hidden = layers::dense(m.inputs, 16, rng, layers::Activation::tanh, layers::Init::automatic, "h");
  hidden = layers::dropout(hidden, 0.3, training, 9);
  Node logits = layers::dense(hidden, 2, rng, layers::Activation::none, layers::Init::automatic, "out");
  m.loss = custom_op(std::make_shared<StopAt>(stop, stop_at),
                     {reduce_mean(sparse_softmax_cross_entropy_with_logits(m.labels, logits))}, "stop_at");
  m.accuracy = layers::accuracy(logits, m.labels);
  m.train_op = train::AdamOptimizer(0.05).minimize(m.loss);
  Tensor on(DType::boolean, {}), off(DType::boolean, {});
  on.data<bool>()[0] = true;
  m.train_feeds.set(training, on);
  m.eval_feeds.set(training, off);
  auto [train_set, val_set] = clusters(40, 2).split(0.25, 3);
  train::FitOptions o;
  o.epochs = 4;
  o.batch_size = 16;
  o.patience = 3;
  o.quiet = true;
  o.stop = &stop;
  std::optional<train::FitState> saved;
  std::vector<Tensor> saved_values;
  Session s;
  const std::vector<Node> all = Graph::get_default().variables();
  o.on_checkpoint = [&](const train::FitState& st) {
    saved = st;
    saved_values = s.values(all);
  };
  train::History h = train::fit(s, m, train_set, &val_set, o);
  if (h.interrupted) {
    EXPECT_TRUE(saved.has_value());
    Session fresh;  // a new process would start here: restore the Variables, then resume
    std::vector<std::pair<Node, Tensor>> restore;
    for (std::size_t i = 0; i < all.size(); ++i) restore.emplace_back(all[i], saved_values[i]);
    fresh.assign(restore);
    stop = false;
    o.resume = &*saved;
    h = train::fit(fresh, m, train_set, &val_set, o);
    EXPECT_FALSE(h.interrupted);
    *out = h;
    return fresh.values(all);
  }
  *out = h;
  return s.values(all);
}
}  // namespace

TEST(Trainer, ResumingAnInterruptedRunGivesTheUninterruptedResult) {
  train::History whole;
  const std::vector<Tensor> want = train_maybe_interrupted(0, &whole);
  ASSERT_EQ(whole.epochs.size(), 4u);
  // Steps: 8 per epoch, and the loss also runs in each epoch's two evaluations (3 + 1 batches).
  for (int at : {1, 5, 8, 13, 21, 30, 47}) {
    train::History h;
    const std::vector<Tensor> got = train_maybe_interrupted(at, &h);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i)
      EXPECT_EQ(got[i].to_vector<double>(), want[i].to_vector<double>()) << "stopped at run " << at << ", variable " << i;
    ASSERT_EQ(h.epochs.size(), whole.epochs.size());
    for (std::size_t e = 0; e < h.epochs.size(); ++e) EXPECT_EQ(*h.epochs[e].val_loss, *whole.epochs[e].val_loss);
    EXPECT_EQ(h.best_epoch, whole.best_epoch);
  }
}

// Issue 5's regularisation check: an over-sized MLP on 2,000 Fashion-MNIST images overfits; with
// dropout and L2 weight decay the gap between validation and training loss is smaller.
TEST(Regularisation, DropoutAndL2ShrinkTheTrainValidationGap) {
  if (!std::ifstream("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const train::Dataset all = train::Dataset::fashion_mnist("train");
  std::vector<std::int64_t> first(2500);
  for (std::int64_t i = 0; i < 2500; ++i) first[static_cast<std::size_t>(i)] = i;
  auto [small, val] = all.subset(first).split(0.2, 7);  // 2,000 to train, 500 to validate
  auto named = [](const char* prefix, int l) {  // NOTE: "x" + std::string trips g++ 12's -Wrestrict
    std::string n = prefix;
    n += std::to_string(l);
    return n;
  };
  auto gap = [&](bool regularise) {
    Graph().as_default();
    Rng rng(11);
    train::Model m;
    m.inputs = placeholder(DType::f32, {kUnknownDim, 784});
    m.labels = placeholder(DType::i64, {kUnknownDim});
    Node training = placeholder(DType::boolean, {});
    Node h = m.inputs;
    for (int l = 0; l < 2; ++l) {
      h = layers::dense(h, 512, rng, layers::Activation::relu, layers::Init::automatic, named("h", l));
      if (regularise) h = layers::dropout(h, 0.5, training, 20 + static_cast<std::uint64_t>(l), named("d", l));
    }
    Node logits = layers::dense(h, 10, rng, layers::Activation::none, layers::Init::automatic, "out");
    m.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.labels, logits));
    m.accuracy = layers::accuracy(logits, m.labels);
    Graph g = Graph::get_default();
    Node objective = m.loss;
    if (regularise) objective = add(m.loss, layers::l2_loss({g.node("h0/kernel"), g.node("h1/kernel"), g.node("out/kernel")}) * 1e-4);
    m.train_op = train::AdamOptimizer(1e-3).minimize(objective);
    Tensor on(DType::boolean, {}), off(DType::boolean, {});
    on.data<bool>()[0] = true;
    m.train_feeds.set(training, on);
    m.eval_feeds.set(training, off);
    train::FitOptions o;
    o.epochs = 25;
    o.batch_size = 64;
    o.seed = 3;
    o.quiet = true;
    Session s;
    train::History hist = train::fit(s, m, small, &val, o);
    const auto& last = hist.epochs.back();
    return *last.val_loss - last.train_loss;
  };
  const double plain = gap(false), regularised = gap(true);
  EXPECT_GT(plain, 0.3);                // it does overfit
  EXPECT_LT(regularised, 0.7 * plain);  // and regularisation narrows the gap
  std::cout << "validation - training loss: " << plain << " plain, " << regularised << " with dropout and L2\n";
}
