// Session: pruning, feeds and their errors, variable state, compiled-plan reuse with no graph
// walk and no allocation in steady state (proved with counters and an operator-new hook).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <thread>

#include <unistd.h>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

// Counts every operator new while `g_counting` is set. NOTE: g++ 12 mistakes the replaced
// new/delete pair for a mismatch once they are inlined.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<bool> g_counting{false};
static std::atomic<long> g_news{0};
void* operator new(std::size_t n) {
  if (g_counting) ++g_news;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_news;
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {
struct AllocationCount {
  long news;
  std::uint64_t tensors;
};
template <class F> AllocationCount count_allocations(F&& f) {
  const std::uint64_t t0 = tensor_allocation_count();
  g_news = 0;
  g_counting = true;
  f();
  g_counting = false;
  return {g_news.load(), tensor_allocation_count() - t0};
}
}  // namespace

TEST(Session, Part1ComputesAxPlusB) {
  Graph().as_default();
  Node A = Variable(Tensor{{1.0, 0.0}, {0.0, -1.0}});
  Node b = Variable(Tensor{1.0, 1.0});
  Node x = placeholder();
  Node z = add(matmul(A, x), b);
  Session s;
  Tensor out = s.run(z, {{x, Tensor{1.0, 2.0}}});
  EXPECT_EQ(out.shape(), Shape{2});
  EXPECT_EQ(out.to_vector<double>(), (std::vector<double>{2, -1}));
}

TEST(Session, OnlyWhatTheFetchNeedsRuns) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {2}, "x");
  Node unfed = placeholder(DType::f64, {2}, "unfed");
  Node y = square(x);
  Node other = add(unfed, x);
  (void)other;
  Session s;
  // `unfed` is not needed for y, so it need not be fed.
  EXPECT_EQ(s.run(y, {{x, Tensor{3.0, 4.0}}}).to_vector<double>(), (std::vector<double>{9, 16}));
}

TEST(Session, MissingFeedNamesThePlaceholder) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {kUnknownDim, 2}, "inputs");
  Node y = reduce_sum(x);
  Session s;
  try {
    s.run(y);
    FAIL();
  } catch (const FeedError& e) {
    EXPECT_NE(std::string(e.what()).find("placeholder 'inputs'"), std::string::npos) << e.what();
  }
}

TEST(Session, WrongFeedShapeNamesNodeExpectedAndGiven) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {kUnknownDim, 2}, "inputs");
  Node y = reduce_sum(x);
  Session s;
  try {
    s.run(y, {{x, Tensor{{1.0, 2.0, 3.0}}}});
    FAIL();
  } catch (const ShapeError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'inputs'"), std::string::npos) << m;
    EXPECT_NE(m.find("[?, 2]"), std::string::npos) << m;
    EXPECT_NE(m.find("[1, 3]"), std::string::npos) << m;
  }
  try {
    s.run(y, {{x, Tensor{{1.f, 2.f}}}});
    FAIL();
  } catch (const DTypeError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("'inputs'"), std::string::npos) << m;
    EXPECT_NE(m.find("float64"), std::string::npos) << m;
    EXPECT_NE(m.find("float32"), std::string::npos) << m;
  }
  // The session keeps working after the errors.
  EXPECT_EQ(s.run(y, {{x, Tensor{{1.0, 2.0}}}}).item<double>(), 3.0);
}

TEST(Session, UnshapedPlaceholderIsCheckedWhenFed) {
  // The tutorial's placeholder() has no shape: a bad value is caught by the op that uses it.
  Graph().as_default();
  Node X = placeholder();
  Node W = Variable(Tensor{{1.0, 2.0}, {3.0, 4.0}}, "W");
  Node y = matmul(X, W, false, false, "mm");
  Session s;
  EXPECT_EQ(s.run(y, {{X, Tensor{{1.0, 1.0}}}}).to_vector<double>(), (std::vector<double>{4, 6}));
  try {
    s.run(y, {{X, Tensor{{1.0, 1.0, 1.0}}}});
    FAIL();
  } catch (const ShapeError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("matmul 'mm'"), std::string::npos) << m;
    EXPECT_NE(m.find("[1, 3]"), std::string::npos) << m;
  }
  EXPECT_EQ(s.run(y, {{X, Tensor{{2.0, 0.0}}}}).to_vector<double>(), (std::vector<double>{2, 4}));
}

TEST(Session, RuntimeKernelErrorLeavesTheSessionUsable) {
  Graph().as_default();
  Node a = placeholder(DType::i32, {2});
  Node q = divide(a, a);
  Session s;
  EXPECT_THROW(s.run(q, {{a, Tensor{1, 0}}}), Error);
  EXPECT_EQ(s.run(q, {{a, Tensor{3, 4}}}).to_vector<int>(), (std::vector<int>{1, 1}));
}

TEST(Session, FetchOfAnotherGraphIsRefused) {
  Graph g1, g2;
  g1.as_default();
  Node a = Variable(Tensor{1.0});
  g2.as_default();
  Session s(g2);
  EXPECT_THROW(s.run(a), GraphError);
}

TEST(Session, VariablesLiveInEachSession) {
  Graph().as_default();
  Node w = Variable(Tensor{1.0, 2.0});
  Node L = reduce_sum(square(w));
  Node step = train::GradientDescentOptimizer(0.25).minimize(L);
  Session s1, s2;
  EXPECT_FALSE(s1.run(step).defined());  // an update op has no value
  EXPECT_EQ(s1.run(w).to_vector<double>(), (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(s2.run(w).to_vector<double>(), (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(w.value().to_vector<double>(), (std::vector<double>{1.0, 2.0}));  // the graph is untouched
  Tensor fetched = s1.run(w);
  s1.run(step);
  EXPECT_EQ(fetched.to_vector<double>(), (std::vector<double>{0.5, 1.0}));  // a copy, not the state
  s2.assign(w, Tensor{7.0, 8.0});
  EXPECT_EQ(s2.run(L).item<double>(), 113.0);
  EXPECT_THROW(s2.assign(w, Tensor{1.0}), ShapeError);
}

TEST(Session, FetchingSeveralNodesAndFeedingAnyNode) {
  Graph().as_default();
  Node x = placeholder(DType::f64, {2});
  Node y = square(x);
  Node z = add(y, x);
  Session s;
  auto out = s.run({y, z, x}, {{x, Tensor{2.0, 3.0}}});
  EXPECT_EQ(out[0].to_vector<double>(), (std::vector<double>{4, 9}));
  EXPECT_EQ(out[1].to_vector<double>(), (std::vector<double>{6, 12}));
  EXPECT_EQ(out[2].to_vector<double>(), (std::vector<double>{2, 3}));
  // Feeding y overrides it: x is then only needed by add.
  EXPECT_EQ(s.run(z, {{x, Tensor{1.0, 1.0}}, {y, Tensor{10.0, 20.0}}}).to_vector<double>(),
            (std::vector<double>{11, 21}));
}

TEST(Session, SecondRunWalksNoGraphAndAllocatesOnlyTheFetchedValue) {
  Graph().as_default();
  Rng rng(1);
  Node X = placeholder(DType::f64, {kUnknownDim, 2});
  Node c = placeholder(DType::f64, {kUnknownDim, 2});
  Node W1 = Variable(Tensor::randn({2, 8}, rng)), b1 = Variable(Tensor::randn({8}, rng));
  Node W2 = Variable(Tensor::randn({8, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
  Node J = negative(reduce_sum(reduce_sum(multiply(c, log(p)), 1)));
  Node step = train::GradientDescentOptimizer(0.03).minimize(J);
  FeedDict f{{X, Tensor::randn({16, 2}, rng)}, {c, Tensor::full({16, 2}, 0.5)}};
  Session s;
  Tensor held = s.run(J, f);
  s.run(step, f);
  const SessionStats before = s.stats();
  Tensor loss;
  // While the caller holds the previous loss, the new one needs its own buffer...
  AllocationCount a = count_allocations([&] { loss = s.run(J, f); });
  EXPECT_EQ(a.tensors, 1u);  // the returned loss
  EXPECT_EQ(a.news, 1);      // its storage record
  // ...and once the caller dropped it, that buffer is reused: nothing is allocated.
  held = Tensor();
  loss = Tensor();
  AllocationCount a2 = count_allocations([&] { loss = s.run(J, f); });
  EXPECT_EQ(a2.tensors, 0u);
  EXPECT_EQ(a2.news, 0);
  AllocationCount b = count_allocations([&] { s.run(step, f); });
  EXPECT_EQ(b.tensors, 0u);  // a training step allocates nothing at all
  EXPECT_EQ(b.news, 0);
  const SessionStats after = s.stats();
  EXPECT_EQ(after.plans_compiled, before.plans_compiled);  // no graph walk
  EXPECT_EQ(after.shape_inferences, before.shape_inferences);
  EXPECT_EQ(after.runs, before.runs + 3);
  EXPECT_TRUE(std::isfinite(loss.item<double>()));
}

TEST(Session, BuffersAreReusedByLiveness) {
  // A chain of 20 element-wise ops needs two scratch buffers, not 20.
  Graph().as_default();
  Node x = placeholder(DType::f64, {1000});
  Node y = x;
  for (int i = 0; i < 20; ++i) y = i % 2 ? tanh(y) : sigmoid(y);
  Session s;
  FeedDict f{{x, Tensor::full({1000}, 0.5)}};
  Tensor out;
  AllocationCount first = count_allocations([&] { out = s.run(y, f); });
  EXPECT_LE(first.tensors, 3u);  // two scratch buffers + the fetched value
  AllocationCount second = count_allocations([&] { out = s.run(y, f); });
  EXPECT_EQ(second.tensors, 1u);  // the caller still held the first result
  AllocationCount third = count_allocations([&] { out = s.run(y, f); });
  EXPECT_EQ(third.tensors, 0u);  // the first result's buffer was free again
  Tensor kept = out;
  out = s.run(y, f);
  EXPECT_FALSE(out.shares_storage(kept));  // a value the caller holds is never overwritten
  EXPECT_EQ(out.flat(0), kept.flat(0));
}

TEST(Session, ChangingTheBatchSizeReinfersShapes) {
  Graph().as_default();
  Node X = placeholder(DType::f64, {kUnknownDim, 2});
  Node y = reduce_sum(square(X), 1);
  Session s;
  EXPECT_EQ(s.run(y, {{X, Tensor{{1.0, 2.0}}}}).to_vector<double>(), (std::vector<double>{5}));
  EXPECT_EQ(s.run(y, {{X, Tensor{{1.0, 2.0}, {3.0, 4.0}, {0.0, 1.0}}}}).to_vector<double>(),
            (std::vector<double>{5, 25, 1}));
  EXPECT_EQ(s.run(y, {{X, Tensor{{2.0, 2.0}}}}).to_vector<double>(), (std::vector<double>{8}));
  EXPECT_EQ(s.stats().plans_compiled, 1u);
  EXPECT_EQ(s.stats().shape_inferences, 3u);
}

TEST(Session, AnUpdateOfAFedVariableIsRefused) {
  Graph().as_default();
  Node w = Variable(Tensor{1.0, 2.0}, "w");
  Node step = train::GradientDescentOptimizer(0.1).minimize(reduce_sum(square(w)));
  Session s;
  Tensor fed{5.0, 5.0};
  EXPECT_THROW(s.run(step, {{w, fed}}), FeedError);
  EXPECT_EQ(fed.to_vector<double>(), (std::vector<double>{5, 5}));  // the caller's data is untouched
  s.run(step);
  EXPECT_EQ(s.run(w).to_vector<double>(), (std::vector<double>{0.8, 1.6}));
}

TEST(Session, FeedDictBeyondItsInlineCapacity) {
  Graph().as_default();
  std::vector<Node> xs;
  FeedDict f;
  Node total;
  for (int i = 0; i < 7; ++i) {
    xs.push_back(placeholder(DType::f64, {}));
    total = i ? add(total, xs.back()) : xs.back();
    f.set(xs.back(), Tensor::scalar(static_cast<double>(i)));
  }
  f.set(xs[5], Tensor::scalar(50.0));  // replaces, in the heap part
  f.set(xs[1], Tensor::scalar(10.0));  // replaces, among the first four
  EXPECT_EQ(f.items().size(), 7u);
  Session s;
  EXPECT_EQ(s.run(total, f).item<double>(), 0 + 10 + 2 + 3 + 4 + 50 + 6);
  FeedDict copy = f;
  EXPECT_EQ(s.run(total, copy).item<double>(), 75.0);
}

namespace {
std::string numerics_error(Session& s, const Node& fetch, const FeedDict& f) {
  try {
    s.run(fetch, f);
  } catch (const NumericsError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(SessionCheckNumerics, NamesTheFirstNodeThatProducedANaNOrInf) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {3}, "x");
  Node y = log(x, "the_log");
  Node z = multiply(y, constant(Tensor::scalar(2.0)), "doubled");
  Session plain(g);
  EXPECT_TRUE(std::isnan(plain.run(z, {{x, Tensor{1.0, -1.0, 0.0}}}).flat(1)));  // off: NaN propagates, IEEE
  Session s(g, SessionOptions{true});
  const std::string m = numerics_error(s, z, {{x, Tensor{1.0, -1.0, 0.0}}});
  EXPECT_NE(m.find("log 'the_log' produced 1 NaN and 1 Inf values among 3"), std::string::npos) << m;
  EXPECT_NE(m.find("first at flat index 1 [1] is nan"), std::string::npos) << m;
  EXPECT_EQ(m.find("doubled"), std::string::npos) << m;  // the first producer, not its consumer
  // A NaN that comes in is named where it comes in.
  const std::string fed = numerics_error(s, z, {{x, Tensor{1.0, std::nan(""), 2.0}}});
  EXPECT_NE(fed.find("placeholder 'x' was fed 1 NaN and 0 Inf"), std::string::npos) << fed;
  // The session keeps working.
  EXPECT_DOUBLE_EQ(s.run(z, {{x, Tensor{1.0, std::exp(1.0), 1.0}}}).flat(1), 2.0);
}

TEST(SessionCheckNumerics, NamesAnUpdateThatWroteAnInf) {
  Graph g;
  g.as_default();
  Node w = Variable(Tensor{1.0}, "w");
  // loss = 1e10·w (finite); w -= 1e300·1e10 overflows to -inf in the update.
  Node step = train::GradientDescentOptimizer(1e300).minimize(reduce_sum(multiply(w, constant(Tensor{1e10}))));
  Session s(g, SessionOptions{true});
  const std::string m = numerics_error(s, step, {});
  EXPECT_NE(m.find("apply_gradient_descent 'GradientDescent"), std::string::npos) << m;
  EXPECT_NE(m.find("0 NaN and 1 Inf"), std::string::npos) << m;
}

namespace {
// Part V's network (float64, small: the reference kernels, no BLAS threads).
struct Net {
  Graph g;
  Node X, c, p, J, step;
  Net() {
    g.as_default();
    Rng rng(5);
    X = placeholder(DType::f64, {kUnknownDim, 2}, "X");
    c = placeholder(DType::f64, {kUnknownDim, 2}, "c");
    Node W1 = Variable(Tensor::randn({2, 3}, rng)), b1 = Variable(Tensor::randn({3}, rng));
    Node W2 = Variable(Tensor::randn({3, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
    p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
    J = negative(reduce_sum(reduce_sum(multiply(c, log(p)), 1)));
    step = train::GradientDescentOptimizer(0.05).minimize(J);
  }
};
Tensor points(int seed, std::int64_t n) {
  Rng rng(static_cast<std::uint64_t>(seed));
  return Tensor::randn({n, 2}, rng);
}
void expect_same(const Tensor& a, const Tensor& b, const std::string& what) {
  ASSERT_EQ(a.shape(), b.shape()) << what;
  for (std::int64_t i = 0; i < a.size(); ++i) ASSERT_EQ(a.flat(i), b.flat(i)) << what << " at " << i;
}
}  // namespace

TEST(Session, RunTimeShapeErrorsNameTheInputsAsBuildTimeErrorsDo) {
  // The same mistake found when building (shapes known) and when running (shapes fed): one message.
  auto message = [](bool shaped) {
    Graph().as_default();
    const Shape s23 = shaped ? Shape{2, 3} : Shape::unknown_rank(), s45 = shaped ? Shape{4, 5} : Shape::unknown_rank();
    Node a = placeholder(DType::f64, s23, "a"), b = placeholder(DType::f64, s45, "b");
    try {
      Node m = matmul(a, b, false, false, "m");
      Session().run(m, {{a, Tensor::zeros({2, 3}, DType::f64)}, {b, Tensor::zeros({4, 5}, DType::f64)}});
    } catch (const ShapeError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string want = "matmul 'm' (inputs 'a' [2, 3] float64, 'b' [4, 5] float64): inner dimensions differ: 3 "
                           "(a [2, 3]) vs 4 (b [4, 5])";
  EXPECT_EQ(message(true), want);
  EXPECT_EQ(message(false), want);
}

TEST(Session, WritesCountUpdatesAndAssignsAndTheHookSeesTheValuesBefore) {
  Graph().as_default();
  Node w = Variable(Tensor{1.0, 2.0});
  Node a = placeholder(DType::f64, {2});
  Node L = reduce_sum(multiply(w, a));
  Node step = train::GradientDescentOptimizer(0.5).minimize(L);
  Session s;
  std::vector<std::vector<double>> seen;  // w's value at each write
  s.on_write([&](const std::vector<Tensor>& vars) {
    seen.push_back(vars.at(static_cast<std::size_t>(w.id())).to_vector<double>());
  });
  const FeedDict f{{a, Tensor{2.0, -4.0}}};
  EXPECT_EQ(s.writes(), 0u);
  s.run(L, f);  // reads only
  s.run(w);
  EXPECT_EQ(s.writes(), 0u);
  s.run(step, f);  // w -= 0.5 * a
  EXPECT_EQ(s.writes(), 1u);
  s.assign(w, Tensor{7.0, 8.0});
  EXPECT_EQ(s.writes(), 2u);
  s.run(step, f);
  EXPECT_EQ(s.writes(), 3u);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(seen[1], (std::vector<double>{0.0, 4.0}));
  EXPECT_EQ(seen[2], (std::vector<double>{7.0, 8.0}));
  EXPECT_EQ(s.run(w).to_vector<double>(), (std::vector<double>{6.0, 10.0}));
  s.on_write(nullptr);  // no hook: writes still counted
  s.run(step, f);
  EXPECT_EQ(s.writes(), 4u);
  EXPECT_EQ(seen.size(), 3u);
  RunInfo info;  // what a run saw: the count before its own write, and whether it wrote
  s.run(L, f, info);
  EXPECT_EQ(info.writes, 4u);
  EXPECT_FALSE(info.wrote);
  s.run({step, L}, f, info);
  EXPECT_EQ(info.writes, 4u);
  EXPECT_TRUE(info.wrote);
  EXPECT_EQ(s.writes(), 5u);
}

TEST(SessionConcurrency, InferenceFromSeveralThreadsMatchesOneThread) {
  Net net;
  constexpr int kThreads = 4, kRuns = 150;
  Session one(net.g);
  std::vector<Tensor> want;
  for (int t = 0; t < kThreads; ++t) want.push_back(one.run(net.p, {{net.X, points(t, 3 + t)}}));
  Session shared(net.g);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const Tensor x = points(t, 3 + t);  // each thread its own batch size: shapes differ between threads
      for (int r = 0; r < kRuns && failures[static_cast<std::size_t>(t)].empty(); ++r) {
        Tensor got = shared.run(net.p, {{net.X, x}});
        for (std::int64_t i = 0; i < got.size(); ++i)
          if (got.flat(i) != want[static_cast<std::size_t>(t)].flat(i))
            failures[static_cast<std::size_t>(t)] = "thread " + std::to_string(t) + " run " + std::to_string(r);
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& f : failures) EXPECT_EQ(f, "");
  EXPECT_EQ(shared.stats().runs, static_cast<std::uint64_t>(kThreads * kRuns));
  EXPECT_LE(shared.stats().plans_compiled, static_cast<std::uint64_t>(kThreads));  // one instance per concurrent run at most
}

TEST(SessionConcurrency, TrainingWhileOtherThreadsInferKeepsEveryUpdate) {
  Net net;
  const Tensor x = points(9, 20), labels = Tensor::full({20, 2}, 0.5);
  constexpr int kSteps = 100;
  Session alone(net.g);
  for (int i = 0; i < kSteps; ++i) alone.run(net.step, {{net.X, x}, {net.c, labels}});
  Session s(net.g);
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!done) {
        Tensor prob = s.run(net.p, {{net.X, x}});
        for (std::int64_t r = 0; r < 20; ++r)  // a consistent snapshot: every row a distribution
          if (std::fabs(prob.flat(2 * r) + prob.flat(2 * r + 1) - 1) > 1e-12) ++bad;
      }
    });
  for (int i = 0; i < kSteps; ++i) s.run(net.step, {{net.X, x}, {net.c, labels}});
  done = true;
  for (auto& th : readers) th.join();
  EXPECT_EQ(bad.load(), 0);
  for (const Node& v : net.g.trainable_variables()) expect_same(s.value(v), alone.value(v), v.name());
}

// Two Variables that every training step moves by the same amount stay equal in every consistent
// state. While one thread trains, Session::values, Saver::save and a batch Session::assign (as
// Saver::restore does) never see or leave them apart: each reads or writes all of them with no
// update in between. (Reading or writing them one at a time fails this test within a few rounds.)
TEST(SessionConcurrency, CheckpointsWhileTrainingHoldOneStepsState) {
  Graph g;
  g.as_default();
  Node a = Variable(Tensor::zeros({3}), "a"), b = Variable(Tensor::zeros({3}), "b");
  Node step = train::GradientDescentOptimizer(0.5).minimize(negative(add(reduce_sum(a), reduce_sum(b))));
  Session s(g);
  s.values({a, b});  // compile the plans before the race
  std::atomic<bool> stop{false};
  std::atomic<int> steps{0};
  std::thread trainer([&] {
    while (!stop) {
      s.run(step);
      ++steps;
    }
  });
  const std::string path =
      (std::filesystem::temp_directory_path() / ("tg_ckpt_race_" + std::to_string(::getpid()) + ".safetensors")).string();
  train::Saver saver({a, b});
  int rounds = 0, apart = 0;
  while (rounds < 200) {
    const std::vector<Tensor> v = s.values({a, b});
    if (max_abs_diff(v[0], v[1]) != 0) ++apart;
    saver.save(s, path);
    const auto file = load_safetensors(path);
    if (max_abs_diff(file[0].second, file[1].second) != 0) ++apart;
    const Tensor same = Tensor::full({3}, -1.0 * rounds);
    s.assign({{a, same}, {b, same}});
    ++rounds;
  }
  stop = true;
  trainer.join();
  std::filesystem::remove(path);
  EXPECT_EQ(apart, 0) << "of " << rounds << " rounds, " << steps << " training steps";
  EXPECT_GT(steps.load(), 0);
  const std::vector<Tensor> end = s.values({a, b});
  EXPECT_EQ(max_abs_diff(end[0], end[1]), 0.0);
  // The batch assign checks every pair before it writes any.
  const Tensor keep = s.value(a);
  EXPECT_THROW(s.assign({{a, Tensor::full({3}, 7.0)}, {b, Tensor::zeros({2})}}), ShapeError);
  EXPECT_EQ(max_abs_diff(s.value(a), keep), 0.0);
  EXPECT_THROW(s.values({a, add(a, b)}), GraphError);
}
