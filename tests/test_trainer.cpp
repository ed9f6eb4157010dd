// The training loop: it learns, it reports each epoch, and early stopping restores the weights
// of the best validation epoch (checked by evaluating them again).
#include <gtest/gtest.h>

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

train::Model mlp(std::int64_t hidden, double lr, std::uint64_t seed) {
  Rng rng(seed);
  train::Model m;
  m.inputs = placeholder(DType::f64, {kUnknownDim, 2}, "x");
  m.labels = placeholder(DType::i64, {kUnknownDim}, "y");
  Node h = layers::dense(m.inputs, hidden, rng, layers::Activation::tanh, layers::Init::automatic, "h");
  Node logits = layers::dense(h, 2, rng, layers::Activation::none, layers::Init::automatic, "out");
  m.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.labels, logits));
  m.accuracy = layers::accuracy(logits, m.labels);
  m.train_op = train::AdamOptimizer(lr).minimize(m.loss);
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
  EXPECT_GE(h.epochs.back().val_accuracy, 0.9);
  EXPECT_NE(log.str().find("epoch 15/15  train loss"), std::string::npos) << log.str();
  EXPECT_EQ(log.str().find('\r'), std::string::npos);  // not a terminal: plain lines only
  auto [loss, acc] = train::evaluate(s, m, val_set);
  EXPECT_NEAR(loss, h.epochs.back().val_loss, 1e-12);
  EXPECT_NEAR(acc, h.epochs.back().val_accuracy, 1e-12);
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
  for (const auto& e : h.epochs) EXPECT_GE(e.val_loss, h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_loss);
  // The session now holds the best epoch's weights: evaluating gives that epoch's figures.
  auto [loss, acc] = train::evaluate(s, m, val_set);
  EXPECT_NEAR(loss, h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_loss, 1e-12);
  EXPECT_NEAR(acc, h.epochs[static_cast<std::size_t>(h.best_epoch - 1)].val_accuracy, 1e-12);
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
    if (regularise) objective = add(m.loss, layers::l2_loss({g.node("h0/W"), g.node("h1/W"), g.node("out/W")}) * 1e-4);
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
    return last.val_loss - last.train_loss;
  };
  const double plain = gap(false), regularised = gap(true);
  EXPECT_GT(plain, 0.3);                // it does overfit
  EXPECT_LT(regularised, 0.7 * plain);  // and regularisation narrows the gap
  std::cout << "validation - training loss: " << plain << " plain, " << regularised << " with dropout and L2\n";
}
