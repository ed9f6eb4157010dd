// TensorFlow 1.x's initialisation: assign (an update read after the run's other nodes), no_op,
// Variables made from nodes (run once for their starting value), and variables_initializer /
// global_variables_initializer setting Variables back to their initial values, drawing random
// ones afresh; tf.shape's run-time dimensions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

TEST(Assign, WritesTheVariableAfterTheRunsOtherReaders) {
  Graph g;
  g.as_default();
  const Node v = Variable(Tensor::from_vector<double>({1, 2}, {2}));
  const Node x = placeholder(DType::f64, {2});
  const Node doubled = v * scalar(2.0, DType::f64);
  const Node update = assign(v, x);
  Session s(g);
  const std::vector<Tensor> out = s.run({doubled, update}, {{x, Tensor::from_vector<double>({5, -7}, {2})}});
  EXPECT_EQ(out[0].flat(0), 2.0);  // read before the assignment
  EXPECT_EQ(out[0].flat(1), 4.0);
  EXPECT_FALSE(out[1].defined());  // an update has no value
  const Tensor now = s.run(v);
  EXPECT_EQ(now.flat(0), 5.0);
  EXPECT_EQ(now.flat(1), -7.0);
}

TEST(Assign, RefusesWhatIsNotAVariableOrNotShapedLikeIt) {
  Graph g;
  g.as_default();
  const Node v = Variable(Tensor::zeros({2}, DType::f32));
  EXPECT_THROW(assign(placeholder(DType::f32, {2}), v), GraphError);
  EXPECT_THROW(assign(v, placeholder(DType::f64, {2})), DTypeError);
  EXPECT_THROW(assign(v, placeholder(DType::f32, {3})), ShapeError);
  const Node loose = placeholder(DType::f32);  // shape known only when fed
  const Node update = assign(v, loose);
  Session s(g);
  EXPECT_THROW(s.run(update, {{loose, Tensor::zeros({3}, DType::f32)}}), ShapeError);
  EXPECT_EQ(s.run(v).size(), 2);  // unchanged
}

TEST(Initializers, SetVariablesBackToTheirInitialValues) {
  Graph g;
  g.as_default();
  const Node w = Variable(Tensor::from_vector<double>({1, -1}, {2}), "w");
  const Node b = Variable(Tensor::from_vector<double>({3}, {1}), "b");
  const Node x = placeholder(DType::f64, {2});
  const Node step = train::GradientDescentOptimizer(0.5).minimize(reduce_sum(w * x) + reduce_sum(b));
  const Node init = global_variables_initializer();
  EXPECT_EQ(init.name(), "init");
  Session s(g);
  s.run(step, {{x, Tensor::from_vector<double>({2, 4}, {2})}});
  EXPECT_EQ(s.run(w).flat(0), 0.0);  // 1 - 0.5 * 2
  EXPECT_EQ(s.run(b).flat(0), 2.5);
  s.run(init);
  EXPECT_EQ(s.run(w).flat(0), 1.0);
  EXPECT_EQ(s.run(w).flat(1), -1.0);
  EXPECT_EQ(s.run(b).flat(0), 3.0);
  // one Variable only
  s.run(step, {{x, Tensor::from_vector<double>({2, 4}, {2})}});
  s.run(variables_initializer({b}));
  EXPECT_EQ(s.run(w).flat(0), 0.0);
  EXPECT_EQ(s.run(b).flat(0), 3.0);
  EXPECT_EQ(variables_initializer({}).type(), "no_op");
  EXPECT_FALSE(s.run(no_op()).defined());
  EXPECT_THROW(variables_initializer({x}), GraphError);
}

TEST(Initializers, AVariableFromARandomNodeStartsFromOneDrawAndIsDrawnAgain) {
  Graph g;
  g.as_default();
  const Node r = random_normal({200, 50}, 1.0, 2.0, DType::f32, 7);
  const Node v = Variable(r, "v");
  EXPECT_EQ(v.initializer(), r);
  EXPECT_EQ(v.dtype(), DType::f32);
  EXPECT_EQ(v.shape(), Shape({200, 50}));
  Session s(g);
  const Tensor first = s.run(v).clone();
  EXPECT_EQ(first.flat(0), v.value().flat(0));  // the value it was made with
  s.run(global_variables_initializer());
  const Tensor again = s.run(v);
  double mean = 0, var = 0;
  int same = 0;
  for (std::int64_t i = 0; i < again.size(); ++i) {
    mean += again.flat(i) / again.size();
    same += again.flat(i) == first.flat(i);
  }
  for (std::int64_t i = 0; i < again.size(); ++i) var += std::pow(again.flat(i) - mean, 2) / again.size();
  EXPECT_LT(same, 5);  // a fresh draw
  EXPECT_NEAR(mean, 1.0, 4 * 2.0 / 100);  // 4 standard errors of 10^4 draws
  EXPECT_NEAR(var, 4.0, 4 * 4.0 * std::sqrt(2.0 / 1e4));
  // a Variable from a node that needs a feed cannot be made
  EXPECT_THROW(Variable(placeholder(DType::f32, {2}) * scalar(2.0, DType::f32)), FeedError);
  EXPECT_EQ(Variable(Tensor::zeros({1})).initializer().valid(), false);
}

// Mean and variance of n draws within 4 standard errors of `mean` and `var` (for a distribution
// whose fourth central moment is `m4`).
void expect_moments(const Tensor& t, double mean, double var, double m4) {
  const double n = static_cast<double>(t.size());
  double m = 0, v = 0;
  for (std::int64_t i = 0; i < t.size(); ++i) m += t.flat(i) / n;
  for (std::int64_t i = 0; i < t.size(); ++i) v += (t.flat(i) - m) * (t.flat(i) - m) / n;
  EXPECT_NEAR(m, mean, 4 * std::sqrt(var / n));
  EXPECT_NEAR(v, var, 4 * std::sqrt((m4 - var * var) / n));
}

TEST(RandomOps, TruncatedNormalStaysWithinTwoStandardDeviations) {
  Graph g;
  g.as_default();
  const Node t = truncated_normal({1000, 1000}, 3.0, 0.5, DType::f64, 11);
  Session s(g);
  const Tensor a = s.run(t).clone(), b = s.run(t);
  double lo = 1e9, hi = -1e9;
  int same = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    lo = std::min(lo, a.flat(i)), hi = std::max(hi, a.flat(i));
    same += a.flat(i) == b.flat(i);
  }
  EXPECT_GE(lo, 2.0);
  EXPECT_LE(hi, 4.0);
  EXPECT_LT(lo, 2.001);  // the tails are reached
  EXPECT_GT(hi, 3.999);
  EXPECT_LT(same, 10);   // a new draw every run
  // N(0, 1) truncated to [-2, 2]: variance 1 - 4 phi(2) / (Phi(2) - Phi(-2)), fourth moment
  // 3 - (2 * 8 + 6 * 2) phi(2) / (Phi(2) - Phi(-2)); scaled by stddev^2 and stddev^4
  const double phi2 = std::exp(-2.0) / std::sqrt(2 * M_PI), mass = std::erf(2 / std::sqrt(2.0));
  const double var = 1 - 4 * phi2 / mass, m4 = 3 - 28 * phi2 / mass;
  expect_moments(a, 3.0, 0.25 * var, 0.0625 * m4);
  EXPECT_EQ(s.run(truncated_normal({3}, 0, 1, DType::f32)).dtype(), DType::f32);
  EXPECT_THROW(truncated_normal({2}, 0, -1), GraphError);
  EXPECT_THROW(truncated_normal({-1}), ShapeError);
  EXPECT_THROW(truncated_normal({2}, 0, 1, DType::i32), DTypeError);
}

TEST(RandomOps, RandomUniformFloatsAndIntegers) {
  Graph g;
  g.as_default();
  const Node u = random_uniform({1000, 1000}, -1.0, 3.0, DType::f64, 5);
  const Node k = random_uniform({100000}, 2, 7, DType::i32, 5);
  Session s(g);
  const Tensor a = s.run(u).clone(), b = s.run(u);
  double lo = 1e9, hi = -1e9;
  for (std::int64_t i = 0; i < a.size(); ++i) lo = std::min(lo, a.flat(i)), hi = std::max(hi, a.flat(i));
  EXPECT_GE(lo, -1.0);
  EXPECT_LT(hi, 3.0);
  EXPECT_NE(a.flat(0), b.flat(0));
  expect_moments(a, 1.0, 16.0 / 12, 256.0 / 80);  // width w: variance w^2/12, fourth moment w^4/80
  const Tensor ints = s.run(k);
  ASSERT_EQ(ints.dtype(), DType::i32);
  std::vector<int> counts(10, 0);
  for (std::int64_t i = 0; i < ints.size(); ++i) {
    const int v = ints.data<std::int32_t>()[i];
    ASSERT_TRUE(v >= 2 && v < 7) << v;
    ++counts[static_cast<std::size_t>(v)];
  }
  for (int v = 2; v < 7; ++v) EXPECT_NEAR(counts[static_cast<std::size_t>(v)], 20000, 4 * std::sqrt(20000 * 0.8)) << v;
  EXPECT_THROW(random_uniform({2}, 1.0, 0.0), GraphError);
  EXPECT_THROW(random_uniform({2}, 0.5, 3.0, DType::i64), GraphError);
  EXPECT_THROW(random_uniform({2}, 0, 1, DType::boolean), DTypeError);
}

TEST(Shape, TheDimensionsAtRunTime) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f32, {-1, 3});
  const Node s32 = shape(x), s64 = shape(x, DType::i64);
  EXPECT_EQ(s32.dtype(), DType::i32);
  EXPECT_EQ(s32.shape(), Shape({2}));
  EXPECT_EQ(shape(placeholder(DType::f32)).shape(), Shape({-1}));
  Session s(g);
  const std::vector<Tensor> out = s.run({s32, s64}, {{x, Tensor::zeros({5, 3}, DType::f32)}});
  EXPECT_EQ(out[0].data<std::int32_t>()[0], 5);
  EXPECT_EQ(out[0].data<std::int32_t>()[1], 3);
  EXPECT_EQ(out[1].data<std::int64_t>()[0], 5);
  EXPECT_THROW(shape(x, DType::f32), DTypeError);
}

TEST(NameScope, PrefixesNamesAndTakesAFreshNameWhenUsed) {
  Graph g;
  g.as_default();
  Node a, b, c, d;
  {
    NameScope outer("layer");
    EXPECT_EQ(outer.scope(), "layer/");
    a = placeholder(DType::f32, {2}, "x");
    {
      NameScope inner("inner");
      b = a * a;
    }
    c = a + a;
  }
  {
    NameScope again("layer");
    EXPECT_EQ(again.scope(), "layer_1/");
  }
  d = placeholder(DType::f32, {2}, "x");
  EXPECT_EQ(a.name(), "layer/x");
  EXPECT_EQ(b.name(), "layer/inner/multiply");
  EXPECT_EQ(c.name(), "layer/add");
  EXPECT_EQ(d.name(), "x");
  EXPECT_EQ(g.name_scope(), "");
  EXPECT_THROW(NameScope("a/b"), GraphError);
  EXPECT_THROW(g.set_name_scope("no_slash"), GraphError);
  const Node x = placeholder(DType::f32, {}, "taken");
  EXPECT_EQ(g.unique_name_scope("taken"), "taken_1/");  // a node's name counts as taken
}

}  // namespace
