// Autodiff: the tutorial library's known traps, by name, plus broadcasting, non-scalar losses,
// gradients of gradients and the gradient table. Hand-derived values, and the gradient checker.
#include <gtest/gtest.h>

#include <cmath>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
double sig(double x) { return 1 / (1 + std::exp(-x)); }
void expect_values(const Tensor& t, const std::vector<double>& want, double tol = 1e-12) {
  ASSERT_EQ(t.size(), static_cast<std::int64_t>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(t.flat(static_cast<std::int64_t>(i)), want[i], tol) << i;
}
}  // namespace

TEST(AutodiffTraps, Diamond) {
  // u feeds two ops that both reach the loss: L = sum(2u + u^2), u = sigmoid(x).
  Graph().as_default();
  Node x = Variable(Tensor{0.3, -1.2});
  Node u = sigmoid(x);
  Node L = reduce_sum(add(multiply(u, scalar(2.0, DType::f64)), square(u)));
  Session s;
  Tensor g = s.run(gradients(L, {x})[0]);
  std::vector<double> want;
  for (double v : {0.3, -1.2}) want.push_back((2 + 2 * sig(v)) * sig(v) * (1 - sig(v)));
  expect_values(g, want);
  EXPECT_LE(check_gradient(s, L, x).max_rel_error, 1e-6);
}

TEST(AutodiffTraps, SkipConnection) {
  // L = sum(u + tanh(u)), u = W x: the gradient reaches u directly and through tanh.
  Graph().as_default();
  Node W = Variable(Tensor{{0.5, -0.3}, {0.2, 0.8}});
  Node x = placeholder(DType::f64, {2});
  Node u = matmul(W, x);
  Node L = reduce_sum(add(u, tanh(u)));
  Session s;
  FeedDict f{{x, Tensor{1.0, 2.0}}};
  Tensor g = s.run(gradients(L, {W})[0], f);
  const double u0 = 0.5 - 0.6, u1 = 0.2 + 1.6;
  const double d0 = 1 + 1 - std::tanh(u0) * std::tanh(u0), d1 = 2 - std::tanh(u1) * std::tanh(u1);
  expect_values(g, {d0 * 1, d0 * 2, d1 * 1, d1 * 2});
  EXPECT_LE(check_gradient(s, L, W, f).max_rel_error, 1e-6);
}

TEST(AutodiffTraps, ConsumerNotOnTheLossPath) {
  // x also feeds `side`, which the loss does not use: it must contribute nothing.
  Graph().as_default();
  Node x = Variable(Tensor{1.5, -2.0});
  Node side = exp(x);
  Node L = reduce_sum(square(x));
  (void)side;
  Session s;
  expect_values(s.run(gradients(L, {x})[0]), {3.0, -4.0});
  EXPECT_EQ(train::compute_gradients(L).count(side), 0u);
}

TEST(AutodiffTraps, VariableWithNoPathToTheLossGetsZero) {
  Graph().as_default();
  Node x = Variable(Tensor{1.0, 2.0});
  Node lonely = Variable(Tensor{{5.0, 6.0}});
  Node L = reduce_sum(square(x));
  Session s;
  Node g = gradients(L, {lonely})[0];
  EXPECT_EQ(g.shape(), (Shape{1, 2}));
  expect_values(s.run(g), {0.0, 0.0});
  // minimize on a var_list with it leaves it unchanged and still trains x.
  Node step = train::GradientDescentOptimizer(0.1).minimize(L, {x, lonely});
  s.run(step);
  expect_values(s.run(lonely), {5.0, 6.0});
  expect_values(s.run(x), {0.8, 1.6});
  // By default only the Variables the loss depends on are trained.
  EXPECT_EQ(train::trainable_variables_of(L), (std::vector<Node>{x}));
}

TEST(AutodiffTraps, MinimizeUsesTheFeedOfItsOwnRun) {
  // L = sum(w * a): dL/dw = a. A loss run with a = [1, 1] must not leak into a step fed [3, -2].
  Graph().as_default();
  Node w = Variable(Tensor{0.0, 0.0});
  Node a = placeholder(DType::f64, {2});
  Node L = reduce_sum(multiply(w, a));
  Node step = train::GradientDescentOptimizer(0.5).minimize(L);
  Session s;
  s.run(L, {{a, Tensor{1.0, 1.0}}});
  s.run(step, {{a, Tensor{3.0, -2.0}}});
  expect_values(s.run(w), {-1.5, 1.0});
  s.run(step, {{a, Tensor{1.0, 1.0}}});
  expect_values(s.run(w), {-2.0, 0.5});
}

TEST(Autodiff, FanOutAccumulates) {
  // L = sum(x * x * x) uses x three times: dL/dx = 3x^2.
  Graph().as_default();
  Node x = Variable(Tensor{2.0, -1.0});
  Node L = reduce_sum(multiply(multiply(x, x), x));
  Session s;
  expect_values(s.run(gradients(L, {x})[0]), {12.0, 3.0});
}

TEST(Autodiff, BroadcastIsUndoneForABiasVector) {
  Graph().as_default();
  Node X = placeholder(DType::f64, {kUnknownDim, 3});
  Node b = Variable(Tensor{0.1, 0.2, 0.3});
  Node L = reduce_sum(square(add(X, b)));
  Session s;
  FeedDict f{{X, Tensor{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}}};
  // dL/db_j = sum_i 2 (X_ij + b_j)
  expect_values(s.run(gradients(L, {b})[0], f), {2 * (1.1 + 4.1), 2 * (2.2 + 5.2), 2 * (3.3 + 6.3)});
  EXPECT_LE(check_gradient(s, L, b, f).max_rel_error, 1e-6);
}

TEST(Autodiff, NonScalarLossIsSummed) {
  Graph().as_default();
  Node x = Variable(Tensor{{1.0, 2.0}, {3.0, 4.0}});
  Node y = square(x);  // not reduced
  Session s;
  expect_values(s.run(gradients(y, {x})[0]), {2, 4, 6, 8});
}

TEST(Autodiff, GradientsOfGradients) {
  // y = x^3: dy/dx = 3x^2, d2y/dx2 = 6x.
  Graph().as_default();
  Node x = Variable(Tensor{2.0, -0.5});
  Node y = reduce_sum(multiply(square(x), x));
  Node dy = gradients(y, {x})[0];
  Node d2y = gradients(dy, {x})[0];
  Session s;
  expect_values(s.run(dy), {12.0, 0.75});
  expect_values(s.run(d2y), {12.0, -3.0});
  EXPECT_LE(check_gradient(s, dy, x).max_rel_error, 1e-6);
}

TEST(Autodiff, GradientTableCoversEveryNodeOnThePath) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {2});
  Node w = Variable(Tensor{3.0, 4.0});
  Node p = multiply(x, w);
  Node L = reduce_sum(p);
  auto table = train::compute_gradients(L);
  for (const Node& n : {x, w, p, L}) EXPECT_EQ(table.count(n), 1u) << n.name();
  Session s;
  FeedDict f{{x, Tensor{1.0, 2.0}}};
  expect_values(s.run(table.at(w), f), {1.0, 2.0});
  expect_values(s.run(table.at(x), f), {3.0, 4.0});
  expect_values(s.run(table.at(L), f), {1.0});
}

TEST(AutodiffTraps, NoGradientThroughIntegerValuesIsAnErrorNotZeros) {
  // TensorFlow returns None here; a zero gradient would train nothing and say nothing.
  Graph().as_default();
  Node x = placeholder(DType::f64, {2, 3});
  Node w = Variable(Tensor{1.0, 2.0, 3.0}, "w");
  Node picked = cast(argmax(multiply(x, w), 1), DType::f64, "picked");
  Node L = reduce_sum(picked, {}, false, "L");
  try {
    gradients(L, {w});
    FAIL() << "expected a GraphError";
  } catch (const GraphError& e) {
    EXPECT_EQ(std::string(e.what()), "gradients: no gradient of 'L' flows to 'w': its path goes through argmax "
                                     "'argmax' (int64 output), which has no gradient; integer values and comparisons "
                                     "are not differentiable");
  }
  EXPECT_THROW(train::GradientDescentOptimizer(0.1).minimize(L, {w}), GraphError);
  // The table keeps to the nodes the walk reached; a node off every path still gets zeros.
  auto table = train::compute_gradients(L);
  EXPECT_EQ(table.count(w), 0u);
  EXPECT_EQ(table.count(picked), 1u);
  Node lonely = Variable(Tensor{5.0});
  Session s;
  expect_values(s.run(gradients(L, {lonely})[0]), {0.0});
  // fill_like's zero is a true derivative (its output does not depend on its input's values).
  expect_values(s.run(gradients(reduce_sum(fill_like(w, 2.0)), {w})[0]), {0.0, 0.0, 0.0});
}

TEST(Autodiff, GradientTableIsBuiltOncePerLoss) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2});
  Node L = reduce_sum(square(x));
  auto first = train::compute_gradients(L);
  const int nodes = g.num_nodes();
  auto again = train::compute_gradients(L);
  EXPECT_EQ(g.num_nodes(), nodes);  // the same gradient nodes, not new ones
  EXPECT_EQ(first, again);
  Node M = reduce_sum(x);  // another loss gets its own table
  EXPECT_NE(train::compute_gradients(M).at(x), first.at(x));
  Session s;
  expect_values(s.run(again.at(x), {{x, Tensor{1.0, -3.0}}}), {2.0, -6.0});
}

TEST(Autodiff, TutorialNetworkGradientsMatchFiniteDifferences) {
  // Part V's network and loss, with an untyped, unshaped placeholder as in the tutorial.
  Graph().as_default();
  Rng rng(5);
  Node X = placeholder();
  Node c = placeholder();
  Node W1 = Variable(Tensor::randn({2, 2}, rng)), b1 = Variable(Tensor::randn({2}, rng));
  Node W2 = Variable(Tensor::randn({2, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
  Node J = negative(reduce_sum(reduce_sum(multiply(c, log(p)), 1)));
  FeedDict f{{X, Tensor::randn({5, 2}, rng)}, {c, Tensor{{1.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}}}};
  Session s;
  for (const Node& v : {W1, b1, W2, b2}) EXPECT_LE(check_gradient(s, J, v, f).max_rel_error, 1e-6) << v.name();
}

TEST(Autodiff, GradientsAcrossGraphsAreRefused) {
  Graph g1, g2;
  g1.as_default();
  Node a = Variable(Tensor{1.0});
  g2.as_default();
  Node b = Variable(Tensor{1.0});
  EXPECT_THROW(gradients(reduce_sum(b), {a}), GraphError);
}

TEST(Autodiff, MinimizeWithoutVariablesIsAClearError) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {2}, "x");
  try {
    train::GradientDescentOptimizer(0.1).minimize(reduce_sum(x, {}, false, "loss"));
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("'loss' depends on no trainable Variable"), std::string::npos) << e.what();
  }
}
