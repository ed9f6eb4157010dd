// The convolutions beyond the op table (tests/test_op.cpp): float32 (oneDNN when built with it)
// against the float64 reference on awkward shapes, in all three passes; shapes known only at run
// time (an unknown batch, SAME sizes that stride 2 makes ambiguous); errors naming the op and argument.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

struct Case {
  const char* what;
  Shape x, w;  // x in the data format's order; w HWIO
  std::vector<std::int64_t> strides, dilations;  // along H, W
  const char* padding;
};

// conv2d and its two gradient ops on x, w and an incoming gradient dy, all of `dtype`; NHWC or NCHW.
std::vector<Tensor> three_passes(const Case& k, bool nhwc, DType dtype, const Tensor& x, const Tensor& w) {
  Graph g;
  g.as_default();
  const Node xp = placeholder(dtype, x.shape()), wp = placeholder(dtype, w.shape());
  auto four = [&](const std::vector<std::int64_t>& hw) {
    return nhwc ? std::vector<std::int64_t>{1, hw[0], hw[1], 1} : std::vector<std::int64_t>{1, 1, hw[0], hw[1]};
  };
  const nn::Conv2DOptions o{.data_format = nhwc ? "NHWC" : "NCHW", .dilations = four(k.dilations)};
  const Node y = nn::conv2d(xp, wp, four(k.strides), k.padding, o);
  // dy: y's values scaled, so the gradients see varied numbers of both signs
  const Node dy = y * 0.5 - 0.25;
  const Node dx = nn::conv2d_backprop_input(xp, wp, dy, four(k.strides), k.padding, o);
  const Node dw = nn::conv2d_backprop_filter(xp, wp, dy, four(k.strides), k.padding, o);
  Session s(g);
  return s.run({y, dx, dw}, {{xp, x.astype(dtype)}, {wp, w.astype(dtype)}});
}

// max |got - want| / max |want|.
double relative_error(const Tensor& got, const Tensor& want) {
  double diff = 0, scale = 0;
  for (std::int64_t i = 0; i < want.size(); ++i) {
    diff = std::max(diff, std::fabs(got.flat(i) - want.flat(i)));
    scale = std::max(scale, std::fabs(want.flat(i)));
  }
  return diff / std::max(scale, 1e-300);
}

Shape in_format(const Shape& nhwc, bool is_nhwc) {
  return is_nhwc ? nhwc : Shape{nhwc[0], nhwc[3], nhwc[1], nhwc[2]};
}

TEST(Conv2D, Float32AgreesWithTheFloat64ReferenceOnAwkwardShapes) {
  const std::vector<Case> cases = {
      {"batch 1, 3 channels, 3x3 SAME", {1, 7, 7, 3}, {3, 3, 3, 8}, {1, 1}, {1, 1}, "SAME"},
      {"odd sizes, stride 2, uneven SAME", {2, 9, 6, 5}, {3, 3, 5, 4}, {2, 2}, {1, 1}, "SAME"},
      {"1x1 kernel, more out than in channels", {3, 5, 5, 4}, {1, 1, 4, 16}, {1, 1}, {1, 1}, "VALID"},
      {"1x1 kernel stride 2", {1, 7, 5, 6}, {1, 1, 6, 3}, {2, 2}, {1, 1}, "SAME"},
      {"dilation 2 SAME", {1, 11, 10, 3}, {3, 3, 3, 5}, {1, 1}, {2, 2}, "SAME"},
      {"dilation 2 VALID, odd sizes", {2, 9, 7, 2}, {2, 3, 2, 3}, {1, 1}, {2, 2}, "VALID"},
      {"5x5 stride 2 VALID, a row left over", {2, 8, 8, 16}, {5, 5, 16, 32}, {2, 2}, {1, 1}, "VALID"},
      {"2x4 kernel, strides 1x2", {1, 6, 5, 3}, {2, 4, 3, 7}, {1, 2}, {1, 1}, "SAME"},
      {"32 -> 64 channels, 13x13", {2, 13, 13, 32}, {3, 3, 32, 64}, {1, 1}, {1, 1}, "SAME"},
  };
  Rng rng(7);
  for (const Case& k : cases)
    for (bool nhwc : {true, false}) {
      SCOPED_TRACE(std::string(k.what) + (nhwc ? " NHWC" : " NCHW"));
      const Tensor x = Tensor::uniform(in_format(k.x, nhwc), rng, DType::f64, -1, 1);
      const Tensor w = Tensor::uniform(k.w, rng, DType::f64, -1, 1);
      const auto want = three_passes(k, nhwc, DType::f64, x, w);
      const auto got = three_passes(k, nhwc, DType::f32, x, w);
      const char* pass[] = {"forward", "backward data", "backward weights"};
      for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(got[i].shape(), want[i].shape()) << pass[i];
        EXPECT_LE(relative_error(got[i], want[i]), 1e-4) << pass[i];
      }
    }
}

// A batch unknown at build time ([None, 8, 8, 1]): the gradients take its size from the run.
TEST(Conv2D, UnknownBatchTrainsThrough) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f32, {-1, 8, 8, 1});
  const Node w = placeholder(DType::f32, {3, 3, 1, 4});
  const Node y = nn::conv2d(x, w, {1, 2, 2, 1}, "SAME");
  EXPECT_EQ(y.shape(), (Shape{-1, 4, 4, 4}));
  const auto d = gradients(reduce_sum(square(y)), {x, w});
  EXPECT_EQ(d[0].shape(), (Shape{-1, 8, 8, 1}));
  EXPECT_EQ(d[1].shape(), (Shape{3, 3, 1, 4}));
  Session s(g);
  const Tensor ones_w = Tensor::ones({3, 3, 1, 4}, DType::f32);
  for (std::int64_t batch : {1, 3}) {
    const auto v = s.run(d, {{x, Tensor::ones({batch, 8, 8, 1}, DType::f32)}, {w, ones_w}});
    EXPECT_EQ(v[0].shape(), (Shape{batch, 8, 8, 1}));
    EXPECT_EQ(v[1].shape(), (Shape{3, 3, 1, 4}));
  }
  // the listed form: a -1 batch is out_backprop's
  const Node dy = placeholder(DType::f32, {-1, 4, 4, 4});
  const Node t = nn::conv2d_transpose(dy, w, {-1, 8, 8, 1}, {1, 2, 2, 1});
  EXPECT_EQ(t.shape(), (Shape{-1, 8, 8, 1}));
  EXPECT_EQ(s.run(t, {{dy, Tensor::ones({2, 4, 4, 4}, DType::f32)}, {w, ones_w}}).shape(), (Shape{2, 8, 8, 1}));
}

// SAME at stride 2 maps 5 and 6 to 3: the input's size comes from the input, not from dy.
TEST(Conv2D, AmbiguousSameSizesComeFromTheInput) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f64, {1, -1, -1, 1});
  const Node w = placeholder(DType::f64, {3, 3, 1, 1});
  const Node dx = gradients(reduce_sum(nn::conv2d(x, w, {1, 2, 2, 1}, "SAME")), {x})[0];
  Session s(g);
  for (std::int64_t n : {5, 6}) {
    const Tensor v = s.run(dx, {{x, Tensor::ones({1, n, n, 1})}, {w, Tensor::ones({3, 3, 1, 1})}});
    EXPECT_EQ(v.shape(), (Shape{1, n, n, 1}));
    // every input pixel is read by as many windows as cover it: the corner by one
    EXPECT_EQ(v.flat(0), 1.0);
  }
  const Node dy = placeholder(DType::f64, {1, 3, 3, 1});
  for (std::int64_t n : {5, 6})
    EXPECT_EQ(nn::conv2d_transpose(dy, w, {1, n, n, 1}, {1, 2, 2, 1}).shape(), (Shape{1, n, n, 1}));
}

std::string build_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Conv2D, ErrorsNameTheOpAndTheArgument) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f32, {-1, 8, 8, 3}), w = placeholder(DType::f32, {3, 3, 3, 4});
  const Node dy = placeholder(DType::f32, {-1, 8, 8, 4});
  auto has = [](const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos ? ::testing::AssertionSuccess()
                                               : ::testing::AssertionFailure() << "'" << part << "' not in: " << msg;
  };
  const auto wrong_c = build_error([&] { nn::conv2d(x, placeholder(DType::f32, {3, 3, 2, 4}), {1, 1, 1, 1}, "SAME"); });
  EXPECT_TRUE(has(wrong_c, "conv2d: filters [3, 3, 2, 4] take 2 input channels, the input [?, 8, 8, 3] has 3"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, w, {1, 1, 1}, "SAME"); }), "conv2d: strides [1, 1, 1]"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, w, {2, 1, 1, 1}, "SAME"); }), "batch and channel entries"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, w, {1, 1, 1, 1}, "FULL"); }), "conv2d: padding must be"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, w, {1, 1, 1, 1}, "SAME", {.data_format = "NWHC"}); }),
                  "conv2d: data_format"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, w, {1, 1, 1, 1}, "SAME", {.dilations = {1, 0, 1, 1}}); }),
                  "conv2d: dilations"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, placeholder(DType::f32, {3, 3, 3}), {1, 1, 1, 1}, "SAME"); }),
                  "conv2d: filters must be 4-D"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(placeholder(DType::f32, {8, 8, 3}), w, {1, 1, 1, 1}, "SAME"); }),
                  "conv2d: input: expected a 4-D batch"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d(x, placeholder(DType::f32, {9, 3, 3, 4}), {1, 1, 1, 1}, "VALID"); }),
                  "conv2d: along the height: VALID padding"));
  EXPECT_THROW(nn::conv2d(x, placeholder(DType::f64, {3, 3, 3, 4}), {1, 1, 1, 1}, "SAME"), DTypeError);
  EXPECT_THROW(nn::conv2d(placeholder(DType::i32, {1, 8, 8, 3}), placeholder(DType::i32, {3, 3, 3, 4}),
                          {1, 1, 1, 1}, "SAME"),
               DTypeError);
  EXPECT_TRUE(has(build_error([&] { nn::conv2d_backprop_input(x, w, dy, {1, 2, 2, 1}, "SAME"); }),
                  "conv2d_backprop_input: out_backprop [?, 8, 8, 4] is not the convolution's output shape "
                  "[?, 4, 4, 4]"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d_backprop_filter(x, w, dy, {1, 2, 2, 1}, "SAME"); }),
                  "conv2d_backprop_filter: out_backprop"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d_backprop_input({-1, -1, 8, 3}, w, dy, {1, 1, 1, 1}, "SAME"); }),
                  "conv2d_backprop_input: input_sizes [?, ?, 8, 3]: expected 4 sizes"));
  EXPECT_TRUE(has(build_error([&] { nn::conv2d_backprop_filter(x, {-1, 3, 3, 4}, dy, {1, 1, 1, 1}, "SAME"); }),
                  "conv2d_backprop_filter: filter_sizes"));
  // and at run time, when the shapes are known only then
  const Node xu = placeholder(DType::f32), wu = placeholder(DType::f32);
  const Node y = nn::conv2d(xu, wu, {1, 1, 1, 1}, "SAME");
  Session s(g);
  const Tensor xv = Tensor::zeros({1, 4, 4, 2}, DType::f32), wv = Tensor::zeros({3, 3, 5, 1}, DType::f32);
  const auto run_error = build_error([&] { s.run(y, {{xu, xv}, {wu, wv}}); });
  EXPECT_TRUE(has(run_error, "conv2d: filters [3, 3, 5, 1] take 5 input channels"));
}

}  // namespace
