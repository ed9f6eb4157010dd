// Layers, losses and metrics: shapes, initialiser statistics, values by hand, and a network built
// from dense layers that learns.
#include <gtest/gtest.h>

#include <cmath>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
void moments(const Tensor& t, double& mean, double& sd, double& maxabs) {
  mean = sd = maxabs = 0;
  for (std::int64_t i = 0; i < t.size(); ++i) mean += t.flat(i) / static_cast<double>(t.size());
  for (std::int64_t i = 0; i < t.size(); ++i) {
    sd += (t.flat(i) - mean) * (t.flat(i) - mean) / static_cast<double>(t.size());
    maxabs = std::max(maxabs, std::fabs(t.flat(i)));
  }
  sd = std::sqrt(sd);
}
}  // namespace

TEST(Dense, ShapesNamesAndValue) {
  Graph g;
  g.as_default();
  Rng rng(1);
  Node x = placeholder(DType::f64, {kUnknownDim, 3}, "x");
  Node y = layers::dense(x, 2, rng, layers::Activation::relu, layers::Init::automatic, "hidden");
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 2}));
  Node W = g.node("hidden/kernel"), b = g.node("hidden/bias");
  EXPECT_EQ(W.shape(), (Shape{3, 2}));
  EXPECT_EQ(b.value().to_vector<double>(), (std::vector<double>{0, 0}));
  EXPECT_TRUE(W.trainable());
  Session s;
  s.assign(b, Tensor{0.5, -10.0});
  Tensor in{{1.0, 2.0, 3.0}};
  Tensor out = s.run(y, {{x, in}});
  const Tensor w = s.run(W);
  for (int j = 0; j < 2; ++j) {
    double z = (j == 0 ? 0.5 : -10.0);
    for (int k = 0; k < 3; ++k) z += in.flat(k) * w.flat(k * 2 + j);
    EXPECT_NEAR(out.flat(j), std::max(z, 0.0), 1e-12);
  }
}

TEST(Dense, InitialisersHaveTheirDocumentedStatistics) {
  Graph g;
  g.as_default();
  Rng rng(2);
  Node x = placeholder(DType::f32, {kUnknownDim, 400});
  layers::dense(x, 300, rng, layers::Activation::relu, layers::Init::automatic, "he");
  layers::dense(x, 300, rng, layers::Activation::tanh, layers::Init::automatic, "glorot");
  double mean, sd, maxabs;
  moments(g.node("he/kernel").value(), mean, sd, maxabs);
  EXPECT_NEAR(mean, 0.0, 0.002);
  EXPECT_NEAR(sd, std::sqrt(2.0 / 400), 0.02 * std::sqrt(2.0 / 400));
  moments(g.node("glorot/kernel").value(), mean, sd, maxabs);
  const double bound = std::sqrt(6.0 / 700);
  EXPECT_LE(maxabs, bound);
  EXPECT_NEAR(sd, bound / std::sqrt(3.0), 0.02 * bound);  // the sd of U(-a, a) is a / sqrt(3)
  EXPECT_EQ(g.node("he/kernel").dtype(), DType::f32);
}

TEST(Dense, UnknownInputWidthIsAClearError) {
  Graph().as_default();
  Rng rng(3);
  try {
    layers::dense(placeholder(DType::f64, {kUnknownDim, kUnknownDim}, "x"), 4, rng);
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'x' must be known, got [?, ?]"), std::string::npos) << e.what();
  }
}

TEST(Losses, L2LossAndAccuracyByHand) {
  Graph().as_default();
  Node a = Variable(Tensor{1.0, -2.0}), b = Variable(Tensor{{3.0}});
  Node logits = constant(Tensor{{1.0, 2.0}, {3.0, 0.0}, {0.0, 1.0}});
  Node labels = constant(Tensor{1, 0, 0});
  Session s;
  EXPECT_DOUBLE_EQ(s.run(layers::l2_loss({a, b})).item<double>(), 0.5 * (1 + 4 + 9));
  EXPECT_DOUBLE_EQ(s.run(layers::accuracy(logits, labels)).item<double>(), 2.0 / 3.0);
}

TEST(Dense, ANetworkOfDenseLayersLearnsPartFivesProblem) {
  Graph().as_default();
  Rng rng(4);
  const double centres[4][2] = {{0, 1}, {1, 0}, {0, 0}, {1, 1}};
  std::vector<double> points;
  std::vector<std::int64_t> labels;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 25; ++i) {
      points.push_back(0.2 * rng.normal() + centres[k][0]);
      points.push_back(0.2 * rng.normal() + centres[k][1]);
      labels.push_back(k < 2 ? 0 : 1);
    }
  Node X = placeholder(DType::f64, {kUnknownDim, 2});
  Node y = placeholder(DType::i64, {kUnknownDim});
  Node h = layers::dense(X, 8, rng, layers::Activation::tanh, layers::Init::automatic, "h");
  Node logits = layers::dense(h, 2, rng, layers::Activation::none, layers::Init::automatic, "out");
  Node loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(y, logits));
  Node step = train::GradientDescentOptimizer(0.5).minimize(loss);
  Node acc = layers::accuracy(logits, y);
  FeedDict f{{X, Tensor::from_vector(points, {100, 2})}, {y, Tensor::from_vector(labels, {100})}};
  Session s;
  const double first = s.run(loss, f).item<double>();
  for (int i = 0; i < 2000; ++i) s.run(step, f);
  EXPECT_LT(s.run(loss, f).item<double>(), 0.2 * first);
  EXPECT_GE(s.run(acc, f).item<double>(), 0.95);
}

TEST(Dropout, TrainingZeroesAboutRateAndScalesTheRestInferencePassesThrough) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {100000}, "x");
  Node training = placeholder(DType::boolean, {}, "training");
  Node y = layers::dropout(x, 0.3, training, 42);
  Tensor ones = Tensor::ones({100000});
  Tensor on(DType::boolean, {}), off(DType::boolean, {});
  on.data<bool>()[0] = true;
  Session s;
  EXPECT_EQ(max_abs_diff(s.run(y, {{x, ones}, {training, off}}), ones), 0.0);
  Tensor a = s.run(y, {{x, ones}, {training, on}}), b = s.run(y, {{x, ones}, {training, on}});
  std::int64_t zeros = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    if (a.flat(i) == 0) ++zeros;
    else ASSERT_DOUBLE_EQ(a.flat(i), 1 / 0.7);
  }
  EXPECT_NEAR(static_cast<double>(zeros) / 100000, 0.3, 0.005);  // ~ 4.6 sigma
  EXPECT_GT(max_abs_diff(a, b), 0.0);                             // a new mask every run
  Session fresh;  // the same seed and run number (the second run) give the same mask
  fresh.run(y, {{x, ones}, {training, off}});
  EXPECT_EQ(max_abs_diff(fresh.run(y, {{x, ones}, {training, on}}), a), 0.0);
}

TEST(Dropout, GradientIsTheMaskWithTheRandomNodeFrozen) {
  Graph g;
  g.as_default();
  Rng rng(9);
  Node x = placeholder(DType::f64, {3, 4}, "x");
  Node training = placeholder(DType::boolean, {}, "training");
  Node y = layers::dropout(x, 0.5, training, 1, "drop");
  Tensor on(DType::boolean, {});
  on.data<bool>()[0] = true;
  FeedDict f{{x, Tensor::randn({3, 4}, rng)}, {training, on}, {g.node("drop/random"), Tensor::uniform({3, 4}, rng)}};
  Session s;
  EXPECT_LE(check_gradient(s, y, x, f).max_rel_error, 1e-6);
  EXPECT_THROW(layers::dropout(x, 1.0, training), GraphError);
}

TEST(RandomUniformLike, InTheUnitIntervalWithUniformMoments) {
  Graph().as_default();
  Node x = placeholder(DType::f32, {50000});
  Node u = random_uniform_like(x, 3);
  Session s;
  Tensor v = s.run(u, {{x, Tensor::zeros({50000}, DType::f32)}});
  double mean = 0, var = 0;
  for (std::int64_t i = 0; i < v.size(); ++i) {
    ASSERT_GE(v.flat(i), 0.0);
    ASSERT_LT(v.flat(i), 1.0);
    mean += v.flat(i) / 50000;
  }
  for (std::int64_t i = 0; i < v.size(); ++i) var += (v.flat(i) - mean) * (v.flat(i) - mean) / 50000;
  EXPECT_NEAR(mean, 0.5, 0.006);
  EXPECT_NEAR(var, 1.0 / 12, 0.002);
  EXPECT_EQ(u.dtype(), DType::f32);
}

// Issue 14: 10^6 draws of N(mean, stddev^2): the sample mean within 4 standard errors (stddev /
// sqrt(n)), the sample variance within 4 of its own (stddev^2 sqrt(2 / n)), and the share within
// one stddev of the mean within 4 of its (sqrt(p (1 - p) / n)) of 0.6827: a normal's, not a
// uniform's (0.577) with the same moments.
namespace {
void expect_normal(const Tensor& v, double mean, double stddev) {
  const double n = static_cast<double>(v.size());
  double m = 0, var = 0, inside = 0;
  for (std::int64_t i = 0; i < v.size(); ++i) m += v.flat(i) / n;
  for (std::int64_t i = 0; i < v.size(); ++i) {
    var += (v.flat(i) - m) * (v.flat(i) - m) / n;
    inside += std::fabs(v.flat(i) - mean) < stddev ? 1.0 / n : 0.0;
  }
  EXPECT_NEAR(m, mean, 4 * stddev / std::sqrt(n));
  EXPECT_NEAR(var, stddev * stddev, 4 * stddev * stddev * std::sqrt(2 / n));
  const double p = std::erf(1 / std::sqrt(2.0));
  EXPECT_NEAR(inside, p, 4 * std::sqrt(p * (1 - p) / n));
}
}  // namespace

TEST(RandomNormal, MomentsOfAMillionDrawsForBothDtypesAndBothForms) {
  Graph().as_default();
  Session s;
  expect_normal(s.run(random_normal({1000, 1000})), 0.0, 1.0);
  Node r = random_normal({1000000}, 2.5, 3.0, DType::f64, 7);
  EXPECT_EQ(r.dtype(), DType::f64);
  expect_normal(s.run(r), 2.5, 3.0);
  // the like form: the shape of a placeholder of unknown length, known at run time
  Node x = placeholder(DType::f32, {kUnknownDim});
  Node l = random_normal_like(x, -1.0, 0.5, 3);
  EXPECT_EQ(l.shape(), Shape({kUnknownDim}));
  Tensor v = s.run(l, {{x, Tensor::zeros({999999}, DType::f32)}});
  EXPECT_EQ(v.shape(), Shape({999999}));  // an odd count: the last pair's second number unused
  expect_normal(v, -1.0, 0.5);
}

TEST(RandomNormal, NewOnEveryRunTheSameFromTheSeedInANewSession) {
  Graph().as_default();
  Node a = random_normal({64}, 0, 1, DType::f64, 5), b = random_normal({64}, 0, 1, DType::f64, 5);
  Session s1, s2;
  const Tensor a1 = s1.run(a), a2 = s1.run(a), b1 = s1.run(b), again = s2.run(a);
  int same = 0, same_node = 0, reproduced = 0;
  for (std::int64_t i = 0; i < 64; ++i) {
    same += a1.flat(i) == a2.flat(i);
    same_node += a1.flat(i) == b1.flat(i);
    reproduced += a1.flat(i) == again.flat(i);
  }
  EXPECT_EQ(same, 0);       // a second run draws new numbers
  EXPECT_EQ(same_node, 0);  // two nodes with one seed draw different numbers
  EXPECT_EQ(reproduced, 64);
  Session s3;
  s3.set_run_count(1);  // a resumed session continues the streams: its first run is the second
  const Tensor resumed = s3.run(a);
  for (std::int64_t i = 0; i < 64; ++i) EXPECT_EQ(resumed.flat(i), a2.flat(i));
}

TEST(RandomNormal, NoGradientFlowsThroughTheNumbersAndBadArgumentsAreRefused) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {3}, "x");
  // the reparameterisation z = x + e * eps: dz/dx = 1 though eps is shaped like x
  Node z = add(x, random_normal_like(x, 0, 1, 1));
  Node g = gradients(reduce_sum(z), {x})[0];
  Session s;
  Tensor gx = s.run(g, {{x, Tensor::zeros({3}, DType::f64)}});
  for (std::int64_t i = 0; i < 3; ++i) EXPECT_EQ(gx.flat(i), 1.0);
  EXPECT_THROW(random_normal({2}, 0, -1), GraphError);
  EXPECT_THROW(random_normal({2}, std::nan(""), 1), GraphError);
  EXPECT_THROW(random_normal({kUnknownDim}), ShapeError);
  EXPECT_THROW(random_normal({2}, 0, 1, DType::i32), DTypeError);
  EXPECT_THROW(random_normal({2}, 0, 1, DType::f32, ~std::uint64_t{0}), GraphError);
}
