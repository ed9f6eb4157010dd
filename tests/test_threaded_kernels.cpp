// The element-wise kernels split over threads from 2^16 elements up (kernels/parallel.h): on 1 and
// 2 threads, large tensors of awkward sizes (chunks that do not divide evenly, rows of 3 and 37)
// give exactly what plain loops written here give, and the channel sums the same bits on 1 and 2.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"
#include "tensorgraph/threads.h"

using namespace tg;

namespace {

class Threads : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    saved_ = num_threads();
    set_num_threads(GetParam());
  }
  void TearDown() override { set_num_threads(saved_); }

 private:
  int saved_ = 1;
};

Tensor random(const Shape& s, DType d, std::uint64_t seed) {
  Rng rng(seed);
  return Tensor::randn(s, rng, d);
}

double at(const Tensor& t, std::int64_t i) { return t.flat(i); }

// out = f(inputs...) through a session, against want(i) for every element i.
void expect_each(const Tensor& out, const std::function<double(std::int64_t)>& want, double tol) {
  for (std::int64_t i = 0; i < out.size(); ++i) {
    const double w = want(i);
    ASSERT_NEAR(at(out, i), w, tol * (1 + std::fabs(w))) << "element " << i;
  }
}

Tensor run(const Node& y, const FeedDict& f) { return Session().run(y, f); }

TEST_P(Threads, UnaryAndSameShapeBinaryOverChunks) {
  for (DType d : {DType::f32, DType::f64}) {
    const Shape s{3, 70001};  // 210003 elements: uneven chunks
    const Tensor a = random(s, d, 1), b = random(s, d, 2);
    Node A = placeholder(d, s), Bn = placeholder(d, s);
    const FeedDict f{{A, a}, {Bn, b}};
    expect_each(run(relu(A), f), [&](std::int64_t i) { return std::max(at(a, i), 0.0); }, 0);
    expect_each(run(A * Bn, f), [&](std::int64_t i) { return at(a, i) * at(b, i); }, 1e-7);
    expect_each(run(A - 2.5, f), [&](std::int64_t i) { return at(a, i) - 2.5; }, 1e-7);
    expect_each(run(nn::relu_grad(A, Bn), f), [&](std::int64_t i) { return at(b, i) > 0 ? at(a, i) : 0.0; }, 0);
  }
}

TEST_P(Threads, RowAndColumnBroadcastsOverChunks) {
  for (std::int64_t c : {3, 37}) {
    const Shape s{70001, c}, row{c}, col{70001, 1};
    const Tensor a = random(s, DType::f32, 3), r = random(row, DType::f32, 4), k = random(col, DType::f32, 5);
    Node A = placeholder(DType::f32, s), R = placeholder(DType::f32, row), K = placeholder(DType::f32, col);
    const FeedDict f{{A, a}, {R, r}, {K, k}};
    expect_each(run(A + R, f), [&](std::int64_t i) { return at(a, i) + at(r, i % c); }, 1e-6);
    expect_each(run(R - A, f), [&](std::int64_t i) { return at(r, i % c) - at(a, i); }, 1e-6);
    expect_each(run(A * K, f), [&](std::int64_t i) { return at(a, i) * at(k, i / c); }, 1e-6);
  }
}

TEST_P(Threads, BiasAddBothLayouts) {
  for (DType d : {DType::f32, DType::f64}) {
    const Shape nhwc{33, 17, 19, 37}, nchw{9, 37, 21, 23};
    const Tensor x1 = random(nhwc, d, 6), x2 = random(nchw, d, 7), b = random({37}, d, 8);
    Node X1 = placeholder(d, nhwc), X2 = placeholder(d, nchw), Bn = placeholder(d, {37});
    const FeedDict f{{X1, x1}, {X2, x2}, {Bn, b}};
    expect_each(run(nn::bias_add(X1, Bn), f), [&](std::int64_t i) { return at(x1, i) + at(b, i % 37); }, 1e-6);
    expect_each(run(nn::bias_add(X2, Bn, "NCHW"), f),
                [&](std::int64_t i) { return at(x2, i) + at(b, (i / (21 * 23)) % 37); }, 1e-6);
  }
}

// The channel sums against sums in long double here, and bit for bit the same on 1 and 2 threads.
TEST_P(Threads, BiasAddGradBothLayoutsAndTheSameBitsOnAnyThreadCount) {
  for (DType d : {DType::f32, DType::f64}) {
    const Shape nhwc{33, 17, 19, 37}, nchw{9, 37, 21, 23};
    const Tensor y1 = random(nhwc, d, 9), y2 = random(nchw, d, 10);
    Node Y1 = placeholder(d, nhwc), Y2 = placeholder(d, nchw);
    const FeedDict f{{Y1, y1}, {Y2, y2}};
    const Tensor g1 = run(nn::bias_add_grad(Y1), f), g2 = run(nn::bias_add_grad(Y2, "NCHW"), f);
    std::vector<long double> s1(37, 0), s2(37, 0);
    for (std::int64_t i = 0; i < y1.size(); ++i) s1[static_cast<std::size_t>(i % 37)] += at(y1, i);
    for (std::int64_t i = 0; i < y2.size(); ++i) s2[static_cast<std::size_t>((i / (21 * 23)) % 37)] += at(y2, i);
    const double tol = d == DType::f32 ? 1e-6 : 1e-12;  // the sums are computed in double either way
    expect_each(g1, [&](std::int64_t c) { return static_cast<double>(s1[static_cast<std::size_t>(c)]); }, tol);
    expect_each(g2, [&](std::int64_t c) { return static_cast<double>(s2[static_cast<std::size_t>(c)]); }, tol);
    const int threads = num_threads();
    set_num_threads(threads == 1 ? 2 : 1);
    const Tensor h1 = run(nn::bias_add_grad(Y1), f), h2 = run(nn::bias_add_grad(Y2, "NCHW"), f);
    set_num_threads(threads);
    expect_each(h1, [&](std::int64_t c) { return at(g1, c); }, 0);
    expect_each(h2, [&](std::int64_t c) { return at(g2, c); }, 0);
  }
}

// Batch normalization's per-channel statistics (kernels/batch_norm.cpp) over chunks: the float64
// forward against mean and variance summed here, and the float32 gradient (oneDNN's backward fed
// those statistics) against the float64 one.
TEST_P(Threads, BatchNormStatisticsOverChunks) {
  for (const char* format : {"NHWC", "NCHW"}) {
    const bool nhwc = std::string(format) == "NHWC";
    const Shape s = nhwc ? Shape{33, 17, 19, 37} : Shape{9, 37, 21, 23};
    const std::int64_t inner = nhwc ? 1 : 21 * 23, C = 37;
    const Tensor x = random(s, DType::f64, 13), dy = random(s, DType::f64, 14), g = random({C}, DType::f64, 15);
    auto channel = [&](std::int64_t i) { return static_cast<std::size_t>((i / inner) % C); };
    std::vector<long double> mean(37, 0), var(37, 0);
    const long double n = static_cast<long double>(x.size() / C);
    for (std::int64_t i = 0; i < x.size(); ++i) mean[channel(i)] += at(x, i) / n;
    for (std::int64_t i = 0; i < x.size(); ++i) var[channel(i)] += (at(x, i) - mean[channel(i)]) * (at(x, i) - mean[channel(i)]) / n;
    Node X = placeholder(DType::f64, s), G = placeholder(DType::f64, {C}), DY = placeholder(DType::f64, s);
    const FeedDict f{{X, x}, {G, g}, {DY, dy}};
    const nn::FusedBatchNormOptions o{.epsilon = 1e-3, .data_format = format};
    expect_each(run(nn::fused_batch_norm(X, G, zeros_like(G), o).y, f), [&](std::int64_t i) {
      const std::size_t c = channel(i);
      return static_cast<double>((at(x, i) - mean[c]) / std::sqrt(var[c] + 1e-3L) * at(g, static_cast<std::int64_t>(c)));
    }, 1e-9);
    const Tensor want = run(nn::fused_batch_norm_grad(DY, X, G, 1e-3, format), f);
    Node X32 = placeholder(DType::f32, s), G32 = placeholder(DType::f32, {C}), DY32 = placeholder(DType::f32, s);
    const Tensor got = run(nn::fused_batch_norm_grad(DY32, X32, G32, 1e-3, format),
                           {{X32, x.astype(DType::f32)}, {G32, g.astype(DType::f32)}, {DY32, dy.astype(DType::f32)}});
    expect_each(got, [&](std::int64_t i) { return at(want, i); }, 1e-4);
  }
}

// oneDNN fixes a primitive's thread count when it is made: a convolution and a pooling made on one
// thread count and run on the other give the reference's numbers either way.
TEST_P(Threads, ConvolutionAndPoolingAgreeWithTheReferenceAfterAThreadChange) {
  const Tensor x = random({16, 20, 20, 24}, DType::f32, 11), w = random({3, 3, 24, 32}, DType::f32, 12);
  Node X = placeholder(DType::f32, x.shape()), W = placeholder(DType::f32, w.shape());
  Node y = nn::max_pool(relu(nn::conv2d(X, W, {1, 1, 1, 1}, "SAME")), {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
  Node X64 = placeholder(DType::f64, x.shape()), W64 = placeholder(DType::f64, w.shape());
  Node y64 = nn::max_pool(relu(nn::conv2d(X64, W64, {1, 1, 1, 1}, "SAME")), {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
  Session s;
  const FeedDict f{{X, x}, {W, w}, {X64, x.astype(DType::f64)}, {W64, w.astype(DType::f64)}};
  const Tensor want = s.run(y64, f);
  const int threads = num_threads();
  for (int t : {threads, threads == 1 ? 2 : 1, threads}) {
    set_num_threads(t);
    const Tensor got = s.run(y, f);
    expect_each(got, [&](std::int64_t i) { return at(want, i); }, 1e-4);
  }
  set_num_threads(threads);
}

INSTANTIATE_TEST_SUITE_P(OneAndTwo, Threads, ::testing::Values(1, 2),
                         [](const auto& info) { return std::to_string(info.param) + "_threads"; });

}  // namespace
