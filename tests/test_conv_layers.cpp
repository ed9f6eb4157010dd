// The convolutional layers (tf.layers.conv2d, max_pooling2d, average_pooling2d, flatten): shapes,
// Variable names, initialiser statistics, values by hand (a direct convolution loop), TensorFlow's
// argument spellings and their errors, and a small CNN that learns.
#include <gtest/gtest.h>

#include <cmath>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
// Direct VALID cross-correlation of x [n, h, w, c] (NHWC) with k [kh, kw, c, o], stride 1.
std::vector<double> direct_conv(const Tensor& x, const Tensor& k) {
  const auto n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
  const auto kh = k.shape()[0], kw = k.shape()[1], o = k.shape()[3];
  std::vector<double> y;
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t i = 0; i + kh <= h; ++i)
      for (std::int64_t j = 0; j + kw <= w; ++j)
        for (std::int64_t f = 0; f < o; ++f) {
          double s = 0;
          for (std::int64_t di = 0; di < kh; ++di)
            for (std::int64_t dj = 0; dj < kw; ++dj)
              for (std::int64_t ch = 0; ch < c; ++ch)
                s += x.flat(((b * h + i + di) * w + j + dj) * c + ch) * k.flat(((di * kw + dj) * c + ch) * o + f);
          y.push_back(s);
        }
  return y;
}
}  // namespace

TEST(Conv2DLayer, ShapesNamesAndValueByHand) {
  Graph g;
  g.as_default();
  Rng rng(1);
  Node x = placeholder(DType::f64, {kUnknownDim, 5, 4, 2}, "x");
  Node y = layers::conv2d(x, 3, {3, 2}, rng, {.activation = layers::Activation::relu, .name = "c"});
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 3, 3, 3}));  // VALID: 5-3+1, 4-2+1
  Node K = g.node("c/kernel"), b = g.node("c/bias");
  EXPECT_EQ(K.shape(), (Shape{3, 2, 2, 3}));
  EXPECT_TRUE(K.trainable());
  Session s;
  s.assign(b, Tensor{0.5, -0.25, 0.0});
  Rng data(2);
  const Tensor in = Tensor::randn({2, 5, 4, 2}, data);
  const Tensor out = s.run(y, {{x, in}});
  const std::vector<double> z = direct_conv(in, s.run(K));
  ASSERT_EQ(out.size(), static_cast<std::int64_t>(z.size()));
  const double bias[3] = {0.5, -0.25, 0.0};
  for (std::size_t i = 0; i < z.size(); ++i) EXPECT_NEAR(out.flat(static_cast<std::int64_t>(i)), std::max(z[i] + bias[i % 3], 0.0), 1e-12);
}

TEST(Conv2DLayer, SameStridedChannelsFirstAndNoBias) {
  Graph g;
  g.as_default();
  Rng rng(3);
  Node x = placeholder(DType::f32, {kUnknownDim, 28, 28, 1});
  EXPECT_EQ(layers::conv2d(x, 8, {5}, rng, {.strides = {2}, .padding = "same", .name = "s"}).shape(),
            (Shape{kUnknownDim, 14, 14, 8}));
  Node xc = placeholder(DType::f32, {kUnknownDim, 3, 9, 7});
  Node yc = layers::conv2d(xc, 4, {3}, rng,
                           {.padding = "SAME", .data_format = "channels_first", .use_bias = false, .name = "nchw"});
  EXPECT_EQ(yc.shape(), (Shape{kUnknownDim, 4, 9, 7}));
  EXPECT_EQ(g.node("nchw/kernel").shape(), (Shape{3, 3, 3, 4}));
  EXPECT_THROW(g.node("nchw/bias"), GraphError);  // no bias Variable
}

TEST(Conv2DLayer, InitialisersUseTheKernelsFans) {
  Graph g;
  g.as_default();
  Rng rng(4);
  Node x = placeholder(DType::f64, {kUnknownDim, 8, 8, 16});
  layers::conv2d(x, 32, {3}, rng, {.activation = layers::Activation::relu, .name = "he"});
  layers::conv2d(x, 32, {3}, rng, {.name = "glorot"});
  const Tensor he = g.node("he/kernel").value(), glorot = g.node("glorot/kernel").value();
  double sd = 0, maxabs = 0;
  for (std::int64_t i = 0; i < he.size(); ++i) sd += he.flat(i) * he.flat(i) / static_cast<double>(he.size());
  EXPECT_NEAR(std::sqrt(sd), std::sqrt(2.0 / (9 * 16)), 0.03 * std::sqrt(2.0 / (9 * 16)));  // fan_in = 3·3·16
  for (std::int64_t i = 0; i < glorot.size(); ++i) maxabs = std::max(maxabs, std::fabs(glorot.flat(i)));
  const double bound = std::sqrt(6.0 / (9 * 16 + 9 * 32));
  EXPECT_LE(maxabs, bound);
  EXPECT_GE(maxabs, 0.98 * bound);
}

TEST(Conv2DLayer, BadArgumentsAreClearErrors) {
  Graph g;
  g.as_default();
  Rng rng(5);
  Node x = placeholder(DType::f32, {kUnknownDim, 8, 8, 3});
  EXPECT_THROW(layers::conv2d(x, 4, {3}, rng, {.padding = "full"}), GraphError);
  EXPECT_THROW(layers::conv2d(x, 4, {3}, rng, {.data_format = "NHWC"}), GraphError);
  EXPECT_THROW(layers::conv2d(x, 4, {3, 3, 3}, rng), GraphError);
  EXPECT_THROW(layers::conv2d(x, 0, {3}, rng), GraphError);
  EXPECT_THROW(layers::conv2d(placeholder(DType::f32, {kUnknownDim, 8, 8, kUnknownDim}), 4, {3}, rng), GraphError);
  EXPECT_THROW(layers::conv2d(placeholder(DType::f32, {kUnknownDim, 64}), 4, {3}, rng), GraphError);
  try {
    layers::conv2d(x, 4, {3}, rng, {.padding = "full", .name = "conv_a"});
    FAIL();
  } catch (const GraphError& e) {
    EXPECT_NE(std::string(e.what()).find("conv_a"), std::string::npos) << e.what();
  }
}

TEST(PoolingLayers, MaxAndAverageByHand) {
  Graph g;
  g.as_default();
  // one 3x3 image of one channel: 1..9
  Node x = placeholder(DType::f64, {1, 3, 3, 1});
  const Tensor in = Tensor::from_vector(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 3, 3, 1});
  Session s;
  // VALID 2x2 stride 1: maxima 5 6 8 9
  EXPECT_EQ(s.run(layers::max_pooling2d(x, {2}, {1}), {{x, in}}).to_vector<double>(), (std::vector<double>{5, 6, 8, 9}));
  // SAME 2x2 stride 2 over 3x3: windows {1,2,4,5}, {3,6}, {7,8}, {9}: the padding is not counted
  const Tensor avg = s.run(layers::average_pooling2d(x, {2}, {2}, {.padding = "same"}), {{x, in}});
  EXPECT_EQ(avg.shape(), (Shape{1, 2, 2, 1}));
  EXPECT_EQ(avg.to_vector<double>(), (std::vector<double>{3, 4.5, 7.5, 9}));
  EXPECT_THROW(layers::max_pooling2d(x, {2}, {2}, {.padding = "half"}), GraphError);
  EXPECT_THROW(layers::average_pooling2d(x, {0}, {2}), GraphError);
}

TEST(Flatten, KeepsTheBatchAndNeedsTheRest) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {kUnknownDim, 2, 3, 2});
  Node f = layers::flatten(x);
  EXPECT_EQ(f.shape(), (Shape{kUnknownDim, 12}));
  Session s;
  Tensor in = Tensor::from_vector(std::vector<double>(24, 1.5), {2, 2, 3, 2});
  EXPECT_EQ(s.run(f, {{x, in}}).shape(), (Shape{2, 12}));
  EXPECT_THROW(layers::flatten(placeholder(DType::f64, {kUnknownDim, kUnknownDim, 3})), GraphError);
  EXPECT_THROW(layers::flatten(placeholder()), GraphError);
}

// Two classes of 6x6 images, a bright bar across or down (the position varies): a conv layer, a max
// pool, flatten and dense learn them; a dense layer on the pixels could too, so the test asks for a
// low loss reached in few steps with SGD.
TEST(ConvLayers, ASmallCnnLearnsBarsAcrossFromBarsDown) {
  Graph g;
  g.as_default();
  Rng rng(6);
  Node x = placeholder(DType::f64, {kUnknownDim, 6, 6, 1}), labels = placeholder(DType::i64, {kUnknownDim});
  Node h = layers::conv2d(x, 4, {3}, rng, {.padding = "same", .activation = layers::Activation::relu});
  h = layers::flatten(layers::max_pooling2d(h, {2}, {2}));
  Node logits = layers::dense(h, 2, rng);
  Node loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(labels, logits));
  Node step = train::GradientDescentOptimizer(0.1).minimize(loss);
  Tensor xs = Tensor::zeros({12, 6, 6, 1}), ys(DType::i64, {12});
  for (int i = 0; i < 12; ++i) {
    const int pos = i % 6;
    ys.data<std::int64_t>()[i] = i < 6 ? 0 : 1;
    for (int t = 0; t < 6; ++t) xs.data<double>()[i < 6 ? pos * 6 + t + i * 36 : t * 6 + pos + i * 36] = 1;
  }
  Session s;
  const double first = s.run(loss, {{x, xs}, {labels, ys}}).item<double>();
  for (int i = 0; i < 200; ++i) s.run(step, {{x, xs}, {labels, ys}});
  const double last = s.run(loss, {{x, xs}, {labels, ys}}).item<double>();
  EXPECT_LT(last, 0.05) << "first " << first;
  EXPECT_GT(first, 0.3);
}

namespace {
// VALID transposed convolution of x [n, h, w, c] with k [kh, kw, o, c], stride s, by scattering:
// y[b, i·s + di, j·s + dj, f] += x[b, i, j, ch] · k[di, dj, f, ch]; y is [n, (h-1)s + kh, (w-1)s + kw, o].
std::vector<double> direct_conv_transpose(const Tensor& x, const Tensor& k, std::int64_t s) {
  const auto n = x.shape()[0], h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
  const auto kh = k.shape()[0], kw = k.shape()[1], o = k.shape()[2];
  const auto H = (h - 1) * s + kh, W = (w - 1) * s + kw;
  std::vector<double> y(static_cast<std::size_t>(n * H * W * o), 0.0);
  for (std::int64_t b = 0; b < n; ++b)
    for (std::int64_t i = 0; i < h; ++i)
      for (std::int64_t j = 0; j < w; ++j)
        for (std::int64_t di = 0; di < kh; ++di)
          for (std::int64_t dj = 0; dj < kw; ++dj)
            for (std::int64_t f = 0; f < o; ++f)
              for (std::int64_t ch = 0; ch < c; ++ch)
                y[static_cast<std::size_t>(((b * H + i * s + di) * W + j * s + dj) * o + f)] +=
                    x.flat(((b * h + i) * w + j) * c + ch) * k.flat(((di * kw + dj) * o + f) * c + ch);
  return y;
}
}  // namespace

TEST(Conv2DTransposeLayer, ShapesNamesAndValueByHand) {
  Graph g;
  g.as_default();
  Rng rng(6);
  Node x = placeholder(DType::f64, {kUnknownDim, 3, 4, 2}, "x");
  Node y = layers::conv2d_transpose(x, 3, {3, 2}, rng, {.strides = {2}, .activation = layers::Activation::tanh, .name = "t"});
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 7, 8, 3}));  // VALID: (3-1)·2 + 3, (4-1)·2 + max(2, 2)
  Node K = g.node("t/kernel"), b = g.node("t/bias");
  EXPECT_EQ(K.shape(), (Shape{3, 2, 3, 2}));  // [kh, kw, filters, in]
  Session s;
  s.assign(b, Tensor{0.5, -0.25, 0.0});
  Rng data(7);
  const Tensor in = Tensor::randn({2, 3, 4, 2}, data);
  const Tensor out = s.run(y, {{x, in}});
  const std::vector<double> z = direct_conv_transpose(in, s.run(K), 2);
  ASSERT_EQ(out.size(), static_cast<std::int64_t>(z.size()));
  const double bias[3] = {0.5, -0.25, 0.0};
  for (std::size_t i = 0; i < z.size(); ++i)
    EXPECT_NEAR(out.flat(static_cast<std::int64_t>(i)), std::tanh(z[i] + bias[i % 3]), 1e-12);
}

TEST(Conv2DTransposeLayer, SameCropsTheFullOutputAndChannelsFirst) {
  Graph g;
  g.as_default();
  Rng rng(8);
  Node x = placeholder(DType::f64, {kUnknownDim, 3, 3, 1});
  // SAME: out = in·stride = 6; the full (valid) output is (3-1)·2 + 3 = 7, cropped by TensorFlow's
  // pads: total 7 - 6 = 1, top/left 0 (the extra row at the end).
  Node y = layers::conv2d_transpose(x, 2, {3}, rng, {.strides = {2}, .padding = "same", .use_bias = false, .name = "s"});
  EXPECT_EQ(y.shape(), (Shape{kUnknownDim, 6, 6, 2}));
  Session s;
  Rng data(9);
  const Tensor in = Tensor::randn({1, 3, 3, 1}, data);
  const Tensor out = s.run(y, {{x, in}});
  const std::vector<double> full = direct_conv_transpose(in, s.run(g.node("s/kernel")), 2);
  for (std::int64_t i = 0; i < 6; ++i)
    for (std::int64_t j = 0; j < 6; ++j)
      for (std::int64_t f = 0; f < 2; ++f)
        EXPECT_NEAR(out.flat((i * 6 + j) * 2 + f), full[static_cast<std::size_t>((i * 7 + j) * 2 + f)], 1e-12);
  Node xc = placeholder(DType::f32, {kUnknownDim, 4, 5, 5});
  EXPECT_EQ(layers::conv2d_transpose(xc, 8, {2}, rng, {.strides = {2}, .data_format = "channels_first"}).shape(),
            (Shape{kUnknownDim, 8, 10, 10}));
  EXPECT_EQ(g.node("conv2d_transpose/kernel").shape(), (Shape{2, 2, 8, 4}));
  EXPECT_THROW(layers::conv2d_transpose(placeholder(DType::f32, {kUnknownDim, kUnknownDim, 5, 5}), 8, {2}, rng),
               GraphError);  // the height must be known
}

TEST(LayerReuse, SharesTheVariablesOfAnEarlierCallAndChecksThem) {
  Graph g;
  g.as_default();
  Rng rng(10);
  Node a = placeholder(DType::f64, {kUnknownDim, 6, 6, 2}, "a"), b = placeholder(DType::f64, {kUnknownDim, 6, 6, 2}, "b");
  Node ya = layers::conv2d(a, 3, {3}, rng, {.name = "c"});
  const int variables = static_cast<int>(g.variables().size());
  Node yb = layers::conv2d(b, 3, {3}, rng, {.name = "c", .reuse = true});
  Node za = layers::dense(layers::flatten(ya), 4, rng, {.name = "d"});
  Node zb = layers::dense(layers::flatten(yb), 4, rng, {.name = "d", .reuse = true});
  Node na = layers::batch_normalization(za, true, {.name = "bn"});
  Node nb = layers::batch_normalization(zb, true, {.name = "bn", .reuse = true});
  EXPECT_EQ(g.variables().size(), static_cast<std::size_t>(variables) + 2 + 4);  // d's kernel and bias, bn's four
  Session s;
  Rng data(11);
  const Tensor in = Tensor::randn({3, 6, 6, 2}, data);
  const Tensor ra = s.run(na, {{a, in}}), rb = s.run(nb, {{b, in}});
  for (std::int64_t i = 0; i < ra.size(); ++i) EXPECT_EQ(ra.flat(i), rb.flat(i));
  EXPECT_THROW(layers::dense(layers::flatten(ya), 4, rng, {.name = "missing", .reuse = true}), GraphError);
  EXPECT_THROW(layers::dense(layers::flatten(ya), 5, rng, {.name = "d", .reuse = true}), ShapeError);
  EXPECT_THROW(layers::conv2d(a, 3, {3}, rng, {.name = "d", .reuse = true}), ShapeError);  // d/kernel is 2-D
  EXPECT_THROW(layers::conv2d(a, 3, {3}, rng, {.name = "a", .reuse = true}), GraphError);  // no a/kernel
  EXPECT_THROW(layers::batch_normalization(za, true, {.name = "nobn", .reuse = true}), GraphError);
}
