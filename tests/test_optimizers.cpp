// MomentumOptimizer, RMSPropOptimizer, AdamOptimizer and the learning-rate schedules: updates
// against hand-computed values of torch.optim's formulas (w = [1, -2], loss = sum(w^2), g = 2w),
// convergence on a least-squares problem with a known solution, where the state lives (per
// Session, non-trainable, saved by a Saver), feeds, var_list and hyper-parameter errors, and
// minimize in two halves (compute_gradients, gradients scaled or averaged, apply_gradients).
// python/tests/test_optimizers.py compares 10 steps of a two-layer net against PyTorch.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include "tensorgraph/tensorgraph.h"

using namespace tg;
using namespace tg::train;
using T = Tensor;

namespace {

constexpr double kTol = 1e-12;

void expect_near(const T& got, const std::vector<double>& want, double tol = kTol) {
  ASSERT_EQ(got.size(), static_cast<std::int64_t>(want.size())) << got;
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got.flat(static_cast<std::int64_t>(i)), want[i], tol) << "element " << i << " of " << got;
}

// w = [1, -2], loss = sum(w^2); runs `make(loss)` three times and checks w after each step.
void expect_tiny_steps(const std::function<Node(const Node&)>& make, const std::vector<std::vector<double>>& want) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w");
  Node step = make(reduce_sum(square(w)));
  Session s(g);
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_FALSE(s.run(step).defined());
    SCOPED_TRACE("after step " + std::to_string(k + 1));
    expect_near(s.value(w), want[k]);
  }
  EXPECT_EQ(s.value(g.node(step.name() + "/step")).item<std::int64_t>(), static_cast<std::int64_t>(want.size()));
}

// The message of the GraphError that `f` throws ("" if none).
std::string graph_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const GraphError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(OptimizerOps, StatefulAndNotDifferentiable) {
  for (const char* name : {"apply_momentum", "apply_rms_prop", "apply_adam"}) {
    const OpDef* def = find_op(name);
    ASSERT_NE(def, nullptr) << name;
    EXPECT_TRUE(def->stateful) << name;
    EXPECT_EQ(def->grad, nullptr) << name;
  }
}

TEST(OptimizerOps, ShapeRuleRejectsAMismatchedSlot) {
  Graph g;
  g.as_default();
  Node step = Variable(T::scalar<std::int64_t>(0), "step", false);
  Node p = Variable(T{1., 2.}), grad = constant(T{1., 1.});
  Node m = Variable(T{0., 0.}, "m", false), v = Variable(T{0., 0., 0.}, "v", false);
  EXPECT_THROW(make_op(*find_op("apply_adam"), {step, p, grad, m, v}), ShapeError);
  EXPECT_THROW(make_op(*find_op("apply_adam"), {step, p, grad, m}), GraphError);
  EXPECT_NO_THROW(make_op(*find_op("apply_adam"), {step, p, grad, m, m}));
}

// --- one update, by hand (g = 2w) ---

TEST(Momentum, MatchesHandComputedSteps) {
  // buf = 0.9 buf + g; w -= 0.1 buf: buf = 2 -> w = 0.8; g = 1.6, buf = 3.4 -> w = 0.46; g = 0.92,
  // buf = 3.98 -> w = 0.062 (and twice that, negated, for -2).
  expect_tiny_steps([](const Node& l) { return MomentumOptimizer(0.1, 0.9).minimize(l); },
                    {{0.8, -1.6}, {0.46, -0.92}, {0.062, -0.124}});
}

TEST(Momentum, NesterovMatchesHandComputedSteps) {
  // w -= 0.1 (g + 0.9 buf): buf = 2, w = 1 - 0.1 (2 + 1.8) = 0.62; g = 1.24, buf = 3.04,
  // w = 0.62 - 0.1 (1.24 + 2.736) = 0.2224; g = 0.4448, buf = 3.1808, w = -0.108352.
  expect_tiny_steps([](const Node& l) { return MomentumOptimizer(0.1, 0.9, true).minimize(l); },
                    {{0.62, -1.24}, {0.2224, -0.4448}, {-0.108352, 0.216704}});
}

TEST(RMSProp, MatchesHandComputedSteps) {
  // ms = 0.9 ms + 0.1 g^2 = 0.4; w = 1 - 0.01 * 2 / (sqrt(0.4) + 1e-8) = 0.968377223898...
  expect_tiny_steps([](const Node& l) { return RMSPropOptimizer(0.01, 0.9, 1e-8).minimize(l); },
                    {{1 - 0.02 / (std::sqrt(0.4) + 1e-8), -2 + 0.04 / (std::sqrt(1.6) + 1e-8)},
                     {0.9457880254881013, -1.9456096370520823},
                     {0.9270530987217255, -1.9266336823682226}});
}

TEST(RMSProp, WithMomentumMatchesHandComputedSteps) {
  // Step 2: ms = 0.36 + 0.1 g^2, mom = 0.5 d1 + d2, w = w1 - 0.01 mom.
  const double w1 = 1 - 0.02 / (std::sqrt(0.4) + 1e-8), g2 = 2 * w1, ms2 = 0.36 + 0.1 * g2 * g2;
  const double mom2 = 0.5 * 2 / (std::sqrt(0.4) + 1e-8) + g2 / (std::sqrt(ms2) + 1e-8);
  expect_tiny_steps([](const Node& l) { return RMSPropOptimizer(0.01, 0.9, 1e-8, 0.5).minimize(l); },
                    {{w1, -2 + 0.04 / (std::sqrt(1.6) + 1e-8)},
                     {w1 - 0.01 * mom2, -1.9297982488762404},
                     {0.8922464846726298, -1.8916319231371739}});
}

TEST(Adam, MatchesHandComputedSteps) {
  // t = 1: m = 0.1 g, v = 0.001 g^2; w -= 0.1 (m / 0.1) / (sqrt(v / 0.001) + 1e-8) = 0.1 g / (|g| + 1e-8).
  expect_tiny_steps([](const Node& l) { return AdamOptimizer(0.1).minimize(l); },
                    {{1 - 0.2 / (2 + 1e-8), -2 + 0.4 / (4 + 1e-8)},
                     {0.8004122286917927, -1.800166486115701},
                     {0.7015862729460302, -1.700623392046465}});
}

TEST(Schedules, StepAndExponentialScaleTheRate) {
  // momentum 0 is plain SGD: w -= lr_t 2w, i.e. w *= 1 - 2 lr_t.
  // step(0.1, 2, 0.5): lr = 0.1, 0.1, 0.05 -> w = 0.8, 0.64, 0.576.
  expect_tiny_steps([](const Node& l) { return MomentumOptimizer(schedules::step(0.1, 2, 0.5), 0).minimize(l); },
                    {{0.8, -1.6}, {0.64, -1.28}, {0.576, -1.152}});
  // exponential(0.1, 0.5): lr = 0.1, 0.05, 0.025 -> w = 0.8, 0.72, 0.684.
  expect_tiny_steps([](const Node& l) { return MomentumOptimizer(schedules::exponential(0.1, 0.5), 0).minimize(l); },
                    {{0.8, -1.6}, {0.72, -1.44}, {0.684, -1.368}});
}

TEST(Schedules, CosineDrivesAdam) {
  // cosine(0.1, 2, 0.01): lr = 0.1, 0.055, 0.01.
  expect_tiny_steps([](const Node& l) { return AdamOptimizer(schedules::cosine(0.1, 2, 0.01)).minimize(l); },
                    {{1 - 0.2 / (2 + 1e-8), -2 + 0.4 / (4 + 1e-8)},
                     {0.845226726005486, -1.8450915674761355},
                     {0.8353094365888671, -1.8351250959153185}});
}

TEST(Schedules, ValuesFollowTorchSchedulers) {
  const Schedule st = schedules::step(1.0, 2, 0.5), ex = schedules::exponential(2.0, 0.5);
  const Schedule co = schedules::cosine(1.0, 4, 0.2);
  const std::vector<double> want_step{1, 1, 0.5, 0.5, 0.25}, want_exp{2, 1, 0.5, 0.25, 0.125};
  // 0.2 + 0.8 (1 + cos(pi t / 4)) / 2; past t = 4 the cosine rises again (torch does the same).
  const std::vector<double> want_cos{1, 0.2 + 0.4 * (1 + std::sqrt(0.5)), 0.6, 0.2 + 0.4 * (1 - std::sqrt(0.5)), 0.2};
  for (int t = 0; t < 5; ++t) {
    EXPECT_DOUBLE_EQ(st(t), want_step[static_cast<std::size_t>(t)]) << t;
    EXPECT_DOUBLE_EQ(ex(t), want_exp[static_cast<std::size_t>(t)]) << t;
    EXPECT_NEAR(co(t), want_cos[static_cast<std::size_t>(t)], 1e-15) << t;
  }
  EXPECT_NEAR(co(6), 0.6, 1e-15);
  EXPECT_EQ(Schedule(0.5)(1000), 0.5);
  EXPECT_EQ(co.str(), "cosine(lr=1, total_steps=4, min_lr=0.2)");
}

// --- convergence: f(w) = sum((A w - b)^2) with b = A w*, minimum 0 at w* ---

TEST(Convergence, EachOptimizerFindsTheLeastSquaresSolution) {
  struct Case {
    std::string what;
    std::function<Node(const Node&)> make;
    int steps;
  };
  const std::vector<Case> cases{
      {"momentum", [](const Node& l) { return MomentumOptimizer(0.01, 0.9).minimize(l); }, 500},
      {"nesterov", [](const Node& l) { return MomentumOptimizer(0.01, 0.9, true).minimize(l); }, 500},
      {"rmsprop", [](const Node& l) { return RMSPropOptimizer(schedules::cosine(0.02, 2000)).minimize(l); }, 2000},
      {"rmsprop+momentum", [](const Node& l) { return RMSPropOptimizer(schedules::exponential(0.01, 0.995), 0.9, 1e-8, 0.5).minimize(l); }, 2000},
      {"adam", [](const Node& l) { return AdamOptimizer(schedules::cosine(0.1, 2000)).minimize(l); }, 2000},
      {"adam+step", [](const Node& l) { return AdamOptimizer(schedules::step(0.1, 500, 0.3)).minimize(l); }, 2000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Graph g;
    g.as_default();
    Node A = constant(T{{2., 1., 0.}, {1., 3., 1.}, {0., 1., 4.}, {1., 0., 1.}});
    Node b = constant(T{0., -6., -6., 0.});  // A [1, -2, -1]
    Node w = Variable(T{0., 0., 0.}, "w");
    Node loss = reduce_sum(square(subtract(matmul(A, w), b)));
    Node step = c.make(loss);
    Session s(g);
    const double first = s.run(loss).item<double>();
    for (int i = 0; i < c.steps; ++i) s.run(step);
    EXPECT_LT(s.run(loss).item<double>(), 1e-6 * first);
    expect_near(s.value(w), {1., -2., -1.}, 1e-3);
  }
}

// --- where the state lives ---

TEST(OptimizerState, SlotsAreNonTrainableZeroVariablesNamedAfterTheirVariable) {
  Graph g;
  g.as_default();
  Node w = Variable(T{{1., 2.}}, "w"), b = Variable(T{0.5}, "b");
  Node loss = reduce_sum(add(w, b));
  Node step = AdamOptimizer().minimize(loss);
  EXPECT_EQ(step.type(), "apply_adam");
  EXPECT_EQ(step.name(), "Adam");
  EXPECT_EQ(g.trainable_variables(), (std::vector<Node>{w, b}));
  for (const char* name : {"w/Adam_m", "w/Adam_v", "b/Adam_m", "b/Adam_v", "Adam/step"}) {
    Node v = g.node(name);
    EXPECT_EQ(v.kind(), NodeKind::variable) << name;
    EXPECT_FALSE(v.trainable()) << name;
    for (std::int64_t i = 0; i < v.value().size(); ++i) EXPECT_EQ(v.value().flat(i), 0.) << name;
  }
  EXPECT_EQ(g.node("w/Adam_m").shape(), (Shape{1, 2}));
  EXPECT_EQ(g.node("Adam/step").dtype(), DType::i64);
  // A second optimizer on the same loss trains w and b only, not the first one's state.
  Node step2 = MomentumOptimizer(0.1, 0.5).minimize(loss);
  EXPECT_EQ(step2.name(), "Momentum");
  EXPECT_EQ(step2.inputs().size(), 1u + 2u * 3u);  // step, then p, g, m, v per variable
  EXPECT_EQ(trainable_variables_of(loss), (std::vector<Node>{w, b}));
  Node step3 = AdamOptimizer().minimize(loss);
  EXPECT_EQ(step3.name(), "Adam_1");
  EXPECT_TRUE(g.node("Adam_1/step").valid());
  EXPECT_TRUE(g.node("w/Adam_m_1").valid());
}

TEST(OptimizerState, EachSessionHasItsOwn) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w");
  Node step = MomentumOptimizer(0.1, 0.9).minimize(reduce_sum(square(w)));
  Session s1(g), s2(g);
  s1.run(step);
  s1.run(step);
  s2.run(step);
  expect_near(s1.value(w), {0.46, -0.92});
  expect_near(s1.value(g.node("w/Momentum")), {3.4, -6.8});
  expect_near(s2.value(w), {0.8, -1.6});
  expect_near(s2.value(g.node("w/Momentum")), {2., -4.});
  EXPECT_EQ(s1.value(g.node("Momentum/step")).item<std::int64_t>(), 2);
  EXPECT_EQ(s2.value(g.node("Momentum/step")).item<std::int64_t>(), 1);
  s2.run(step);
  expect_near(s2.value(w), {0.46, -0.92});
  expect_near(w.value(), {1., -2.});  // the graph's initial value is untouched
}

TEST(OptimizerState, SaverRestoresItAndTrainingContinuesIdentically) {
  namespace fs = std::filesystem;
  const std::string path = (fs::temp_directory_path() / ("tg_optimizer_state_" + std::to_string(::getpid()) + ".safetensors")).string();
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w");
  Node step = AdamOptimizer(schedules::exponential(0.1, 0.9)).minimize(reduce_sum(square(w)));
  Saver saver;
  Session a(g), b(g);
  a.run(step);
  a.run(step);
  saver.save(a, path);
  saver.restore(b, path, true);
  fs::remove(path);
  EXPECT_EQ(b.value(g.node("Adam/step")).item<std::int64_t>(), 2);
  a.run(step);
  b.run(step);
  for (const char* name : {"w", "w/Adam_m", "w/Adam_v", "Adam/step"})
    expect_near(b.value(g.node(name)), a.value(g.node(name)).to_vector<double>(), 0);
}

// --- what minimize trains, and from which feeds ---

TEST(Minimize, UsesEachRunsFeeds) {
  Graph g;
  g.as_default();
  Node w = Variable(T::scalar(3.0), "w");
  Node x = placeholder(DType::f64, {}, "x");
  Node step = MomentumOptimizer(0.25, 0.5).minimize(square(subtract(w, x)));  // g = 2 (w - x)
  Session s(g);
  s.run(step, {{x, T::scalar(1.0)}});  // g = 4, buf = 4, w = 3 - 1 = 2
  EXPECT_DOUBLE_EQ(s.value(w).item<double>(), 2.0);
  s.run(step, {{x, T::scalar(5.0)}});  // g = -6, buf = 2 - 6 = -4, w = 2 + 1 = 3
  EXPECT_DOUBLE_EQ(s.value(w).item<double>(), 3.0);
}

TEST(Minimize, VarListTrainsOnlyThose) {
  Graph g;
  g.as_default();
  Node w1 = Variable(T{1., -2.}, "w1"), w2 = Variable(T{3.}, "w2");
  Node loss = add(reduce_sum(square(w1)), reduce_sum(square(w2)));
  Node step = RMSPropOptimizer(0.01).minimize(loss, {w1});
  EXPECT_EQ(step.inputs().size(), 1u + 4u);
  EXPECT_THROW(g.node("w2/RMSProp_ms"), GraphError);
  Session s(g);
  s.run(step);
  expect_near(s.value(w1), {1 - 0.02 / (std::sqrt(0.4) + 1e-8), -2 + 0.04 / (std::sqrt(1.6) + 1e-8)});
  expect_near(s.value(w2), {3.});
}

TEST(Minimize, Float32VariablesFollowTheFloat64Result) {
  std::vector<double> want;
  for (DType d : {DType::f64, DType::f32}) {
    Graph g;
    g.as_default();
    Node w = Variable(T{1., -2.}.astype(d), "w");
    Node step = AdamOptimizer(0.1).minimize(reduce_sum(square(w)));
    Session s(g);
    for (int i = 0; i < 3; ++i) s.run(step);
    EXPECT_EQ(s.value(g.node("w/Adam_v")).dtype(), d);
    if (d == DType::f64) want = s.value(w).to_vector<double>();
    else expect_near(s.value(w), want, 1e-6);
  }
}

namespace {

struct Opt {
  const char* what;
  std::function<Node(const Node&)> minimize;
  std::function<GradsAndVars(const Node&)> compute;
  std::function<Node(const GradsAndVars&)> apply;
};
std::vector<Opt> every_optimizer() {
  const GradientDescentOptimizer gd(0.1);
  const MomentumOptimizer mo(0.1, 0.9, true);
  const RMSPropOptimizer rms(0.01, 0.9, 1e-8, 0.5);
  const AdamOptimizer adam(schedules::exponential(0.1, 0.9));
  auto opt = [](const char* what, const auto& o) {
    return Opt{what, [o](const Node& l) { return o.minimize(l); }, [o](const Node& l) { return o.compute_gradients(l); },
               [o](const GradsAndVars& p) { return o.apply_gradients(p); }};
  };
  return {opt("GradientDescent", gd), opt("Momentum", mo), opt("RMSProp", rms), opt("Adam", adam)};
}

// A dense layer's least squares, x fed: [w [3, 2], b [2]] after 3 steps of `make(loss)`.
std::vector<Tensor> dense_steps(const std::function<Node(const Node&)>& make) {
  Graph g;
  g.as_default();
  Rng rng(31);
  Node x = placeholder(DType::f64, Shape{-1, 3}, "x");
  Node w = Variable(Tensor::randn({3, 2}, rng), "w"), b = Variable(T{0.5, -0.5}, "b");
  Node loss = reduce_sum(square(add(matmul(x, w), b)));
  Node step = make(loss);
  Session s(g);
  for (int k = 0; k < 3; ++k) s.run(step, {{x, Tensor::randn({4, 3}, rng)}});
  return {s.value(w), s.value(b)};
}

}  // namespace

TEST(Minimize, BuildsInTheLossGraphNotTheDefault) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1.}, "w");
  Node loss = reduce_sum(square(w));
  Graph other;
  other.as_default();
  Node step = AdamOptimizer().minimize(loss);
  EXPECT_TRUE(step.in_graph(g));
  EXPECT_TRUE(g.node("w/Adam_m").valid());
  for (const Opt& o : every_optimizer()) {  // and minimize in two halves
    SCOPED_TRACE(o.what);
    EXPECT_TRUE(o.apply(o.compute(loss)).in_graph(g));
  }
  EXPECT_EQ(other.num_nodes(), 0);
  EXPECT_TRUE(Graph::get_default() == other);
}

// One fused update takes any number of Variables (1 + 4 x 300 inputs here): no input limit.
TEST(Minimize, ThreeHundredVariablesInOneUpdate) {
  Graph g;
  g.as_default();
  std::vector<Node> vars;
  Node loss = constant(T::scalar(0.0));
  for (int i = 0; i < 300; ++i) {
    vars.push_back(Variable(T::scalar(1.0 + i)));
    loss = add(loss, vars.back());  // dloss/dv = 1 for each
  }
  Node step = AdamOptimizer(0.001).minimize(loss);
  EXPECT_EQ(step.inputs().size(), 1u + 4u * 300u);
  Session s(g);
  s.run(step);
  // Adam's first step with g = 1: m^ = 1, v^ = 1, so p -= lr / (1 + eps).
  for (int i = 0; i < 300; i += 37) EXPECT_DOUBLE_EQ(s.value(vars[static_cast<std::size_t>(i)]).flat(0), 1.0 + i - 0.001 / (1 + 1e-8));
}

TEST(Minimize, RefusesNonVariablesAndDuplicates) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1.}, "w");
  Node loss = reduce_sum(square(w));
  EXPECT_THROW(AdamOptimizer().minimize(loss, {loss}), GraphError);
  EXPECT_THROW(AdamOptimizer().minimize(loss, {w, w}), GraphError);
  EXPECT_THROW(AdamOptimizer().minimize(constant(T{1.})), GraphError);
}

// --- hyper-parameter errors name the optimizer and the parameter ---

TEST(HyperParameters, BadValuesThrowNamingOptimizerAndParameter) {
  const double nan = std::nan("");
  struct Bad {
    std::function<void()> make;
    std::string optimizer, parameter;
  };
  const std::vector<Bad> bad{
      {[] { MomentumOptimizer{-0.1, 0.9}; }, "MomentumOptimizer", "learning_rate"},
      {[&] { MomentumOptimizer{nan, 0.9}; }, "MomentumOptimizer", "learning_rate"},
      {[] { MomentumOptimizer{0.1, 1.0}; }, "MomentumOptimizer", "momentum"},
      {[] { MomentumOptimizer{0.1, -0.5}; }, "MomentumOptimizer", "momentum"},
      {[] { MomentumOptimizer{0.1, 0, true}; }, "MomentumOptimizer", "use_nesterov"},
      {[] { RMSPropOptimizer{-1}; }, "RMSPropOptimizer", "learning_rate"},
      {[] { RMSPropOptimizer{0.1, 1.0}; }, "RMSPropOptimizer", "decay"},
      {[] { RMSPropOptimizer{0.1, 0.9, 0}; }, "RMSPropOptimizer", "epsilon"},
      {[&] { RMSPropOptimizer{0.1, 0.9, nan}; }, "RMSPropOptimizer", "epsilon"},
      {[] { RMSPropOptimizer{0.1, 0.9, 1e-8, 1.5}; }, "RMSPropOptimizer", "momentum"},
      {[&] { AdamOptimizer{nan}; }, "AdamOptimizer", "learning_rate"},
      {[] { AdamOptimizer{0.1, 1.0}; }, "AdamOptimizer", "beta1"},
      {[&] { AdamOptimizer{0.1, 0.9, nan}; }, "AdamOptimizer", "beta2"},
      {[] { AdamOptimizer{0.1, 0.9, -0.1}; }, "AdamOptimizer", "beta2"},
      {[] { AdamOptimizer{0.1, 0.9, 0.999, -1e-8}; }, "AdamOptimizer", "epsilon"},
      {[] { schedules::step(0.1, 0, 0.5); }, "schedules::step", "step_size"},
      {[] { schedules::step(-0.1, 1, 0.5); }, "schedules::step", "lr"},
      {[] { schedules::exponential(0.1, 0); }, "schedules::exponential", "gamma"},
      {[] { schedules::cosine(0.1, 0); }, "schedules::cosine", "total_steps"},
      {[] { schedules::cosine(0.1, 10, -1); }, "schedules::cosine", "min_lr"},
      {[] {
         Schedule s = schedules::cosine(0.1, 10);
         s.period = 0;  // set by hand
         AdamOptimizer{s};
       },
       "AdamOptimizer", "total_steps"},
  };
  for (const Bad& b : bad) {
    const std::string msg = graph_error(b.make);
    EXPECT_NE(msg.find(b.optimizer + ": "), std::string::npos) << "'" << msg << "' for " << b.optimizer;
    EXPECT_NE(msg.find(b.parameter), std::string::npos) << "'" << msg << "' for " << b.parameter;
  }
  EXPECT_NO_THROW(MomentumOptimizer(0, 0));  // a zero rate is allowed, as in torch
}

namespace {
// One gradient-descent step on loss = sum(op(P)·op(Q) * C): d/dW of the product is a single matmul,
// which minimize fuses into the update (one GEMM). The result must be W - lr·dW by hand.
void fused_step(bool w_left, bool ta, bool tb, DType dt) {
  Graph g;
  g.as_default();
  Rng rng(21);
  const std::int64_t m = 9, k = 6, n = 7;  // the product is [m, n] (the reference loop; the gemm test covers BLAS)
  Tensor x0 = Tensor::randn(ta ? Shape{k, m} : Shape{m, k}, rng, dt);
  Tensor w0 = Tensor::randn(tb ? Shape{n, k} : Shape{k, n}, rng, dt);
  Tensor c0 = Tensor::randn({m, n}, rng, dt);
  if (!w_left) std::swap(x0, w0);  // W is the left operand: [m, k] (or its transpose)
  Node X = placeholder(dt, x0.shape()), C = placeholder(dt, {m, n}), W = Variable(w0);
  Node prod = w_left ? matmul(X, W, ta, tb) : matmul(W, X, ta, tb);
  Node step = GradientDescentOptimizer(0.1).minimize(reduce_sum(multiply(prod, C)));
  ASSERT_EQ(std::get<std::vector<std::int64_t>>(step.attr("fused")), std::vector<std::int64_t>{1})
      << "not fused";  // the update reads the product's two operands
  EXPECT_EQ(step.inputs().size(), 3u);
  Session s;
  s.run(step, {{X, x0}, {C, c0}});
  Tensor w = s.run(W);
  // dW for W on the right of A·B (A = op(X)): op(X)ᵀ·C, transposed back when tb; on the left: C·op(X)ᵀ.
  auto a_at = [&](const Tensor& t, bool tr, std::int64_t r, std::int64_t q) { return tr ? t.flat(q * t.shape()[1] + r) : t.flat(r * t.shape()[1] + q); };
  for (std::int64_t i = 0; i < w.shape()[0]; ++i)
    for (std::int64_t j = 0; j < w.shape()[1]; ++j) {
      double dw = 0;
      if (w_left) {  // prod = op(X)·op(W): d op(W)[r][q] = sum_i op(X)[i][r] C[i][q]
        const std::int64_t r = tb ? j : i, q = tb ? i : j;
        for (std::int64_t t = 0; t < m; ++t) dw += a_at(x0, ta, t, r) * c0.flat(t * n + q);
      } else {       // prod = op(W)·op(X): d op(W)[r][q] = sum_j C[r][j] op(X)[q][j]
        const std::int64_t r = ta ? j : i, q = ta ? i : j;
        for (std::int64_t t = 0; t < n; ++t) dw += c0.flat(r * n + t) * a_at(x0, tb, q, t);
      }
      const double want = w0.flat(i * w.shape()[1] + j) - 0.1 * dw;
      EXPECT_NEAR(w.flat(i * w.shape()[1] + j), want, dt == DType::f32 ? 1e-4 : 1e-12)
          << "w_left " << w_left << " ta " << ta << " tb " << tb << " at " << i << "," << j;
    }
}
}  // namespace

TEST(Minimize, DenseLayerGradientIsFusedIntoOneGemmUpdate) {
  for (DType dt : {DType::f64, DType::f32})
    for (bool w_left : {true, false})
      for (bool ta : {false, true})
        for (bool tb : {false, true}) fused_step(w_left, ta, tb, dt);
}

TEST(Minimize, ProductOfTwoVariablesIsNotFusedAndBothSeeTheOldValues) {
  // loss = sum(U·V * C): dU = C·Vᵀ and dV = Uᵀ·C must both use the values from before the step.
  Graph g;
  g.as_default();
  Rng rng(22);
  Tensor u0 = Tensor::randn({3, 4}, rng), v0 = Tensor::randn({4, 2}, rng), c0 = Tensor::randn({3, 2}, rng);
  Node U = Variable(u0), V = Variable(v0), C = constant(c0);
  Node step = GradientDescentOptimizer(0.5).minimize(reduce_sum(multiply(matmul(U, V), C)));
  const AttrValue fused = step.attr("fused");
  for (std::int64_t f : std::get<std::vector<std::int64_t>>(fused)) EXPECT_EQ(f, 0) << "an operand is a Variable: not fused";
  Session s;
  s.run(step);
  Tensor u = s.run(U), v = s.run(V);
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 4; ++j) {
      double du = 0;
      for (std::int64_t q = 0; q < 2; ++q) du += c0.flat(i * 2 + q) * v0.flat(j * 2 + q);
      EXPECT_NEAR(u.flat(i * 4 + j), u0.flat(i * 4 + j) - 0.5 * du, 1e-12);
    }
  for (std::int64_t j = 0; j < 4; ++j)
    for (std::int64_t q = 0; q < 2; ++q) {
      double dv = 0;
      for (std::int64_t i = 0; i < 3; ++i) dv += u0.flat(i * 4 + j) * c0.flat(i * 2 + q);
      EXPECT_NEAR(v.flat(j * 2 + q), v0.flat(j * 2 + q) - 0.5 * dv, 1e-12);
    }
}

TEST(Minimize, FeedingANonTrainableVariableOperandStillWorks) {
  Graph g;
  g.as_default();
  Rng rng(23);
  Node x = Variable(Tensor::randn({5, 3}, rng), "x", false), W = Variable(Tensor::randn({3, 2}, rng), "W");
  Node step = GradientDescentOptimizer(0.1).minimize(reduce_sum(matmul(x, W)));
  Session s;
  Tensor batch = Tensor::full({5, 3}, 1.0);
  EXPECT_NO_THROW(s.run(step, {{x, batch}}));
  // dW = xᵀ·1 over the fed batch of ones: 5 for every entry.
  Tensor w = s.run(W);
  for (std::int64_t i = 0; i < 6; ++i) EXPECT_NEAR(w.flat(i), W.value().flat(i) - 0.1 * 5, 1e-12);
}

// --- compute_gradients / apply_gradients: minimize in two halves, gradients changed between ---


TEST(ComputeApply, MinimizeIsComputeThenApplyForEveryOptimizer) {
  for (const Opt& o : every_optimizer()) {
    SCOPED_TRACE(o.what);
    const std::vector<Tensor> one = dense_steps(o.minimize);
    const std::vector<Tensor> two = dense_steps([&](const Node& l) { return o.apply(o.compute(l)); });
    for (std::size_t i = 0; i < one.size(); ++i) expect_near(two[i], one[i].to_vector<double>(), 0);
  }
}

TEST(ComputeApply, PairsFollowVarListWithZeroWhereTheLossDoesNotReach) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w"), u = Variable(T{3.}, "u"), frozen = Variable(T{4.}, "frozen", false);
  Node loss = reduce_sum(multiply(square(w), frozen));
  const AdamOptimizer adam;
  const GradsAndVars pairs = adam.compute_gradients(loss);  // default: the trainable Variables it reaches
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].second, w);
  const GradsAndVars chosen = adam.compute_gradients(loss, {u, w});
  ASSERT_EQ(chosen.size(), 2u);
  EXPECT_EQ(chosen[0].second, u);
  EXPECT_EQ(chosen[1].second, w);
  Session s(g);
  expect_near(s.run(chosen[0].first), {0.});         // tg::gradients: zero where no path
  expect_near(s.run(chosen[1].first), {8., -16.});   // d(4 w^2)/dw = 8 w
  EXPECT_NE(graph_error([&] { adam.compute_gradients(loss, {loss}); }).find("AdamOptimizer.compute_gradients"),
            std::string::npos);
  EXPECT_NE(graph_error([&] { adam.compute_gradients(loss, {w, w}); }).find("twice in var_list"), std::string::npos);
}

TEST(ComputeApply, ScaledAndAveragedGradientsGiveTheHandComputedSteps) {
  // w = [1, -2], loss = sum(w^2): g = 2w. Halved, gradient descent takes w -= 0.1 w.
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w");
  Node loss = reduce_sum(square(w));
  const GradientDescentOptimizer gd(0.1);
  GradsAndVars pairs = gd.compute_gradients(loss);
  for (auto& [grad, var] : pairs) grad = grad * 0.5;
  Node step = gd.apply_gradients(pairs);
  // The average of the gradients of two losses (two "towers"): (2w + 6w) / 2 = 4w; Adam's first
  // step is then lr * 4w / (|4w| + eps), whatever the scale.
  Node loss2 = reduce_sum(square(w * 3.0)) / 9.0 * 3.0;  // 3 w^2: gradient 6w
  const AdamOptimizer adam(0.1);
  const GradsAndVars a = adam.compute_gradients(loss), b = adam.compute_gradients(loss2);
  Node avg_step = adam.apply_gradients({{(a[0].first + b[0].first) / 2.0, w}}, "averaged");
  EXPECT_EQ(avg_step.name(), "averaged");
  EXPECT_TRUE(g.node("averaged/step").valid());
  Session s(g);
  s.run(step);
  expect_near(s.value(w), {0.9, -1.8});
  s.run(step);
  expect_near(s.value(w), {0.81, -1.62});
  s.run(avg_step);
  expect_near(s.value(w), {0.81 - 0.1 * 3.24 / (3.24 + 1e-8), -1.62 + 0.1 * 6.48 / (6.48 + 1e-8)});
}

TEST(ComputeApply, InvalidGradientsAreSkippedAndNoGradientAtAllIsRefused) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w"), u = Variable(T{3.}, "u");
  Node loss = reduce_sum(square(w));
  for (const Opt& o : every_optimizer()) {
    SCOPED_TRACE(o.what);
    Node step = o.apply({{Node(), u}, {o.compute(loss)[0].first, w}});
    for (const Node& in : step.inputs()) EXPECT_NE(in, u);  // u has no gradient: not updated, no state
    EXPECT_NE(graph_error([&] { o.apply({{Node(), w}, {Node(), u}}); }).find("no gradient for any Variable"),
              std::string::npos);
    EXPECT_NE(graph_error([&] { o.apply({}); }).find("apply_gradients"), std::string::npos);
  }
}

TEST(ComputeApply, RefusesGradientsThatDoNotFitTheirVariable) {
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w"), w32 = Variable(Tensor::zeros({2}, DType::f32), "w32");
  const MomentumOptimizer mo(0.1, 0.5);
  EXPECT_THROW(mo.apply_gradients({{constant(T{1., 2., 3.}), w}}), ShapeError);
  EXPECT_THROW(mo.apply_gradients({{constant(T{1., 2.}), w32}}), DTypeError);  // float64 for float32
  EXPECT_THROW(mo.apply_gradients({{constant(T{1., 2.}), w}, {constant(T{1., 2.}), w}}), GraphError);
  EXPECT_THROW(mo.apply_gradients({{constant(T{1., 2.}), constant(T{0., 0.})}}), GraphError);  // not a Variable
  EXPECT_THROW(GradientDescentOptimizer(0.1).apply_gradients({{constant(T{1., 2., 3.}), w}}), ShapeError);
  Node step_count = Variable(T::scalar<std::int64_t>(0), "count", false);
  EXPECT_THROW(mo.apply_gradients({{constant(T{1., 2.}), w}}, "", w), DTypeError);  // a float vector
  EXPECT_NO_THROW(mo.apply_gradients({{constant(T{1., 2.}), w}}, "", step_count));
}

TEST(ComputeApply, GlobalStepCountsTheUpdatesAndDrivesTheSchedule) {
  // momentum 0 with step(0.1, 1, 0.5): lr = 0.1 * 0.5^global_step, w *= 1 - 2 lr.
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w");
  Node global_step = Variable(T::scalar<std::int64_t>(1), "global_step", false);  // starts at 1: lr 0.05
  Node loss = reduce_sum(square(w));
  const MomentumOptimizer mo(schedules::step(0.1, 1, 0.5), 0);
  Node step = mo.apply_gradients(mo.compute_gradients(loss), "", global_step);
  EXPECT_THROW(g.node("Momentum/step"), GraphError);  // global_step takes its place
  Session s(g);
  s.run(step);
  expect_near(s.value(w), {0.9, -1.8});
  EXPECT_EQ(s.value(global_step).item<std::int64_t>(), 2);
  s.run(step);
  expect_near(s.value(w), {0.855, -1.71});
  EXPECT_EQ(s.value(global_step).item<std::int64_t>(), 3);
}

TEST(ComputeApply, GradientDescentWithAGlobalStepTakesTheSameSteps) {
  const std::vector<Tensor> plain = dense_steps([](const Node& l) { return GradientDescentOptimizer(0.1).minimize(l); });
  const std::vector<Tensor> counted = dense_steps([](const Node& l) {
    const GradientDescentOptimizer gd(0.1);
    Node step = gd.apply_gradients(gd.compute_gradients(l), "descent", Variable(T::scalar<std::int64_t>(0), "n", false));
    EXPECT_EQ(step.name(), "descent");
    return step;
  });
  for (std::size_t i = 0; i < plain.size(); ++i) expect_near(counted[i], plain[i].to_vector<double>(), 1e-12);
  Graph g;
  g.as_default();
  Node w = Variable(T{1., -2.}, "w"), n = Variable(T::scalar<std::int64_t>(5), "global_step", false);
  const GradientDescentOptimizer gd(0.1);
  Node step = gd.apply_gradients(gd.compute_gradients(reduce_sum(square(w))), "", n);
  Session s(g);
  s.run(step);
  s.run(step);
  expect_near(s.value(w), {0.64, -1.28});  // w *= 1 - 0.2, twice
  EXPECT_EQ(s.value(n).item<std::int64_t>(), 7);
}
