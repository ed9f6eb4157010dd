// The composed array functions of the sequence-model work (split, stack, unstack, slice, reverse,
// expand_dims, clip_by_global_norm): values by hand, float64 finite-difference gradients through
// them, and the errors they raise. The ops they are built of have their lines in test_ops.cpp.
#include <gtest/gtest.h>

#include <cmath>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

const Tensor A23{{1., 2., 3.}, {4., 5., 6.}};

void expect_equal(const Tensor& got, const Tensor& want) {
  ASSERT_EQ(got.shape(), want.shape()) << got.shape().str() << " vs " << want.shape().str();
  for (std::int64_t i = 0; i < want.size(); ++i) EXPECT_DOUBLE_EQ(got.flat(i), want.flat(i)) << "element " << i;
}

// d/dx of sum(f(x) * w) for a fixed w of f's shape against central differences.
double gradient_error(const Node& x, const Tensor& xv, const Node& y) {
  Session s;
  const Tensor yv = s.run(y, {{x, xv}});
  Tensor w(DType::f64, yv.shape());
  for (std::int64_t i = 0; i < w.size(); ++i) w.data<double>()[i] = 0.5 + 0.25 * static_cast<double>(i % 7);
  return compute_gradient_error(reduce_sum(y * constant(w)), x, {{x, xv}});
}

class SequenceOps : public ::testing::Test {
 protected:
  void SetUp() override { Graph::reset_default(); }
};

TEST_F(SequenceOps, SplitIntoEqualPartsAndBySizes) {
  Node x = placeholder(DType::f64, {2, 3});
  Session s;
  auto cols = split(x, 3, 1);
  ASSERT_EQ(cols.size(), 3u);
  expect_equal(s.run(cols[1], {{x, A23}}), Tensor{{2.}, {5.}});
  auto parts = split(x, std::vector<std::int64_t>{1, -1}, -1);
  expect_equal(s.run(parts[0], {{x, A23}}), Tensor{{1.}, {4.}});
  expect_equal(s.run(parts[1], {{x, A23}}), Tensor{{2., 3.}, {5., 6.}});
  EXPECT_LE(gradient_error(x, A23, parts[1] * parts[1] + cols[0]), 1e-8);
  EXPECT_THROW(split(x, 2, 1), ShapeError);                                     // 3 is not even
  EXPECT_THROW(split(x, std::vector<std::int64_t>{1, 1}, 1), ShapeError);       // sums to 2, not 3
  EXPECT_THROW(split(placeholder(DType::f64, {2, -1}), 2, 1), ShapeError);      // unknown dimension
}

TEST_F(SequenceOps, StackAndUnstackAreInverse) {
  Node a = placeholder(DType::f64, {-1, 3}), b = placeholder(DType::f64, {-1, 3});
  Session s;
  const Tensor bv{{7., 8., 9.}, {10., 11., 12.}};
  Node s0 = stack({a, b}), s1 = stack({a, b}, 1), last = stack({a, b}, -1);
  EXPECT_EQ(s1.shape(), Shape({-1, 2, 3}));
  expect_equal(s.run(s0, {{a, A23}, {b, bv}}), Tensor{{{1., 2., 3.}, {4., 5., 6.}}, {{7., 8., 9.}, {10., 11., 12.}}});
  expect_equal(s.run(s1, {{a, A23}, {b, bv}}), Tensor{{{1., 2., 3.}, {7., 8., 9.}}, {{4., 5., 6.}, {10., 11., 12.}}});
  expect_equal(s.run(last, {{a, A23}, {b, bv}}),
               Tensor{{{1., 7.}, {2., 8.}, {3., 9.}}, {{4., 10.}, {5., 11.}, {6., 12.}}});
  Node x = placeholder(DType::f64, {2, 3});
  auto rows = unstack(x), cols = unstack(x, 1);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(cols.size(), 3u);
  expect_equal(s.run(rows[1], {{x, A23}}), Tensor{4., 5., 6.});
  expect_equal(s.run(cols[2], {{x, A23}}), Tensor{3., 6.});
  expect_equal(s.run(stack(unstack(x, 1), 1), {{x, A23}}), A23);
  EXPECT_LE(gradient_error(x, A23, stack({cols[2] * cols[0], cols[1]}, 1) * unstack(rows[1])[0]), 1e-8);
  EXPECT_THROW(unstack(placeholder(DType::f64, {-1, 3})), ShapeError);
}

TEST_F(SequenceOps, SliceReverseAndExpandDims) {
  Node x = placeholder(DType::f64, {2, 3});
  Session s;
  expect_equal(s.run(slice(x, {0, 1}, {-1, 2}), {{x, A23}}), Tensor{{2., 3.}, {5., 6.}});
  expect_equal(s.run(slice(x, {1, 0}, {1, 1}), {{x, A23}}), Tensor{{4.}});
  expect_equal(s.run(reverse(x, {1}), {{x, A23}}), Tensor{{3., 2., 1.}, {6., 5., 4.}});
  expect_equal(s.run(reverse(x, {0, -1}), {{x, A23}}), Tensor{{6., 5., 4.}, {3., 2., 1.}});
  EXPECT_EQ(expand_dims(x, 0).shape(), Shape({1, 2, 3}));
  EXPECT_EQ(expand_dims(x, -1).shape(), Shape({2, 3, 1}));
  EXPECT_EQ(expand_dims(x, 1).shape(), Shape({2, 1, 3}));
  expect_equal(s.run(expand_dims(x, -1), {{x, A23}}), Tensor{{{1.}, {2.}, {3.}}, {{4.}, {5.}, {6.}}});
  EXPECT_LE(gradient_error(x, A23, slice(x, {0, 1}, {2, 2}) * slice(reverse(x, {0, 1}), {0, 0}, {2, 2})), 1e-8);
  EXPECT_THROW(slice(x, {-1, 0}, {1, 1}), ShapeError);
  EXPECT_THROW(slice(x, {0}, {1, 1}), ShapeError);
}

TEST_F(SequenceOps, ClipByGlobalNormScalesOnlyAboveTheNorm) {
  Node a = placeholder(DType::f64, {2}), b = placeholder(DType::f64, {1});
  Session s;
  const Tensor av{3., 0.}, bv{4.};  // global norm 5
  auto [clipped, norm] = clip_by_global_norm({a, b}, 2.5);
  EXPECT_DOUBLE_EQ(s.run(norm, {{a, av}, {b, bv}}).flat(0), 5.);
  expect_equal(s.run(clipped[0], {{a, av}, {b, bv}}), Tensor{1.5, 0.});
  expect_equal(s.run(clipped[1], {{a, av}, {b, bv}}), Tensor{2.});
  auto [same, norm2] = clip_by_global_norm({a, b}, 10.);
  expect_equal(s.run(same[0], {{a, av}, {b, bv}}), av);
  const Tensor nan{std::nan(""), 1.};
  EXPECT_TRUE(std::isnan(s.run(clipped[1], {{a, nan}, {b, bv}}).flat(0)));  // as TensorFlow: NaN everywhere
  EXPECT_LE(gradient_error(a, Tensor{3., 1.}, clip_by_global_norm({a, a * a}, 2.).first[1]), 1e-8);
  EXPECT_THROW(clip_by_global_norm({a}, 0.), GraphError);
  EXPECT_THROW(global_norm({}), GraphError);
}

// The gradients of slices that tile x along one axis come back as one concat of their dy's (not a
// sum of dense scatters); gaps, overlaps and other consumers still give the right sum.
TEST_F(SequenceOps, TiledSliceGradientsAreJoinedNotSummed) {
  Node x = placeholder(DType::f64, {2, 3});
  Tensor w(DType::f64, {2, 3});
  for (std::int64_t i = 0; i < w.size(); ++i) w.data<double>()[i] = 0.5 + static_cast<double>(i);
  auto cols = unstack(x, 1);
  Node tiled = reduce_sum(stack({cols[2] * cols[2], cols[0], cols[1] * 3.0}, 1) * constant(w));
  Node g = gradients(tiled, {x})[0];
  EXPECT_EQ(g.type(), "concat");
  EXPECT_LE(compute_gradient_error(tiled, x, {{x, A23}}), 1e-8);
  auto halves = split(x, std::vector<std::int64_t>{1, 2}, 1);
  Node mixed = reduce_sum(halves[0] * 2.0) + reduce_sum(square(halves[1])) + reduce_sum(x * x);  // + another consumer
  EXPECT_EQ(gradients(mixed, {x})[0].type(), "add");
  EXPECT_LE(compute_gradient_error(mixed, x, {{x, A23}}), 1e-8);
  Node gap = reduce_sum(square(cols[0])) + reduce_sum(cols[2] * 4.0);  // column 1 unused: summed as before
  Session s;
  expect_equal(s.run(gradients(gap, {x})[0], {{x, A23}}), Tensor{{2., 0., 4.}, {8., 0., 4.}});
  Node overlap = reduce_sum(slice(x, {0, 0}, {2, 2})) + reduce_sum(slice(x, {0, 1}, {2, 2}));
  expect_equal(s.run(gradients(overlap, {x})[0], {{x, A23}}), Tensor{{1., 2., 1.}, {1., 2., 1.}});
}

// A weight used at several steps: its gradient Σ x_tᵀ·dz_t is computed as one product of the
// steps' rows joined, [x_1; x_2; ...]ᵀ·[dz_1; dz_2; ...].
TEST_F(SequenceOps, AWeightsGradientFromManyStepsIsOneProduct) {
  Node x = placeholder(DType::f64, {2, 3}), W = placeholder(DType::f64, {3, 3});
  Node h = x;
  for (int t = 0; t < 3; ++t) h = tanh(matmul(h, W));
  Node loss = reduce_sum(square(h));
  const Node g = gradients(loss, {W})[0];
  EXPECT_EQ(g.type(), "matmul");
  const Tensor Wv{{0.3, -0.2, 0.5}, {0.1, 0.4, -0.6}, {-0.7, 0.2, 0.3}};
  EXPECT_LE(compute_gradient_error(loss, W, {{x, A23}, {W, Wv}}), 1e-8);
  EXPECT_LE(compute_gradient_error(loss, x, {{x, A23}, {W, Wv}}), 1e-8);
}

TEST_F(SequenceOps, BadArgumentsAreClearErrors) {
  Node x = placeholder(DType::f64, {2, 3}), y = placeholder(DType::f64, {2, 2});
  EXPECT_THROW(concat({x, y}, 0), ShapeError);  // dimension 1 differs
  EXPECT_THROW(concat({x, placeholder(DType::f32, {2, 3})}, 0), DTypeError);
  EXPECT_THROW(concat({x, placeholder(DType::f64, {2})}, 0), ShapeError);
  EXPECT_THROW(gather(x, placeholder(DType::f64, {2})), DTypeError);
  EXPECT_THROW(where(placeholder(DType::f64, {2, 3}), x, x), DTypeError);
  EXPECT_THROW(sequence_mask(placeholder(DType::f32, {2}), 3), DTypeError);
  Node idx = placeholder(DType::i64, {2});
  Session s;
  try {
    s.run(gather(x, idx), {{x, A23}, {idx, Tensor::from_vector(std::vector<std::int64_t>{1, 2}, {2})}});
    ADD_FAILURE() << "an index past the table ran";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("index 2 at position 1 is outside [0, 2)"), std::string::npos) << e.what();
  }
}

}  // namespace
