// Numerical safety of the softmax family at huge logits (magnitudes 1e4 and 1e5, mixed signs), in
// float32 and float64, forward and gradient, against long-double references computed from the
// same (rounded) inputs: no NaN or Inf, and within a few ulp of the exact values. Also what log
// and divide do at 0 (ops.h documents it).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

using LD = long double;
using Rows = std::vector<std::vector<LD>>;

// Rows of logits: close values at 1e4 and 1e5, one row spanning -1e4..1e5 (whose small entries
// underflow to probability 0), all-negative -1e4, and ties.
const Rows kLogits = {
    {1e4, 1e4 + 1, 1e4 + 2, 1e4 - 0.5},
    {1e5, 1e5 + 1, 1e5 + 2, 1e5 - 0.5},
    {1e5, -1e4, 1e5 - 3, 1e4},
    {-1e4, -1e4 + 0.5, -1e4 - 2, -1e4 + 0.25},
    {1e5, 1e5, -1e4, 1e5},
    {-1e4, 1e4, 1e5 + 0.25, -1e5},
};
// Soft labels (rows sum to 1, except the last: 1.5), class labels, and per-row upstream weights.
const Rows kLabels = {{0.25, 0.25, 0.5, 0}, {0, 0, 1, 0}, {0.5, 0.25, 0.125, 0.125},
                      {0.125, 0.375, 0.25, 0.25}, {0, 0.5, 0.5, 0}, {0.5, 0, 0.5, 0.5}};
const std::vector<std::int64_t> kClasses = {2, 0, 1, 3, 2, 3};
const Rows kWeights = {{1, -2, 0.5, 3}, {-1, 1, 2, 0.25}, {0.5, 0.5, -3, 1}, {2, -1, 1, -0.5}, {1, 1, 1, 1}, {-0.75, 2, 1, 0.5}};

template <class T> Tensor tensor_of(const Rows& r) {
  std::vector<T> v;
  for (const auto& row : r)
    for (LD x : row) v.push_back(static_cast<T>(x));
  return Tensor::from_vector(v, {static_cast<std::int64_t>(r.size()), static_cast<std::int64_t>(r[0].size())});
}
// The rows as the kernels see them: rounded to T, then widened.
template <class T> Rows rounded(const Rows& r) {
  Rows out = r;
  for (auto& row : out)
    for (LD& x : row) x = static_cast<LD>(static_cast<T>(x));
  return out;
}

struct Ref {
  Rows softmax, log_softmax;
  std::vector<LD> lse;
};
Ref reference(const Rows& x) {
  Ref r;
  for (const auto& row : x) {
    LD mx = row[0], sum = 0;
    for (LD v : row) mx = std::max(mx, v);
    for (LD v : row) sum += std::exp(v - mx);
    std::vector<LD> sm, lsm;
    for (LD v : row) {
      lsm.push_back((v - mx) - std::log(sum));
      sm.push_back(std::exp(lsm.back()));
    }
    r.softmax.push_back(sm);
    r.log_softmax.push_back(lsm);
    r.lse.push_back(mx + std::log(sum));
  }
  return r;
}

// Within 16 ulp of T, relative to max(1, |want|): every value here is O(1) or a sum of O(1)
// terms, except log_softmax's far-below-the-max entries, which are large and then relative.
template <class T> ::testing::AssertionResult close(const Tensor& got, const Rows& want, const char* what) {
  const LD eps = std::numeric_limits<T>::epsilon();
  std::int64_t i = 0;
  for (const auto& row : want)
    for (LD w : row) {
      const LD g = got.flat(i);
      if (!std::isfinite(static_cast<double>(g)) || std::fabs(g - w) > 16 * eps * std::max<LD>(1, std::fabs(w)))
        return ::testing::AssertionFailure() << what << ": element " << i << " is " << static_cast<double>(g)
                                             << ", exact " << static_cast<double>(w) << " (error "
                                             << static_cast<double>(std::fabs(g - w)) << ")";
      ++i;
    }
  return ::testing::AssertionSuccess();
}
Rows as_rows(const std::vector<LD>& v) { return {v}; }

template <class T> class HugeLogits : public ::testing::Test {};
using FloatTypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(HugeLogits, FloatTypes);

// A graph on the rounded logits, labels and weights of dtype T.
template <class T> struct Fixture {
  Graph g;
  Node logits, labels, classes, weights, row_weights;
  Rows x = rounded<T>(kLogits), l = rounded<T>(kLabels), w = rounded<T>(kWeights);
  Ref ref = reference(x);
  FeedDict feeds;
  Fixture() {
    g.as_default();
    const DType d = dtype_of<T>();
    logits = placeholder(d, {6, 4}, "logits");
    labels = placeholder(d, {6, 4}, "labels");
    classes = placeholder(DType::i64, {6}, "classes");
    weights = placeholder(d, {6, 4}, "weights");
    row_weights = placeholder(d, {6}, "row_weights");  // the first column of kWeights
    Rows first;
    for (const auto& row : kWeights) first.push_back({row[0]});
    feeds = {{logits, tensor_of<T>(kLogits)}, {labels, tensor_of<T>(kLabels)},
             {classes, Tensor::from_vector(kClasses, {6})}, {weights, tensor_of<T>(kWeights)},
             {row_weights, tensor_of<T>(first).reshaped({6})}};
  }
  Tensor run(const Node& n) { return Session(g).run(n, feeds); }
  LD row_weight(std::size_t r) const { return w[r][0]; }  // row r's loss is weighted by w[r][0]
};

TYPED_TEST(HugeLogits, SoftmaxForwardAndGradient) {
  using T = TypeParam;
  Fixture<T> f;
  const Node y = softmax(f.logits);
  EXPECT_TRUE(close<T>(f.run(y), f.ref.softmax, "softmax"));
  // d sum(w * softmax) / dx = y * (w - sum(w * y))
  Rows want = f.ref.softmax;
  for (std::size_t r = 0; r < want.size(); ++r) {
    LD dot = 0;
    for (std::size_t j = 0; j < want[r].size(); ++j) dot += f.w[r][j] * f.ref.softmax[r][j];
    for (std::size_t j = 0; j < want[r].size(); ++j) want[r][j] = f.ref.softmax[r][j] * (f.w[r][j] - dot);
  }
  EXPECT_TRUE(close<T>(f.run(gradients(reduce_sum(multiply(y, f.weights)), {f.logits})[0]), want, "d softmax"));
}

TYPED_TEST(HugeLogits, LogSoftmaxForwardAndGradient) {
  using T = TypeParam;
  Fixture<T> f;
  const Node y = log_softmax(f.logits);
  EXPECT_TRUE(close<T>(f.run(y), f.ref.log_softmax, "log_softmax"));
  // d sum(w * log_softmax) / dx = w - softmax * sum(w)
  Rows want = f.w;
  for (std::size_t r = 0; r < want.size(); ++r) {
    LD sw = 0;
    for (LD v : f.w[r]) sw += v;
    for (std::size_t j = 0; j < want[r].size(); ++j) want[r][j] = f.w[r][j] - f.ref.softmax[r][j] * sw;
  }
  EXPECT_TRUE(close<T>(f.run(gradients(reduce_sum(multiply(y, f.weights)), {f.logits})[0]), want, "d log_softmax"));
}

// The part of log_softmax that holds today: finite everywhere, and right where the row max is
// small or the entry is far below it (there the rounding of max + log(sum) is relatively tiny).
TYPED_TEST(HugeLogits, LogSoftmaxIsFiniteAndRightRelativeToTheLogits) {
  using T = TypeParam;
  Fixture<T> f;
  const Tensor got = f.run(log_softmax(f.logits));
  const LD eps = std::numeric_limits<T>::epsilon();
  for (std::size_t r = 0, i = 0; r < f.x.size(); ++r)
    for (std::size_t j = 0; j < f.x[r].size(); ++j, ++i) {
      const LD g = got.flat(static_cast<std::int64_t>(i)), w = f.ref.log_softmax[r][j];
      ASSERT_TRUE(std::isfinite(static_cast<double>(g))) << r << "," << j;
      // within a few ulp of the row's largest |logit| (what the present kernel guarantees)
      LD scale = 1;
      for (LD v : f.x[r]) scale = std::max(scale, std::fabs(v));
      EXPECT_LE(std::fabs(g - w), 4 * eps * scale) << r << "," << j;
    }
}

TYPED_TEST(HugeLogits, SoftmaxCrossEntropyForwardAndGradients) {
  using T = TypeParam;
  Fixture<T> f;
  const Node loss = softmax_cross_entropy_with_logits(f.labels, f.logits);
  std::vector<LD> want_loss;
  for (std::size_t r = 0; r < f.x.size(); ++r) {
    LD v = 0;
    for (std::size_t j = 0; j < f.x[r].size(); ++j) v -= f.l[r][j] * f.ref.log_softmax[r][j];
    want_loss.push_back(v);
  }
  EXPECT_TRUE(close<T>(f.run(loss), as_rows(want_loss), "softmax_cross_entropy_with_logits"));
  // loss weighted per row by w_r: dlogits = w_r (softmax S_r - l), S_r = sum of row r's labels
  const std::vector<Node> g = gradients(reduce_sum(multiply(loss, f.row_weights)), {f.logits, f.labels});
  Rows dx = f.x;
  for (std::size_t r = 0; r < f.x.size(); ++r) {
    LD s = 0;
    for (LD v : f.l[r]) s += v;
    for (std::size_t j = 0; j < f.x[r].size(); ++j) dx[r][j] = f.row_weight(r) * (f.ref.softmax[r][j] * s - f.l[r][j]);
  }
  EXPECT_TRUE(close<T>(f.run(g[0]), dx, "d xent / d logits"));
  const Tensor dl = f.run(g[1]);  // exact values: the next test
  for (std::int64_t i = 0; i < dl.size(); ++i) EXPECT_TRUE(std::isfinite(dl.flat(i))) << i;
}

TYPED_TEST(HugeLogits, SoftmaxCrossEntropyLabelGradient) {
  using T = TypeParam;
  Fixture<T> f;
  const Node loss = softmax_cross_entropy_with_logits(f.labels, f.logits);
  Rows dl = f.x;
  for (std::size_t r = 0; r < f.x.size(); ++r)
    for (std::size_t j = 0; j < f.x[r].size(); ++j) dl[r][j] = -f.row_weight(r) * f.ref.log_softmax[r][j];
  EXPECT_TRUE(close<T>(f.run(gradients(reduce_sum(multiply(loss, f.row_weights)), {f.labels})[0]), dl, "d xent / d labels"));
}

TYPED_TEST(HugeLogits, SparseSoftmaxCrossEntropyForwardAndGradient) {
  using T = TypeParam;
  Fixture<T> f;
  const Node loss = sparse_softmax_cross_entropy_with_logits(f.classes, f.logits);
  std::vector<LD> want_loss;
  for (std::size_t r = 0; r < f.x.size(); ++r) want_loss.push_back(-f.ref.log_softmax[r][static_cast<std::size_t>(kClasses[r])]);
  EXPECT_TRUE(close<T>(f.run(loss), as_rows(want_loss), "sparse_softmax_cross_entropy_with_logits"));
  const Node weighted = reduce_sum(multiply(loss, f.row_weights));
  Rows dx = f.x;
  for (std::size_t r = 0; r < f.x.size(); ++r)
    for (std::size_t j = 0; j < f.x[r].size(); ++j)
      dx[r][j] = f.row_weight(r) * (f.ref.softmax[r][j] - (static_cast<std::int64_t>(j) == kClasses[r] ? 1 : 0));
  EXPECT_TRUE(close<T>(f.run(gradients(weighted, {f.logits})[0]), dx, "d sparse xent / d logits"));
}

// --- log and divide at 0: IEEE, as ops.h documents ---

TEST(AtZero, LogIsMinusInfAndItsGradientPlusInf) {
  for (DType d : {DType::f32, DType::f64}) {
    Graph g;
    g.as_default();
    Node x = placeholder(d, {3});
    Node y = log(x);
    Node dx = gradients(reduce_sum(y), {x})[0];
    Session s(g);
    const FeedDict f{{x, Tensor::from_vector<double>({0., 1., 4.}, {3}).astype(d)}};
    const Tensor yv = s.run(y, f), dv = s.run(dx, f);
    EXPECT_EQ(yv.flat(0), -std::numeric_limits<double>::infinity()) << dtype_name(d);
    EXPECT_EQ(yv.flat(1), 0.);
    EXPECT_EQ(dv.flat(0), std::numeric_limits<double>::infinity()) << dtype_name(d);
    EXPECT_EQ(dv.flat(1), 1.);
    EXPECT_EQ(dv.flat(2), 0.25);
  }
}

TEST(AtZero, DivideByZeroIsInfOrNaNAndSoAreItsGradients) {
  Graph g;
  g.as_default();
  Node a = placeholder(DType::f64, {3}), b = placeholder(DType::f64, {3});
  Node z = divide(a, b);
  const std::vector<Node> grads = gradients(reduce_sum(z), {a, b});
  Session s(g);
  const FeedDict f{{a, Tensor{3., 0., -2.}}, {b, Tensor{0., 0., 0.}}};
  const double inf = std::numeric_limits<double>::infinity();
  const Tensor zv = s.run(z, f), da = s.run(grads[0], f), db = s.run(grads[1], f);
  EXPECT_EQ(zv.flat(0), inf);
  EXPECT_TRUE(std::isnan(zv.flat(1)));
  EXPECT_EQ(zv.flat(2), -inf);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(da.flat(i), inf) << i;  // dz/da = 1/b
  EXPECT_EQ(db.flat(0), -inf);                                   // dz/db = -a/b^2
  EXPECT_TRUE(std::isnan(db.flat(1)));
  EXPECT_EQ(db.flat(2), inf);
  // check_numerics is how a model refuses these instead of training on them
  Node checked = check_numerics(z, "ratio");
  EXPECT_THROW(s.run(checked, f), NumericsError);
}

}  // namespace
