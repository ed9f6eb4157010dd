// The TensorFlow 1.x names of issue 12, by name where a line of the op table (test_ops.cpp) cannot
// say it: constants, stop_gradient, the tie rules of maximum/minimum/clip_by_value, pow's gradient
// at x <= 0, abs at 0, reduce_prod's gradient with zeros, strided_slice's partial shapes and errors.
// Hand-derived values throughout; and TensorFlow's storage dtypes int16 and uint8.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tensorgraph/safetensors.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
using T = Tensor;

void expect_values(const T& t, const std::vector<double>& want) {
  ASSERT_EQ(t.size(), static_cast<std::int64_t>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(t.flat(static_cast<std::int64_t>(i)), want[i], 1e-15 * (1 + std::fabs(want[i]))) << i;
}
template <class E> std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "no error";
}
void expect_has(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' in: " << message;
}
}  // namespace

TEST(Constants, ZerosOnesFillAreConstantsOfTheirDtype) {
  Graph g;
  g.as_default();
  const Node z = zeros({2, 3}), o = ones({2}, DType::i64, "o"), f = fill({2, 2}, 2.5, DType::f64);
  EXPECT_EQ(z.kind(), NodeKind::constant);
  EXPECT_EQ(z.dtype(), DType::f32);  // TensorFlow's default
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_EQ(o.name(), "o");
  Session s(g);
  expect_values(s.run(z), std::vector<double>(6, 0.));
  EXPECT_EQ(s.run(o).dtype(), DType::i64);
  expect_values(s.run(o), {1., 1.});
  expect_values(s.run(f), {2.5, 2.5, 2.5, 2.5});
  expect_values(s.run(fill({}, -1, DType::i32)), {-1.});
  EXPECT_EQ(s.run(zeros({0, 4})).shape(), (Shape{0, 4}));
}

TEST(Constants, FillRefusesUnknownDimsAndValuesTheDtypeCannotHold) {
  Graph g;
  g.as_default();
  expect_has(error_of<ShapeError>([] { fill({kUnknownDim, 2}, 1); }), "fill: every dimension must be known");
  expect_has(error_of<ShapeError>([] { zeros(Shape::unknown_rank()); }), "zeros: the shape must be known");
  expect_has(error_of<DTypeError>([] { fill({2}, 1e10, DType::i32); }), "does not fit int32");
  expect_has(error_of<DTypeError>([] { fill({2}, NAN, DType::i64); }), "does not fit int64");
  expect_has(error_of<DTypeError>([] { fill({2}, 1, DType::unknown); }), "the dtype must be known");
}

TEST(Constants, ZerosLikeAndOnesLikeTakeTheRunTimeShapeAndPassNoGradient) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64);
  const Node y = x * ones_like(x) + zeros_like(x);
  Session s(g);
  const FeedDict f{{x, T{{1., 2.}, {3., 4.}}}};
  expect_values(s.run(ones_like(x), f), {1., 1., 1., 1.});
  EXPECT_EQ(s.run(zeros_like(x), f).shape(), (Shape{2, 2}));
  expect_values(s.run(gradients(reduce_sum(y), {x})[0], f), {1., 1., 1., 1.});  // through x only
}

TEST(StopGradient, NothingFlowsThroughIt) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {3});
  Session s(g);
  const FeedDict f{{x, T{1., -2., 3.}}};
  // d/dx sum(x * stop(x)) = stop(x): only the first factor carries a gradient.
  expect_values(s.run(gradients(reduce_sum(x * stop_gradient(x)), {x})[0], f), {1., -2., 3.});
  // Reached only through stop_gradient: a zero gradient, not an error.
  expect_values(s.run(gradients(reduce_sum(stop_gradient(x)), {x})[0], f), {0., 0., 0.});
  // The straight-through trick: the value of x^2, the gradient of x.
  const Node st = x + stop_gradient(square(x) - x);
  expect_values(s.run(st, f), {1., 4., 9.});
  expect_values(s.run(gradients(reduce_sum(st), {x})[0], f), {1., 1., 1.});
  // identity, by contrast, passes it on.
  expect_values(s.run(gradients(reduce_sum(x * identity(x)), {x})[0], f), {2., -4., 6.});
}

TEST(MaximumMinimum, TiesGiveTheGradientToX) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {3}), y = placeholder(DType::f64, {3});
  Session s(g);
  const FeedDict f{{x, T{1., 2., 3.}}, {y, T{2., 2., 2.}}};
  const std::vector<Node> gmax = gradients(reduce_sum(maximum(x, y)), {x, y});
  const std::vector<Node> gmin = gradients(reduce_sum(minimum(x, y)), {x, y});
  expect_values(s.run(gmax[0], f), {0., 1., 1.});
  expect_values(s.run(gmax[1], f), {1., 0., 0.});
  expect_values(s.run(gmin[0], f), {1., 1., 0.});
  expect_values(s.run(gmin[1], f), {0., 0., 1.});
}

TEST(ClipByValue, ValuesAtTheBoundsKeepTheirGradient) {
  Graph g;
  g.as_default();
  const Node t = placeholder(DType::f64, {5}), lo = placeholder(DType::f64, {}), hi = placeholder(DType::f64, {});
  const Node c = clip_by_value(t, lo, hi, "clipped");
  EXPECT_EQ(c.name(), "clipped");
  Session s(g);
  const FeedDict f{{t, T{0., 1., 2., 3., 4.}}, {lo, T::scalar(1.)}, {hi, T::scalar(3.)}};
  expect_values(s.run(c, f), {1., 1., 2., 3., 3.});
  const std::vector<Node> d = gradients(reduce_sum(c), {t, lo, hi});
  expect_values(s.run(d[0], f), {0., 1., 1., 1., 0.});  // t = lo and t = hi: t's
  expect_values(s.run(d[1], f), {1.});
  expect_values(s.run(d[2], f), {1.});
}

TEST(ClipByValue, BoundsThatWouldEnlargeTAreAShapeError) {
  Graph g;
  g.as_default();
  const Node t = placeholder(DType::f64, {3});
  const std::string m = error_of<ShapeError>([&] { clip_by_value(t, placeholder(DType::f64, {2, 1}), scalar(1, DType::f64)); });
  expect_has(m, "clip_by_value");
  expect_has(m, "[2, 3]");
  EXPECT_NO_THROW(clip_by_value(t, placeholder(DType::f64, {3}), scalar(1, DType::f64)));
}

TEST(Pow, GradientAtNonPositiveBasesFollowsTensorFlow) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {3}), y = placeholder(DType::f64, {3});
  Session s(g);
  const FeedDict f{{x, T{-2., 0., 3.}}, {y, T{2., 2., 2.}}};
  const std::vector<Node> d = gradients(reduce_sum(pow(x, y)), {x, y});
  expect_values(s.run(d[0], f), {-4., 0., 6.});                // y x^(y-1)
  expect_values(s.run(d[1], f), {0., 0., 9. * std::log(3.)});  // log(x) x^y where x > 0, else 0
  // float32 too: the least float32 value keeps log finite under the mask
  const Node x32 = placeholder(DType::f32, {2}), y32 = placeholder(DType::f32, {2});
  const Node d32 = gradients(reduce_sum(pow(x32, y32)), {y32})[0];
  expect_values(s.run(d32, {{x32, T::from_vector(std::vector<float>{-1, 0}, {2})},
                            {y32, T::from_vector(std::vector<float>{2, 3}, {2})}}),
                {0., 0.});
}

TEST(Pow, NegativeIntegerExponentIsAnErrorNamingTheNode) {
  Graph g;
  g.as_default();
  const Node p = pow(constant(T::from_vector(std::vector<std::int32_t>{2, 3}, {2})),
                     constant(T::from_vector(std::vector<std::int32_t>{1, -1}, {2})), "power");
  Session s(g);
  const std::string m = error_of<Error>([&] { s.run(p); });
  expect_has(m, "pow 'power'");
  expect_has(m, "negative integer powers");
}

TEST(Abs, GradientIsZeroAtZero) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {4});
  Session s(g);
  expect_values(s.run(gradients(reduce_sum(abs(x)), {x})[0], {{x, T{-2., 0., -0., 0.5}}}), {-1., 0., 0., 1.});
}

TEST(ReduceProd, GradientIsTheProductOfTheOthersWithZeros) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {4, 3});
  Session s(g);
  const FeedDict f{{x, T{{0., 2., 3.}, {4., 0., 0.}, {1., -2., 0.5}, {0., 0., 0.}}}};
  // one zero: the zero gets the product of the others, the rest 0; two or more zeros: all 0
  expect_values(s.run(gradients(reduce_sum(reduce_prod(x, 1)), {x})[0], f),
                {6., 0., 0., 0., 0., 0., -1., 0.5, -2., 0., 0., 0.});
  // over columns: [0, 4, 1, 0] has two zeros, [2, 0, -2, 0] two, [3, 0, 0.5, 0] two
  expect_values(s.run(gradients(reduce_sum(reduce_prod(x, 0)), {x})[0], f), std::vector<double>(12, 0.));
  const Node y = placeholder(DType::f64, {2, 2});
  const FeedDict fy{{y, T{{0., 2.}, {3., -1.}}}};
  expect_values(s.run(gradients(reduce_prod(y), {y})[0], fy), {-6., 0., 0., 0.});
  expect_values(s.run(gradients(reduce_prod(y, 1, true), {y})[0], fy), {2., 0., -1., 3.});
}

TEST(ReduceMin, GradientIsSharedEquallyBetweenTies) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {2, 3});
  Session s(g);
  const FeedDict f{{x, T{{1., 1., 3.}, {2., 2., 2.}}}};
  const T d = s.run(gradients(reduce_sum(reduce_min(x, 1)), {x})[0], f);
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(d.flat(i), (std::vector<double>{0.5, 0.5, 0., 1. / 3, 1. / 3, 1. / 3})[i], 1e-15);
}

TEST(StridedSlice, PartialShapes) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {kUnknownDim, 3});
  EXPECT_EQ(strided_slice(x, {.begin = {0, 1}, .end = {0, 2}, .begin_mask = 1, .end_mask = 1, .shrink_axis_mask = 2})
                .shape(),
            (Shape{kUnknownDim}));                                                           // x[:, 1]
  EXPECT_EQ(strided_slice(x, {.begin = {0}, .end = {1}, .shrink_axis_mask = 1}).shape(), (Shape{3}));  // x[0]
  EXPECT_EQ(strided_slice(x, {.begin = {0, 0}, .end = {0, 0}, .ellipsis_mask = 1, .new_axis_mask = 2}).shape(),
            (Shape{kUnknownDim, 3, 1}));  // x[..., None]
  const Node u = placeholder(DType::f64);
  EXPECT_FALSE(strided_slice(u, {.begin = {0}, .end = {1}, .shrink_axis_mask = 1}).shape().rank_known());
  Session s(g);
  const Node row = strided_slice(x, {.begin = {-1}, .end = {0}, .shrink_axis_mask = 1});
  expect_values(s.run(row, {{x, T{{1., 2., 3.}, {4., 5., 6.}}}}), {4., 5., 6.});
  // an index out of range is found when the shape is: at run time here
  expect_has(error_of<ShapeError>([&] { s.run(row, {{x, T::zeros({0, 3})}}); }), "out of range");
}

TEST(StridedSlice, BadSpecificationsAreShapeErrorsNamingTheOp) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {2, 3}, "x");
  auto error = [&](const SliceSpec& spec) { return error_of<ShapeError>([&] { strided_slice(x, spec); }); };
  std::string m = error({.begin = {2}, .end = {3}, .shrink_axis_mask = 1});
  expect_has(m, "strided_slice");
  expect_has(m, "index 2 is out of range for dimension 0 of [2, 3]");
  expect_has(error({.begin = {-3}, .end = {0}, .shrink_axis_mask = 1}), "index -3 is out of range");
  expect_has(error({.begin = {0, 0, 0}, .end = {1, 1, 1}}), "too many indices for [2, 3]");
  expect_has(error({.begin = {0}, .end = {1}, .strides = {0}}), "the step of index 0 is 0");
  expect_has(error({.begin = {0, 0}, .end = {0, 0}, .ellipsis_mask = 3}), "more than one ellipsis");
  expect_has(error({.begin = {0, 0}, .end = {1}}), "one entry per index");
}

TEST(StridedSlice, OverlappingSlicesAccumulateTheirGradients) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {2, 3});
  const Node row0 = strided_slice(x, {.begin = {0}, .end = {1}, .shrink_axis_mask = 1});
  const Node col1 = strided_slice(x, {.begin = {0, 1}, .end = {0, 2}, .begin_mask = 1, .end_mask = 1,
                                      .shrink_axis_mask = 2});
  const Node loss = reduce_sum(row0 * constant(T{1., 2., 3.})) + reduce_sum(col1);
  Session s(g);
  const FeedDict f{{x, T{{1., 2., 3.}, {4., 5., 6.}}}};
  expect_values(s.run(gradients(loss, {x})[0], f), {1., 3., 3., 0., 1., 0.});
  // and differentiate again: the gradient of a scatter is a slice
  const Node dx = gradients(reduce_sum(square(row0)), {x})[0];  // [2 x0, 0]
  expect_values(s.run(gradients(reduce_sum(dx * constant(T{{1., 1., 1.}, {5., 5., 5.}})), {x})[0], f),
                {2., 2., 2., 0., 0., 0.});
}

TEST(LogicalOps, TakeBoolsOnly) {
  Graph g;
  g.as_default();
  const Node f = placeholder(DType::f64, {2}, "numbers"), b = placeholder(DType::boolean, {2});
  const std::string m = error_of<DTypeError>([&] { logical_and(f, b); });
  expect_has(m, "logical_and");
  expect_has(m, "bool inputs, got float64");
  EXPECT_THROW(logical_not(f), DTypeError);
  EXPECT_THROW(logical_or(b, placeholder(DType::i32, {2})), DTypeError);
  EXPECT_NO_THROW(logical_or(b, placeholder(DType::boolean)));
}

// int16 and uint8, TensorFlow's storage types: sizes and names, cast both ways (C++ conversion),
// the copying ops, comparisons, the safetensors round trip, and arithmetic refused with a cast hint.
TEST(StorageDTypes, Int16AndUint8AreStoredCastSlicedComparedAndSaved) {
  EXPECT_EQ(dtype_size(DType::i16), 2u);
  EXPECT_EQ(dtype_size(DType::u8), 1u);
  DType d = DType::unknown;
  EXPECT_TRUE(dtype_from_name("int16", d) && d == DType::i16);
  EXPECT_TRUE(dtype_from_name("uint8", d) && d == DType::u8);
  EXPECT_TRUE(is_integer(DType::i16) && is_integer(DType::u8) && !is_floating(DType::u8));
  Graph g;
  g.as_default();
  Tensor samples(DType::i16, {4});
  const std::int16_t values[4] = {-32768, -1, 7, 32767};
  for (int i = 0; i < 4; ++i) samples.data<std::int16_t>()[i] = values[i];
  Node a = placeholder(DType::i16, {4}, "audio");
  Node f = cast(a, DType::f32) / 32768.0f;
  Node back = cast(cast(a, DType::i64), DType::i16);
  Node bytes = cast(constant(Tensor{0.0, 1.9, 255.0}), DType::u8);  // truncates, as C++ and numpy
  Node tail = strided_slice(a, {.begin = {1}, .end = {4}, .strides = {2}});
  Node big = greater(a, constant(Tensor::scalar(std::int16_t{0})));
  Session s;
  const Tensor ft = s.run(f, {{a, samples}});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(ft.data<float>()[i], static_cast<float>(values[i]) / 32768.0f);
  const Tensor bt = s.run(back, {{a, samples}});
  ASSERT_EQ(bt.dtype(), DType::i16);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(bt.data<std::int16_t>()[i], values[i]);
  const Tensor u = s.run(bytes);
  ASSERT_EQ(u.dtype(), DType::u8);
  EXPECT_EQ(u.data<std::uint8_t>()[0], 0);
  EXPECT_EQ(u.data<std::uint8_t>()[1], 1);
  EXPECT_EQ(u.data<std::uint8_t>()[2], 255);
  const Tensor t = s.run(tail, {{a, samples}});
  ASSERT_EQ(t.size(), 2);
  EXPECT_EQ(t.data<std::int16_t>()[0], -1);
  EXPECT_EQ(t.data<std::int16_t>()[1], 32767);
  const Tensor gt = s.run(big, {{a, samples}});
  EXPECT_EQ(std::vector<bool>(gt.data<bool>(), gt.data<bool>() + 4), (std::vector<bool>{false, false, true, true}));
  try {
    s.run(add(a, a), {{a, samples}});
    FAIL() << "int16 arithmetic ran";
  } catch (const DTypeError& e) {
    EXPECT_NE(std::string(e.what()).find("cast it to int32 or a float first"), std::string::npos) << e.what();
  }
  const std::string path = ::testing::TempDir() + "storage_dtypes.safetensors";
  save_safetensors(path, {{"audio", samples}, {"bytes", s.run(bytes)}});
  const auto loaded = load_safetensors(path);
  ASSERT_EQ(loaded.size(), 2u);
  for (const auto& [name, tensor] : loaded) {
    const Tensor& want = name == "audio" ? samples : u;
    ASSERT_EQ(tensor.dtype(), want.dtype()) << name;
    for (std::int64_t i = 0; i < want.size(); ++i) EXPECT_EQ(tensor.flat(i), want.flat(i)) << name;
  }
}
