// Every fast path against the plain one: the BLAS gemm against the reference loops on awkward
// shapes (batch 1, odd sizes, vectors, every transpose combination), float32 and float64; the
// reduction, broadcasting and softmax loops at every row width against their definitions; oneDNN's
// LSTM layer (float32) against the float64 reference, forward and backward.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include <cstring>
#include <string>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/lstm.h"
#include "kernels/elementwise.h"
#include "kernels/reduce.h"
#include "kernels/softmax.h"
#include "kernels/vexp.h"
#include "kernels/window.h"
#include "tensorgraph/tensor.h"
#include "tensorgraph/threads.h"

using namespace tg;

namespace {
template <class T> void compare(const Shape& as, const Shape& bs, bool ta, bool tb, Rng& rng) {
  Tensor a = Tensor::randn(as, rng, dtype_of<T>()), b = Tensor::randn(bs, rng, dtype_of<T>());
  kernels::MatmulDims d = kernels::matmul_dims(as, bs, ta, tb);
  Tensor fast(dtype_of<T>(), {d.m * d.n}), plain(dtype_of<T>(), {d.m * d.n});
  kernels::gemm(dtype_of<T>(), a.raw(), b.raw(), fast.raw(), d, kernels::GemmPath::blas);
  kernels::gemm(dtype_of<T>(), a.raw(), b.raw(), plain.raw(), d, kernels::GemmPath::reference);
  const double tol = std::is_same_v<T, float> ? 1e-4 : 1e-12;
  for (std::int64_t i = 0; i < d.m * d.n; ++i)
    ASSERT_NEAR(fast.flat(i), plain.flat(i), tol * (1 + std::fabs(plain.flat(i)) + std::sqrt(double(d.k))))
        << as.str() << (ta ? "T" : "") << " x " << bs.str() << (tb ? "T" : "") << " at " << i;
  // The accumulating form the fused optimizer update uses: C = -0.25·op(A)·op(B) + C.
  Tensor c0 = Tensor::randn({d.m * d.n}, rng, dtype_of<T>());
  for (kernels::GemmPath path : {kernels::GemmPath::blas, kernels::GemmPath::reference}) {
    Tensor acc = c0.clone();
    kernels::gemm(dtype_of<T>(), a.raw(), b.raw(), acc.raw(), d, path, -0.25, 1);
    for (std::int64_t i = 0; i < d.m * d.n; ++i)
      ASSERT_NEAR(acc.flat(i), c0.flat(i) - 0.25 * plain.flat(i),
                  tol * (1 + std::fabs(plain.flat(i)) + std::sqrt(double(d.k))))
          << "accumulating " << as.str() << (ta ? "T" : "") << " x " << bs.str() << (tb ? "T" : "") << " at " << i;
  }
}

template <class T> void all_shapes() {
  Rng rng(11);
  for (std::int64_t m : {1, 2, 7, 33})
    for (std::int64_t k : {1, 2, 3, 4, 17, 64})  // k, n <= 4: the tiny kernel
      for (std::int64_t n : {1, 2, 3, 4, 5, 31}) {  // n <= 4: the narrow kernel, b strided or not
        for (bool ta : {false, true})
          for (bool tb : {false, true})
            compare<T>(ta ? Shape{k, m} : Shape{m, k}, tb ? Shape{n, k} : Shape{k, n}, ta, tb, rng);
        compare<T>({k}, {k, n}, false, false, rng);     // vector x matrix
        compare<T>({k}, {n, k}, false, true, rng);
        compare<T>({m, k}, {k}, false, false, rng);     // matrix x vector
        compare<T>({k, m}, {k}, true, false, rng);
        compare<T>({k}, {k}, false, false, rng);        // inner product
      }
}
}  // namespace

TEST(Gemm, BlasMatchesReferenceFloat64) {
  if (!kernels::blas_available()) GTEST_SKIP() << "built without BLAS";
  all_shapes<double>();
}

TEST(Gemm, BlasMatchesReferenceFloat32) {
  if (!kernels::blas_available()) GTEST_SKIP() << "built without BLAS";
  all_shapes<float>();
}

TEST(Gemm, MlpShapesMatchReferenceFloat32) {  // the products of a 784-256 layer, batch 64, and its gradients
  if (!kernels::blas_available()) GTEST_SKIP() << "built without BLAS";
  Rng rng(12);
  compare<float>({64, 784}, {784, 256}, false, false, rng);  // X·W
  compare<float>({64, 784}, {64, 256}, true, false, rng);    // Xᵀ·G
  compare<float>({64, 256}, {784, 256}, false, true, rng);   // G·Wᵀ
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    compare<float>({65, 129}, {129, 257}, false, false, rng);
  }
}

namespace {
std::int64_t ulps(double a, double b) {
  if (a == b) return 0;
  std::int64_t ia, ib;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return ia > ib ? ia - ib : ib - ia;
}
}  // namespace

TEST(VectorExp, WithinTwoUlpOfStdExpOverTheWholeRange) {
  Rng rng(5);
  std::vector<double> x;
  for (int i = 0; i < 200000; ++i) x.push_back(-1100 + 1820 * rng.uniform());  // overflow to underflow
  for (int i = 0; i < 100000; ++i) x.push_back(-2 + 4 * rng.uniform());        // where activations live
  for (double v : {0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, -708.39, -708.4, -745.13, -745.14, 1e300, -1e300})
    x.push_back(v);
  std::vector<double> y(x.size());
  kernels::exp_array(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_LE(ulps(y[i], std::exp(x[i])), 2) << "x = " << x[i];
  double special[4] = {INFINITY, -INFINITY, NAN, -NAN}, out[4];
  kernels::exp_array(special, out, 4);
  EXPECT_EQ(out[0], INFINITY);
  EXPECT_EQ(out[1], 0.0);
  EXPECT_TRUE(std::isnan(out[2]) && std::isnan(out[3]));
  std::vector<float> xf(x.begin(), x.begin() + 1000), yf(1000);
  kernels::exp_array(xf.data(), yf.data(), 1000);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(yf[i], static_cast<float>(std::exp(static_cast<double>(xf[i]))));
  const std::string path = kernels::exp_path();  // the clone this CPU runs, which the checks above covered
  EXPECT_TRUE(path == "avx512 (x86-64-v4)" || path == "avx2" || path == "baseline") << path;
}

// Fewer than 8 values take a scalar loop (exp_few, log_few); every value must come out as the
// vector loop computes it, whatever the size of the call.
TEST(VectorExp, ShortCallsGiveTheLongCallsBits) {
  Rng rng(8);
  std::vector<double> x, pos;
  for (int i = 0; i < 4000; ++i) {
    x.push_back(-30 + 60 * rng.uniform());
    pos.push_back(std::exp(-30 + 60 * rng.uniform()));
  }
  for (const bool log : {false, true}) {
    const std::vector<double>& in = log ? pos : x;
    auto apply = [&](std::size_t from, std::size_t count, std::vector<double>& out) {
      if (log) kernels::log_array(in.data() + from, out.data() + from, static_cast<std::int64_t>(count));
      else kernels::exp_array(in.data() + from, out.data() + from, static_cast<std::int64_t>(count));
    };
    std::vector<double> whole(in.size()), pieces(in.size());
    apply(0, in.size(), whole);
    for (std::size_t i = 0, n = 1; i < in.size(); i += n, n = n % 7 + 1) apply(i, std::min(n, in.size() - i), pieces);
    for (std::size_t i = 0; i < in.size(); ++i)
      ASSERT_EQ(pieces[i], whole[i]) << (log ? "log " : "exp ") << in[i];
  }
}

TEST(VectorLog, WithinOneUlpOfStdLogOverTheWholeRange) {
  Rng rng(6);
  std::vector<double> x;
  for (int i = 0; i < 200000; ++i) x.push_back(std::exp(-745 + 1454 * rng.uniform()));  // subnormal to huge
  for (int i = 0; i < 100000; ++i) x.push_back(0.5 + 1.5 * rng.uniform());              // around 1
  for (double v : {1.0, 4.9e-324, 2.2250738585072014e-308, 1e-310, 1.7976931348623157e308, 1.0000000000000002,
                   0.9999999999999999, 0.7071067811865476, 1.4142135623730951})
    x.push_back(v);
  std::vector<double> y(x.size());
  kernels::log_array(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_LE(ulps(y[i], std::log(x[i])), 1) << "x = " << x[i];
  double special[5] = {0.0, -0.0, -1.0, INFINITY, NAN}, out[5];
  kernels::log_array(special, out, 5);
  EXPECT_EQ(out[0], -INFINITY);
  EXPECT_EQ(out[1], -INFINITY);
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_EQ(out[3], INFINITY);
  EXPECT_TRUE(std::isnan(out[4]));
  std::vector<double> many(16, -2.0);  // the vector path's specials too
  many[3] = 0.0;
  many[7] = INFINITY;
  kernels::log_array(many.data(), many.data(), 16);
  EXPECT_TRUE(std::isnan(many[0]));
  EXPECT_EQ(many[3], -INFINITY);
  EXPECT_EQ(many[7], INFINITY);
}

TEST(VectorLog1p, WithinTwoUlpOfStdLog1pFromMinusOneToHuge) {
  Rng rng(7);
  std::vector<double> x;
  for (int i = 0; i < 100000; ++i) x.push_back(std::exp(-745 + 1454 * rng.uniform()));   // tiny to huge
  for (int i = 0; i < 100000; ++i) x.push_back(-std::exp(-745 + 745 * rng.uniform()));  // (-1, 0)
  for (int i = 0; i < 100000; ++i) x.push_back(-0.5 + 2 * rng.uniform());                // where losses live
  for (double v : {0.0, -0.0, 1e-300, 4.9e-324, 1.1102230246251565e-16, 2.220446049250313e-16, -0.9999999999999999,
                   9.007199254740993e15, 1.7976931348623157e308})
    x.push_back(v);
  std::vector<double> y(x.size());
  kernels::log1p_array(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_LE(ulps(y[i], std::log1p(x[i])), 2) << "x = " << x[i];
  double special[5] = {-1.0, -2.0, INFINITY, NAN, -INFINITY}, out[5];
  kernels::log1p_array(special, out, 5);
  EXPECT_EQ(out[0], -INFINITY);
  EXPECT_TRUE(std::isnan(out[1]));
  EXPECT_EQ(out[2], INFINITY);
  EXPECT_TRUE(std::isnan(out[3]) && std::isnan(out[4]));
  std::vector<float> xf(x.begin(), x.begin() + 300000), yf(300000);  // float32: std::log1p's, rounded once
  kernels::log1p_array(xf.data(), yf.data(), 300000);
  for (std::size_t i = 0; i < xf.size(); ++i)
    ASSERT_EQ(yf[i], static_cast<float>(std::log1p(static_cast<double>(xf[i])))) << "x = " << xf[i];
}

TEST(VectorTanh, WithinTwoUlpOfStdTanhEverywhere) {
  Rng rng(9);
  std::vector<double> x;
  for (int i = 0; i < 100000; ++i) x.push_back((rng.uniform() < 0.5 ? -1 : 1) * std::exp(-745 + 750 * rng.uniform()));
  for (int i = 0; i < 100000; ++i) x.push_back(-3 + 6 * rng.uniform());  // where activations live
  for (double v : {0.0, -0.0, 0.625, -0.625, 0.6249999999999999, 19.0, 40.0, 1e300, -1e300, 4.9e-324})
    x.push_back(v);
  std::vector<double> y(x.size());
  kernels::tanh_array(x.data(), y.data(), static_cast<std::int64_t>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_LE(ulps(y[i], std::tanh(x[i])), 2) << "x = " << x[i];
  EXPECT_TRUE(std::signbit(y[y.size() - 9]));  // tanh(-0) = -0
  double special[4] = {INFINITY, -INFINITY, NAN, 3.0}, out[4];
  kernels::tanh_array(special, out, 4);  // the scalar path
  EXPECT_EQ(out[0], 1.0);
  EXPECT_EQ(out[1], -1.0);
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_LE(ulps(out[3], std::tanh(3.0)), 2);
  std::vector<float> xf(x.begin(), x.begin() + 200000), yf(200000);  // float32: within one float ulp
  kernels::tanh_array(xf.data(), yf.data(), 200000);
  for (std::size_t i = 0; i < xf.size(); ++i) {
    const float want = static_cast<float>(std::tanh(static_cast<double>(xf[i])));
    ASSERT_LE(std::fabs(yf[i] - want), std::fabs(std::nextafter(want, 2.0f) - want)) << "x = " << xf[i];
  }
}

TEST(Threads, OneBudgetSetAndReadBack) {
  const int before = num_threads();
  EXPECT_GE(before, 1);
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  Rng rng(8);
  compare<double>({64, 64}, {64, 64}, false, false, rng);  // BLAS on one thread still agrees
  set_num_threads(2);
  EXPECT_EQ(num_threads(), 2);
  EXPECT_THROW(set_num_threads(0), Error);
  set_num_threads(before);
}

namespace {
// out[j] = sum of x over the masked axes, by the definition (index arithmetic, no fast path).
Tensor plain_sum(const Tensor& x, const bool* mask, const Shape& out_shape) {
  Tensor out(x.dtype(), out_shape);
  const Shape& s = x.shape();
  std::vector<std::int64_t> idx(static_cast<std::size_t>(s.rank()), 0);
  for (std::int64_t i = 0; i < x.size(); ++i) {
    std::int64_t rem = i, o = 0;
    for (int a = s.rank() - 1; a >= 0; --a) {
      idx[static_cast<std::size_t>(a)] = rem % s[a];
      rem /= s[a];
    }
    for (int a = 0; a < s.rank(); ++a)
      if (!mask[a]) o = o * s[a] + idx[static_cast<std::size_t>(a)];
    out.data<double>()[o] += x.data<double>()[i];
  }
  return out;
}
}  // namespace

// The last axis takes widths 1 to 6: 1-4 run the loops unrolled at compile time (with_width).
TEST(Reduce, EveryPathMatchesTheDefinition) {
  Rng rng(13);
  for (std::int64_t w : {1, 2, 3, 4, 5, 6}) {
    Tensor x = Tensor::randn({3, 4, w}, rng);
    const bool masks[][3] = {{true, true, true},  {false, false, true}, {true, false, false}, {true, true, false},
                             {false, true, false}, {true, false, true},  {false, true, true}};
    for (const auto& mask : masks) {
      Shape out;
      for (int a = 0; a < 3; ++a)
        if (!mask[a]) out.push_back(x.shape()[a]);
      Tensor fast(DType::f64, out);
      kernels::reduce<double>(x, fast, mask, 0.0, [](double a, double b) { return a + b; });
      Tensor plain = plain_sum(x, mask, out);
      for (std::int64_t j = 0; j < plain.size(); ++j)
        ASSERT_NEAR(fast.data<double>()[j], plain.data<double>()[j], 1e-12)
            << "width " << w << " mask " << mask[0] << mask[1] << mask[2] << " at " << j;
    }
  }
}

namespace {
// x[i] of a tensor of shape `s` read at the output multi-index of flat index i of `out`, with
// numpy broadcasting, by the definition.
double broadcast_at(const Tensor& x, const Shape& s, const Shape& out, std::int64_t i) {
  std::int64_t o = 0, stride = 1;
  for (int a = out.rank() - 1; a >= 0; --a) {
    const std::int64_t idx = i % out[a];
    i /= out[a];
    const int xa = a - (out.rank() - s.rank());
    if (xa >= 0) {
      if (s[xa] != 1) o += idx * stride;
      stride *= s[xa];
    }
  }
  return x.data<double>()[o];
}
}  // namespace

// Rows of every width from 1 to 6, each operand shape the bias and column fast paths take (and
// the general walk), on either side: out = 3a - b against the definition, and broadcast_copy.
TEST(Broadcast, EveryPathAndWidthMatchesTheDefinition) {
  Rng rng(17);
  for (std::int64_t w : {1, 2, 3, 4, 5, 6}) {
    const Shape out{5, w};
    for (const Shape& small : {Shape{w}, Shape{1, w}, Shape{5, 1}, Shape{1, 1}, Shape{}, Shape{5, w}}) {
      Tensor big = Tensor::randn(out, rng), y = Tensor::randn(small, rng);
      for (bool swap : {false, true}) {
        const Tensor& a = swap ? y : big;
        const Tensor& b = swap ? big : y;
        Tensor z(DType::f64, out);
        kernels::map_binary<double>(a, b, z, [](double p, double q) { return 3 * p - q; });
        for (std::int64_t i = 0; i < z.size(); ++i)
          ASSERT_EQ(z.data<double>()[i], 3 * broadcast_at(a, a.shape(), out, i) - broadcast_at(b, b.shape(), out, i))
              << a.shape().str() << " with " << b.shape().str() << " at " << i;
      }
      Tensor copy(DType::f64, out);
      kernels::broadcast_copy<double>(y, small, copy);
      for (std::int64_t i = 0; i < copy.size(); ++i)
        ASSERT_EQ(copy.data<double>()[i], broadcast_at(y, small, out, i)) << small.str() << " at " << i;
    }
  }
  // A 3-d output whose operand repeats along a middle axis takes the general walk.
  Tensor x = Tensor::randn({2, 3, 2}, rng), y = Tensor::randn({2, 1, 2}, rng), z(DType::f64, {2, 3, 2});
  kernels::map_binary<double>(x, y, z, [](double p, double q) { return p - q; });
  for (std::int64_t i = 0; i < z.size(); ++i)
    ASSERT_EQ(z.data<double>()[i], x.data<double>()[i] - broadcast_at(y, y.shape(), z.shape(), i)) << i;
}

// softmax and log_softmax rows of widths 1 to 6 against the definition in long double; width 2
// (its own one-exp loop) also with equal logits, a -inf logit and logits 2e5 apart.
TEST(SoftmaxRows, EveryWidthMatchesTheDefinition) {
  Rng rng(19);
  for (std::int64_t w : {1, 2, 3, 4, 5, 6}) {
    Tensor x = Tensor::randn({7, w}, rng, DType::f64, 0, 5);
    if (w == 2) {
      const double edge[] = {3, 3, -INFINITY, 1, 1e5, -1e5, -0.5, 700};
      std::copy(std::begin(edge), std::end(edge), x.data<double>());
    }
    for (bool log : {false, true}) {
      Tensor y(DType::f64, {7, w});
      kernels::softmax_rows<double>(x.data<double>(), y.data<double>(), 7, w, log);
      for (std::int64_t r = 0; r < 7; ++r) {
        const double* xr = x.data<double>() + r * w;
        const long double mx = *std::max_element(xr, xr + w);  // e^1e5 overflows long double too
        long double sum = 0;
        for (std::int64_t j = 0; j < w; ++j) sum += std::exp(xr[j] - mx);
        for (std::int64_t j = 0; j < w; ++j) {
          const double want = static_cast<double>(log ? (xr[j] - mx) - std::log(sum) : std::exp(xr[j] - mx) / sum);
          const double got = y.data<double>()[r * w + j];
          if (std::isinf(want)) ASSERT_EQ(got, want) << "width " << w << " row " << r << " col " << j;
          else
            ASSERT_NEAR(got, want, 4e-16 * (1 + std::fabs(want)))
                << "width " << w << (log ? " log" : "") << " row " << r << " col " << j;
        }
      }
    }
  }
}

// TensorFlow's padding arithmetic, by hand: SAME keeps ceil(in / stride) outputs and puts the odd
// padding after; VALID keeps the windows that fit.
TEST(Window, SameAndValidAsTensorFlow) {
  using tg::kernels::Padding;
  using tg::kernels::window;
  struct Case {
    std::int64_t in, k, stride, dilation;
    Padding p;
    std::int64_t out, before, after;
  };
  for (const Case& c : {Case{5, 3, 2, 1, Padding::same, 3, 1, 1},     // total (3-1)·2+3-5 = 2
                        Case{6, 3, 2, 1, Padding::same, 3, 0, 1},     // total 1: the extra one after
                        Case{28, 5, 1, 1, Padding::same, 28, 2, 2},   //
                        Case{7, 2, 2, 1, Padding::same, 4, 0, 1},     // a 2-window over 7 at stride 2
                        Case{4, 1, 3, 1, Padding::same, 2, 0, 0},     // 1x1 windows never pad
                        Case{6, 3, 2, 1, Padding::valid, 2, 0, 0},    // ceil((6-3+1)/2)
                        Case{7, 3, 1, 2, Padding::valid, 3, 0, 0},    // dilated window of 5
                        Case{7, 3, 1, 2, Padding::same, 7, 2, 2},     //
                        Case{3, 3, 1, 1, Padding::valid, 1, 0, 0},    //
                        Case{-1, 3, 2, 1, Padding::same, -1, 0, 0}})  // unknown stays unknown
  {
    const auto w = window(c.in, c.k, c.stride, c.dilation, c.p, "test");
    EXPECT_EQ(w.out, c.out) << c.in << " " << c.k << " " << c.stride;
    EXPECT_EQ(w.pad_before, c.before) << c.in << " " << c.k << " " << c.stride;
    EXPECT_EQ(w.pad_after, c.after) << c.in << " " << c.k << " " << c.stride;
  }
  EXPECT_THROW(window(2, 3, 1, 1, Padding::valid, "conv2d"), tg::ShapeError);
  EXPECT_THROW(tg::kernels::parse_padding("FULL", "conv2d"), tg::ShapeError);
  EXPECT_THROW(tg::kernels::spatial_pair({1, 2, 2, 2}, tg::kernels::DataFormat::nhwc, "conv2d", "strides"),
               tg::ShapeError);
  EXPECT_EQ(tg::kernels::spatial_pair({1, 1, 2, 3}, tg::kernels::DataFormat::nchw, "conv2d", "strides"),
            (std::vector<std::int64_t>{2, 3}));
}

namespace {
// One LSTM layer's inputs and upstream gradients, random, and every result of both passes.
struct LstmCase {
  kernels::LstmDims d;
  std::vector<double> x, c0, h0, K, bias, dh, dc_last;
  explicit LstmCase(kernels::LstmDims dims, Rng& rng) : d(dims) {
    auto fill = [&](std::int64_t n, double scale) {
      std::vector<double> v(static_cast<std::size_t>(n));
      for (double& e : v) e = scale * (2 * rng.uniform() - 1);
      return v;
    };
    x = fill(d.T * d.B * d.I, 1), c0 = fill(d.B * d.U, 1), h0 = fill(d.B * d.U, 0.9);
    K = fill((d.I + d.U) * 4 * d.U, 1.5 / std::sqrt(double(d.I + d.U))), bias = fill(4 * d.U, 0.3), dh = fill(d.T * d.B * d.U, 1);
    dc_last = fill(d.B * d.U, 1);
  }
  template <class T> std::vector<std::vector<T>> run(kernels::LstmPath path) const {
    auto as = [](const std::vector<double>& v) { return std::vector<T>(v.begin(), v.end()); };
    const std::vector<T> xs = as(x), c0s = as(c0), h0s = as(h0), Ks = as(K), bs = as(bias), dhs = as(dh), dcs = as(dc_last);
    const std::int64_t BU = d.B * d.U;
    std::vector<std::vector<T>> r{std::vector<T>(d.T * BU), std::vector<T>(BU), std::vector<T>(xs.size()),
                                  std::vector<T>(BU), std::vector<T>(BU), std::vector<T>(Ks.size()),
                                  std::vector<T>(bs.size())};
    kernels::lstm_forward<T>(d, xs.data(), c0s.data(), h0s.data(), Ks.data(), bs.data(), 0.7, r[0].data(), r[1].data(),
                             path);
    kernels::lstm_backward<T>(d, xs.data(), c0s.data(), h0s.data(), Ks.data(), bs.data(), 0.7, dhs.data(), dcs.data(),
                              r[2].data(), r[3].data(), r[4].data(), r[5].data(), r[6].data(), path);
    return r;
  }
};
}  // namespace

TEST(LstmLayer, OneDnnMatchesTheFloat64Reference) {
  Rng rng(15);
  const float probe = 0;
  if (!kernels::lstm_forward_dnnl({1, 1, 1, 1}, &probe, &probe, &probe, std::vector<float>(8).data(),
                                  std::vector<float>(4).data(), 0, std::vector<float>(1).data(),
                                  std::vector<float>(1).data()))
    GTEST_SKIP() << "built without oneDNN";
  const int before = num_threads();
  const char* names[] = {"h", "c_last", "dx", "dc0", "dh0", "dkernel", "dbias"};
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    // one step, one unit; odd sizes; a batch of 1; more units than inputs and the other way; the
    // row-by-row model's sizes (28 steps of 28, batch 64, 128 units: several threads' worth)
    for (kernels::LstmDims d : {kernels::LstmDims{1, 1, 1, 1}, {5, 3, 2, 4}, {7, 1, 13, 5}, {3, 17, 9, 33},
                                {28, 64, 28, 128}}) {
      const LstmCase lc(d, rng);
      const auto fast = lc.run<float>(kernels::LstmPath::automatic);
      const auto want = lc.run<double>(kernels::LstmPath::reference);
      const auto ref32 = lc.run<float>(kernels::LstmPath::reference);
      for (std::size_t k = 0; k < want.size(); ++k) {  // each result as close as the float32 reference's
        double fast_err = 0, ref_err = 0, scale = 0;
        for (std::size_t i = 0; i < want[k].size(); ++i) {
          fast_err = std::max(fast_err, std::fabs(fast[k][i] - want[k][i]));
          ref_err = std::max(ref_err, std::fabs(ref32[k][i] - want[k][i]));
          scale = std::max(scale, std::fabs(want[k][i]));
        }
        EXPECT_LE(fast_err, 2 * ref_err + 5e-7 * scale) << names[k] << " T=" << d.T << " U=" << d.U;
      }
      // float32 rounding grows with the steps and the products' lengths
      const double tol = 1e-6 * std::sqrt(double(d.I + d.U) * d.T);
      for (std::size_t k = 0; k < want.size(); ++k)
        for (std::size_t i = 0; i < want[k].size(); ++i)
          ASSERT_NEAR(fast[k][i], want[k][i], tol * (1 + std::fabs(want[k][i])))
              << names[k] << "[" << i << "] T=" << d.T << " B=" << d.B << " I=" << d.I << " U=" << d.U
              << " threads=" << threads;
      // a second call (cached primitive, reused scratch) gives the same bits
      ASSERT_EQ(lc.run<float>(kernels::LstmPath::automatic), fast);
    }
  }
  set_num_threads(before);
}
