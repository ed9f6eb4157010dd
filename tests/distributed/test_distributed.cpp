// Data-parallel training, run by CTest as `mpirun -np 2 test_distributed` (and alone, as a world of
// size 1, where every check still holds with size() == 1). Each check is computed on every rank;
// a failure on any rank fails the job.
//   - the collectives as ops: forward values and gradients, by hand, for ranks of different data;
//   - broadcast_variables: ranks that start apart end with rank 0's values;
//   - equivalence: 20 float64 steps of data-parallel fit (global batch 32 split over the ranks,
//     DistributedOptimizer) give the parameters of one process training on the whole batches
//     (relative 1e-9), for plain descent, momentum and Adam; every rank ends bit-identical;
//   - evaluate reduces its metrics over the ranks; fit refuses a train_op that does not average.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <sstream>

#include "tensorgraph/tensorgraph.h"

using namespace tg;
namespace dist = tg::distributed;

// NOTE: under ASan (scripts/sanitize.sh) the leaks Open MPI leaves at exit are suppressed by library
// (scripts/lsan.supp), which needs whole stacks: Open MPI's libraries have no frame pointers, so
// the fast unwinder stops one frame short of them. (A weak hook: used by ASan builds only.)
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }

namespace {

double max_rel(const Tensor& a, const Tensor& b) {
  double worst = 0;
  for (std::int64_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::fabs(a.flat(i) - b.flat(i)) / (1e-12 + std::fabs(b.flat(i))));
  return worst;
}

// Rank 0's copy of t, on every rank.
Tensor from_rank0(const Tensor& t) {
  Tensor c = Tensor::copy_of(t.dtype(), t.shape(), t.raw(), static_cast<std::size_t>(t.size()));
  dist::broadcast(c, 0, "test");
  return c;
}

TEST(Distributed, WorldMatchesTheLauncher) {
  const char* env = std::getenv("OMPI_COMM_WORLD_SIZE");
  EXPECT_EQ(dist::size(), env ? std::atoi(env) : 1);
  EXPECT_GE(dist::rank(), 0);
  EXPECT_LT(dist::rank(), dist::size());
  EXPECT_GE(dist::local_rank(), 0);
  EXPECT_LT(dist::local_rank(), dist::local_size());
}

TEST(Distributed, AllreduceSumsAndAveragesOverRanks) {
  Graph g;
  g.as_default();
  const int n = dist::size(), r = dist::rank();
  const double mine = r + 1.0;  // rank r holds (r+1) * [1, 2, 3]
  Node x = placeholder(DType::f64, Shape{3});
  Node sum = dist::allreduce(x, dist::ReduceOp::sum), mean = dist::allreduce(x, dist::ReduceOp::mean);
  Session s;
  auto v = s.run({sum, mean}, {{x, Tensor{mine, 2 * mine, 3 * mine}}});
  const double total = n * (n + 1) / 2.0;  // 1 + 2 + ... + n
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(v[0].flat(i), total * (i + 1));
    EXPECT_DOUBLE_EQ(v[1].flat(i), total * (i + 1) / n);
  }
  Node k = placeholder(DType::i64, Shape{});
  EXPECT_EQ(s.run(dist::allreduce(k, dist::ReduceOp::sum), {{k, Tensor::scalar<std::int64_t>(10 + r)}}).item<std::int64_t>(),
            10 * n + n * (n - 1) / 2);
  EXPECT_THROW(dist::allreduce(k, dist::ReduceOp::mean), DTypeError);  // the mean of integers: use sum
}

TEST(Distributed, AllreduceGradientIsTheAllreduceOfTheUpstreamGradient) {
  // Objective Σ_r L_r with L_r = Σ_i c_r,i · y_i, y = allreduce(x): dL/dx_r,i = Σ_r' c_r',i (sum) or /n (mean).
  Graph g;
  g.as_default();
  const int n = dist::size(), r = dist::rank();
  Node x = placeholder(DType::f64, Shape{2});
  Node c = placeholder(DType::f64, Shape{2});
  Node ys = dist::allreduce(x, dist::ReduceOp::sum), ym = dist::allreduce(x, dist::ReduceOp::mean);
  Node gs = gradients(reduce_sum(c * ys), {x})[0], gm = gradients(reduce_sum(c * ym), {x})[0];
  Session s;
  auto v = s.run({gs, gm}, {{x, Tensor{1.0, 2.0}}, {c, Tensor{r + 1.0, 10.0 * (r + 1)}}});
  const double total = n * (n + 1) / 2.0;
  EXPECT_DOUBLE_EQ(v[0].flat(0), total);
  EXPECT_DOUBLE_EQ(v[0].flat(1), 10 * total);
  EXPECT_DOUBLE_EQ(v[1].flat(0), total / n);
  EXPECT_DOUBLE_EQ(v[1].flat(1), 10 * total / n);
}

TEST(Distributed, BroadcastGivesTheRootsValueAndSumsGradientsOnTheRoot) {
  Graph g;
  g.as_default();
  const int n = dist::size(), r = dist::rank(), root = n - 1;
  Node x = placeholder(DType::f64, Shape{2});
  Node y = dist::broadcast(x, root);
  Node c = placeholder(DType::f64, Shape{2});
  Node dx = gradients(reduce_sum(c * y), {x})[0];
  Session s;
  auto v = s.run({y, dx}, {{x, Tensor{100.0 * r, 1.0 * r}}, {c, Tensor{r + 1.0, 2.0}}});
  EXPECT_DOUBLE_EQ(v[0].flat(0), 100.0 * root);
  EXPECT_DOUBLE_EQ(v[0].flat(1), 1.0 * root);
  EXPECT_DOUBLE_EQ(v[1].flat(0), r == root ? n * (n + 1) / 2.0 : 0.0);
  EXPECT_DOUBLE_EQ(v[1].flat(1), r == root ? 2.0 * n : 0.0);
  EXPECT_THROW(dist::broadcast(x, n), GraphError);
}

TEST(Distributed, BroadcastVariablesStartsEveryRankFromRankZero) {
  Graph g;
  g.as_default();
  const int r = dist::rank();
  Node w = Variable(Tensor{{1.0, 2.0}, {3.0, 4.0}}, "w");
  Node f = Variable(Tensor{1.0f, 2.0f, 3.0f}, "f");
  Node k = Variable(Tensor::scalar<std::int64_t>(7), "k");
  Session s;
  s.assign({{w, Tensor{{1.0 + r, 2.0}, {3.0, 4.0 * (r + 1)}}}, {f, Tensor{1.0f * r, 2.0f, 3.0f}},
            {k, Tensor::scalar<std::int64_t>(7 + r)}});
  dist::broadcast_variables(s, 0);
  EXPECT_EQ(s.value(w).flat(0), 1.0);
  EXPECT_EQ(s.value(w).flat(3), 4.0);
  EXPECT_EQ(s.value(f).flat(0), 0.0);
  EXPECT_EQ(s.value(k).item<std::int64_t>(), 7);
}

Tensor normal(const Shape& shape, double stddev, Rng& rng) {
  Tensor t(DType::f64, shape);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<double>()[i] = stddev * rng.normal();
  return t;
}

// A float64 MLP 6-8-3 on seeded data; returns (inputs, labels, loss, accuracy) and its Variables.
struct Mlp {
  Node x, y, loss, accuracy;
  std::vector<Node> vars;
};
Mlp mlp() {
  Mlp m;
  m.x = placeholder(DType::f64, Shape{-1, 6}, "x");
  m.y = placeholder(DType::i64, Shape{-1}, "y");
  Rng rng(7);
  Node w1 = Variable(normal({6, 8}, 0.5, rng), "w1"), b1 = Variable(Tensor::zeros({8}), "b1");
  Node w2 = Variable(normal({8, 3}, 0.5, rng), "w2"), b2 = Variable(Tensor::zeros({3}), "b2");
  Node logits = matmul(tanh(matmul(m.x, w1) + b1), w2) + b2;
  m.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.y, logits));
  m.accuracy = reduce_mean(cast(equal(argmax(logits, 1), m.y), DType::f64));
  m.vars = {w1, b1, w2, b2};
  return m;
}
train::Dataset data(std::int64_t n) {
  Rng rng(11);
  Tensor x = normal({n, 6}, 1.0, rng);
  Tensor y(DType::i64, Shape{n});
  for (std::int64_t i = 0; i < n; ++i)
    y.data<std::int64_t>()[i] = (x.flat(i * 6) + x.flat(i * 6 + 1) > 0) + (x.flat(i * 6 + 2) > 1);
  return train::Dataset(x, y);
}

template <class Opt>
void check_equivalence(const Opt& opt, const char* what) {
  constexpr std::int64_t kBatch = 32, kSteps = 20;
  const train::Dataset d = data(kBatch * kSteps);
  // One process, whole batches, the plain optimizer: fit's own single-process loop, by hand.
  std::vector<Tensor> want;
  {
    Graph g;
    g.as_default();
    Mlp m = mlp();
    Node step = opt.minimize(m.loss);
    Session s;
    for (auto [x, y] : d.batches(kBatch, true, /*seed + epoch*/ 5 + 1)) s.run(step, {{m.x, x}, {m.y, y}});
    want = s.values(m.vars);
  }
  Graph g;
  g.as_default();
  Mlp m = mlp();
  Node step = dist::DistributedOptimizer<Opt>(opt).minimize(m.loss);
  Session s;
  train::FitOptions o;
  o.epochs = 1;
  o.batch_size = kBatch;
  o.seed = 5;
  o.quiet = true;
  const train::History h = train::fit(s, {m.x, m.y, m.loss, m.accuracy, step, {}, {}, m.vars}, d, nullptr, o);
  ASSERT_EQ(h.epochs.size(), 1u);
  const std::vector<Tensor> got = s.values(m.vars);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_LT(max_rel(got[i], want[i]), 1e-9) << what << ": " << m.vars[i].name() << " on rank " << dist::rank();
    EXPECT_EQ(std::memcmp(got[i].raw(), from_rank0(got[i]).raw(), got[i].nbytes()), 0)
        << what << ": rank " << dist::rank() << " holds another " << m.vars[i].name() << " than rank 0";
  }
}

TEST(Distributed, TwentyStepsOverTheRanksEqualOneProcessOnTheWholeBatch) {
  check_equivalence(train::GradientDescentOptimizer(0.5), "GradientDescent");
  check_equivalence(train::MomentumOptimizer(0.1, 0.9, true), "Momentum (Nesterov)");
  check_equivalence(train::AdamOptimizer(0.01), "Adam");
}

TEST(Distributed, AverageGradientsPacksOneAllreducePerBucket) {
  Graph g;
  g.as_default();
  Mlp m = mlp();
  auto pairs = train::AdamOptimizer(0.01).compute_gradients(m.loss);
  auto count = [&] {
    int n = 0;
    for (const Node& node : g.nodes()) n += node.op() && std::string(node.op()->name) == "allreduce";
    return n;
  };
  const int before = count();
  dist::average_gradients(pairs);
  EXPECT_EQ(count() - before, dist::size() > 1 ? 1 : 0);  // every gradient in one buffer
  dist::average_gradients(pairs, 8 * 8 * 3);  // buckets of at most 24 doubles: w1, b1, w2, b2 each alone
  EXPECT_EQ(count() - before, dist::size() > 1 ? 5 : 0);
}

TEST(Distributed, EvaluateReducesOverTheRanks) {
  Graph g;
  g.as_default();
  Mlp m = mlp();
  Session s;
  const train::Dataset d = data(101);  // 101 examples in batches of 10: the ranks hold unequal parts
  const train::Evaluation e = train::evaluate(s, {m.x, m.y, m.loss, m.accuracy, {}, {}, {}, {}}, d, 10);
  // The whole set in one run, in this process alone.
  auto v = s.run({m.loss, m.accuracy}, {{m.x, d.features()}, {m.y, d.labels()}});
  EXPECT_NEAR(e.loss, v[0].item<double>(), 1e-12);
  EXPECT_NEAR(*e.accuracy, v[1].item<double>(), 1e-12);
}

TEST(Distributed, FitRefusesATrainOpThatDoesNotAverage) {
  if (dist::size() == 1) GTEST_SKIP() << "a world of one has nothing to average";
  Graph g;
  g.as_default();
  Mlp m = mlp();
  Node step = train::GradientDescentOptimizer(0.1).minimize(m.loss);
  Session s;
  train::FitOptions o;
  o.quiet = true;
  try {
    train::fit(s, {m.x, m.y, m.loss, m.accuracy, step, {}, {}, {}}, data(64), nullptr, o);
    FAIL() << "fit trained with a train_op that does not average";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("DistributedOptimizer"), std::string::npos) << e.what();
  }
}

}  // namespace

int main(int argc, char** argv) {
  dist::init();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();  // NOTE: any rank's failure sets its exit status, so mpirun's
}
