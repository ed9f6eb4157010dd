// Pooling, bias_add and pad beyond the op table: float32 (oneDNN where built with it) against the
// float64 reference on awkward shapes, forward and gradient; TensorFlow's tie rule; shape rules on
// partial shapes; errors naming the op and the argument.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

using Ints = std::vector<std::int64_t>;

struct PoolCase {
  Shape x;  // in the data format's order
  Ints ksize, strides;
  std::string padding, format;
};

std::string describe(const PoolCase& c) {
  auto list = [](const Ints& v) {
    std::string s;
    for (auto e : v) s += std::to_string(e) + " ";
    return s;
  };
  return c.x.str() + " " + c.format + " ksize " + list(c.ksize) + "strides " + list(c.strides) + c.padding;
}

// |got - want| <= tol·max(1, |want|) everywhere.
::testing::AssertionResult close(const Tensor& got, const Tensor& want, double tol) {
  if (!(got.shape() == want.shape()))
    return ::testing::AssertionFailure() << "shape " << got.shape().str() << " vs " << want.shape().str();
  for (std::int64_t i = 0; i < want.size(); ++i)
    if (!(std::fabs(got.flat(i) - want.flat(i)) <= tol * std::max(1.0, std::fabs(want.flat(i)))))
      return ::testing::AssertionFailure() << "element " << i << ": " << got.flat(i) << " vs " << want.flat(i);
  return ::testing::AssertionSuccess();
}

// [y, dL/dx] for L = sum(pool(x) * w), pool being max_pool or avg_pool, in `dtype`.
std::vector<Tensor> pool_and_grad(bool max, const PoolCase& c, const Tensor& x, const Tensor& w, DType dtype) {
  Graph g;
  g.as_default();
  Node xp = placeholder(dtype, c.x, "x");
  Node y = max ? nn::max_pool(xp, c.ksize, c.strides, c.padding, c.format)
               : nn::avg_pool(xp, c.ksize, c.strides, c.padding, c.format);
  Node dx = gradients(reduce_sum(multiply(y, constant(w.astype(dtype)))), {xp})[0];
  Session s(g);
  return s.run({y, dx}, {{xp, x.astype(dtype)}});
}

// Batch 1, odd sizes, stride 2, 3x3 windows stride 2, uneven SAME padding (the extra row/column
// after), 1x1 windows, non-square windows and strides, NCHW and NHWC.
const std::vector<PoolCase> kAwkward = {
    {{1, 7, 5, 3}, {1, 3, 3, 1}, {1, 2, 2, 1}, "SAME", "NHWC"},
    {{2, 4, 6, 6}, {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", "NCHW"},  // 6 -> 3: padding 0 before, 1 after
    {{3, 5, 7, 2}, {1, 2, 2, 1}, {1, 2, 2, 1}, "SAME", "NHWC"},  // odd sizes, uneven
    {{1, 5, 9, 9}, {1, 1, 3, 3}, {1, 1, 2, 2}, "VALID", "NCHW"},
    {{2, 4, 5, 3}, {1, 1, 1, 1}, {1, 1, 1, 1}, "VALID", "NHWC"},  // window 1
    {{2, 3, 4, 5}, {1, 1, 1, 1}, {1, 1, 2, 2}, "SAME", "NCHW"},   // window 1, stride 2
    {{1, 5, 4, 1}, {1, 3, 2, 1}, {1, 1, 2, 1}, "SAME", "NHWC"},   // non-square window and stride
    {{2, 6, 6, 16}, {1, 2, 2, 1}, {1, 1, 1, 1}, "SAME", "NHWC"},  // stride 1 SAME: padding after only
    {{4, 28, 28, 8}, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID", "NHWC"},
    {{2, 8, 13, 11}, {1, 1, 3, 3}, {1, 1, 2, 2}, "SAME", "NCHW"},
};

TEST(Pooling, Float32AgreesWithTheFloat64ReferenceOnAwkwardShapes) {
  Rng rng(7);
  for (const PoolCase& c : kAwkward) {
    // NOTE: values exact in float32, so both paths see the same input (and the same maxima).
    const Tensor x = Tensor::randn(c.x, rng).astype(DType::f32).astype(DType::f64);
    for (bool max : {true, false}) {
      SCOPED_TRACE(describe(c) + (max ? " max_pool" : " avg_pool"));
      Graph shape_only;
      shape_only.as_default();
      const Shape y_shape = nn::max_pool(placeholder(DType::f64, c.x), c.ksize, c.strides, c.padding, c.format).shape();
      const Tensor w = Tensor::randn(y_shape, rng).astype(DType::f32).astype(DType::f64);
      const std::vector<Tensor> want = pool_and_grad(max, c, x, w, DType::f64);
      const std::vector<Tensor> got = pool_and_grad(max, c, x, w, DType::f32);
      EXPECT_EQ(got[0].dtype(), DType::f32);
      EXPECT_TRUE(close(got[0], want[0], 1e-4)) << "forward";
      EXPECT_TRUE(close(got[1], want[1], 1e-4)) << "gradient";
    }
  }
}

// Ties: TensorFlow's CPU kernel gives each window's gradient to its first maximum in row-major
// order; float32 (oneDNN) and float64 (reference) agree on it.
TEST(Pooling, MaxPoolGradientGoesToTheFirstOfTiedMaxima) {
  for (DType d : {DType::f32, DType::f64}) {
    Graph g;
    g.as_default();
    Node x = placeholder(d, {1, 4, 4, 1});
    Node valid = gradients(reduce_sum(nn::max_pool(x, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID")), {x})[0];
    Node same = gradients(reduce_sum(nn::max_pool(x, {1, 3, 3, 1}, {1, 1, 1, 1}, "SAME")), {x})[0];
    Session s(g);
    const FeedDict f{{x, Tensor::ones({1, 4, 4, 1}, d)}};
    const std::vector<double> want_valid{1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
    // 3x3 stride 1 SAME: each window's first element is (max(i-1,0), max(j-1,0)).
    const std::vector<double> want_same{4, 2, 2, 0, 2, 1, 1, 0, 2, 1, 1, 0, 0, 0, 0, 0};
    EXPECT_TRUE(close(s.run(valid, f), Tensor::from_vector(want_valid, {1, 4, 4, 1}), 0)) << dtype_name(d);
    EXPECT_TRUE(close(s.run(same, f), Tensor::from_vector(want_same, {1, 4, 4, 1}), 0)) << dtype_name(d);
  }
}

TEST(Pooling, ShapeRulesOnPartialShapes) {
  Graph g;
  g.as_default();
  const Ints k3{1, 3, 3, 1}, s2{1, 2, 2, 1};
  EXPECT_EQ(nn::max_pool(placeholder(DType::f32, {-1, 7, 5, 3}), k3, s2, "SAME").shape(), Shape({-1, 4, 3, 3}));
  EXPECT_EQ(nn::avg_pool(placeholder(DType::f32, {-1, 7, 5, 3}), k3, s2, "VALID").shape(), Shape({-1, 3, 2, 3}));
  EXPECT_EQ(nn::max_pool(placeholder(DType::f32, {-1, -1, -1, 3}), k3, s2, "SAME").shape(), Shape({-1, -1, -1, 3}));
  EXPECT_EQ(nn::max_pool(placeholder(DType::f32), k3, s2, "SAME").shape(), Shape::unknown_dims(4));
  EXPECT_EQ(nn::avg_pool(placeholder(DType::f32, {2, 3, -1, 8}), {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", "NCHW").shape(),
            Shape({2, 3, -1, 4}));
  EXPECT_EQ(nn::bias_add(placeholder(DType::f32), placeholder(DType::f32, {3})).shape(), Shape::unknown_rank());
  EXPECT_EQ(nn::bias_add_grad(placeholder(DType::f32, {-1, 5, 2}), "NCHW").shape(), Shape({5}));
  EXPECT_EQ(pad(placeholder(DType::f32, {-1, 3}), {{1, 2}, {0, 1}}).shape(), Shape({-1, 4}));
  EXPECT_EQ(pad(placeholder(DType::f32), {{1, 2}, {0, 1}}).shape(), Shape::unknown_dims(2));
}

// Runs f, which must throw an E whose message mentions every one of `parts`.
template <class E> void expect_error(const std::function<void()>& f, std::initializer_list<const char*> parts) {
  try {
    f();
  } catch (const E& e) {
    const std::string m = e.what();
    for (const char* part : parts) EXPECT_NE(m.find(part), std::string::npos) << part << " in: " << m;
    return;
  }
  ADD_FAILURE() << "no error; expected one mentioning " << *parts.begin();
}

TEST(Pooling, ErrorsNameTheOpAndTheArgument) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f32, {1, 4, 4, 2}, "images");
  const Ints k2{1, 2, 2, 1};
  expect_error<ShapeError>([&] { nn::max_pool(placeholder(DType::f32, {4, 4, 2}), k2, k2, "SAME"); }, {"max_pool", "value", "4-D"});
  expect_error<ShapeError>([&] { nn::max_pool(x, {2, 2, 1}, k2, "SAME"); }, {"max_pool", "ksize", "4 entries"});
  expect_error<ShapeError>([&] { nn::avg_pool(x, {2, 2, 2, 1}, k2, "SAME"); }, {"avg_pool", "ksize", "batch"});
  expect_error<ShapeError>([&] { nn::avg_pool(x, k2, {1, 0, 1, 1}, "SAME"); }, {"avg_pool", "strides", ">= 1"});
  expect_error<ShapeError>([&] { nn::max_pool(x, k2, k2, "FULL"); }, {"max_pool", "padding", "FULL"});
  expect_error<ShapeError>([&] { nn::max_pool(x, k2, k2, "SAME", "NHCW"); }, {"max_pool", "data_format"});
  expect_error<ShapeError>([&] { nn::max_pool(x, {1, 5, 5, 1}, k2, "VALID"); }, {"max_pool", "VALID", "images"});
  expect_error<DTypeError>([&] { nn::max_pool(placeholder(DType::i32, {1, 4, 4, 2}), k2, k2, "SAME"); }, {"max_pool"});
  Node y = nn::max_pool(x, k2, k2, "VALID");
  expect_error<ShapeError>([&] { nn::max_pool_grad(x, y, x, k2, k2, "VALID"); }, {"max_pool_grad", "grad"});
  expect_error<ShapeError>([&] { nn::avg_pool_grad(x, x, k2, k2, "VALID"); }, {"avg_pool_grad", "grad"});
  expect_error<ShapeError>([&] { nn::max_pool_grad_grad(x, y, y, k2, k2, "VALID"); }, {"max_pool_grad_grad", "grad"});
  // bias_add
  expect_error<ShapeError>([&] { nn::bias_add(x, placeholder(DType::f32, {3})); }, {"bias_add", "bias", "3"});
  expect_error<ShapeError>([&] { nn::bias_add(x, placeholder(DType::f32, {2}), "NCHW"); }, {"bias_add", "bias", "axis 1"});
  expect_error<ShapeError>([&] { nn::bias_add(x, placeholder(DType::f32, {1, 2})); }, {"bias_add", "bias", "1-D"});
  expect_error<ShapeError>([&] { nn::bias_add(placeholder(DType::f32, {3}), placeholder(DType::f32, {3})); }, {"bias_add", "value", "rank >= 2"});
  expect_error<DTypeError>([&] { nn::bias_add(x, placeholder(DType::f64, {2})); }, {"bias_add"});
  // pad, with TensorFlow's bounds for REFLECT (< size) and SYMMETRIC (<= size)
  Node m = placeholder(DType::f32, {2, 3}, "m");
  expect_error<ShapeError>([&] { pad(m, {{1, 1}}); }, {"pad", "paddings", "rank 2"});
  expect_error<ShapeError>([&] { pad(m, {{-1, 0}, {0, 0}}); }, {"pad", "paddings", ">= 0"});
  expect_error<ShapeError>([&] { pad(m, {{2, 0}, {0, 0}}, "REFLECT"); }, {"pad", "REFLECT", "axis 0"});
  EXPECT_NO_THROW(pad(m, {{1, 1}, {2, 2}}, "REFLECT"));
  expect_error<ShapeError>([&] { pad(m, {{0, 0}, {0, 4}}, "SYMMETRIC"); }, {"pad", "SYMMETRIC", "axis 1"});
  EXPECT_NO_THROW(pad(m, {{2, 2}, {3, 3}}, "SYMMETRIC"));
  expect_error<ShapeError>([&] { pad(m, {{0, 0}, {0, 0}}, "WRAP"); }, {"pad", "mode", "WRAP"});
  expect_error<ShapeError>([&] { pad_grad(m, {{2, 1}, {0, 0}}); }, {"pad_grad", "axis 0"});
}

// Shapes known only at run time are checked there, with the same messages.
TEST(Pooling, RunTimeShapeErrors) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64);
  Node r = pad(x, {{0, 0}, {3, 0}}, "REFLECT");
  Node p = nn::max_pool(x, {1, 3, 3, 1}, {1, 1, 1, 1}, "VALID");
  Session s(g);
  expect_error<ShapeError>([&] { s.run(r, {{x, Tensor::zeros({2, 3})}}); }, {"pad", "REFLECT", "axis 1"});
  expect_error<ShapeError>([&] { s.run(p, {{x, Tensor::zeros({1, 2, 2, 1})}}); }, {"max_pool", "VALID"});
  EXPECT_EQ(s.run(r, {{x, Tensor::zeros({2, 4})}}).shape(), Shape({2, 7}));
}

}  // namespace
