// Every operation, one table: each line builds one op on placeholders, runs it, and is checked
// three ways:
//   forward   against hand-computed values (or an obvious std:: formula: std::exp, std::tanh...);
//   shape     the op's static shape/dtype rule against what its kernel produced;
//   gradient  float64 autodiff against 5-point central differences (tg::check_gradient).
// A coverage test fails for any registered op without a forward line, or differentiable op
// without a gradient-checked line. Extra tests by name cover what a table line cannot: the
// stateful optimizer update, numerical extremes, tie-breaking gradients and build-time errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "batch_norm_ref.h"
#include "tensorgraph/custom_op.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {

using T = Tensor;
using Builder = std::function<Node(const std::vector<Node>&)>;

struct OpCase {
  std::string op;     // registered op name of the node the builder returns
  std::string what;   // what the line tests
  Builder build;      // inputs (placeholders) -> op node; attributes live here
  std::vector<T> in;  // fed values; placeholders get their dtype and shape
  T want;             // expected forward output, by hand
  bool grad = true;   // gradient-check w.r.t. every float input (false: not differentiable)
  double delta = 1e-4;  // finite-difference step
};

void PrintTo(const OpCase& c, std::ostream* os) { *os << c.op << ": " << c.what; }

// The builder `[](x) { return <expr>; }`, x being the input placeholders.
#define B(...) [](const std::vector<Node>& x) -> Node { return __VA_ARGS__; }

constexpr bool kNoGrad = false;
const double kLn2 = std::log(2.0), kLn3 = std::log(3.0), kNaN = std::nan(""),
             kInf = std::numeric_limits<double>::infinity();

T S(double v) { return T::scalar(v); }
T I64(std::vector<std::int64_t> v, const Shape& s) { return T::from_vector(v, s); }
T I32(std::vector<std::int32_t> v, const Shape& s) { return T::from_vector(v, s); }
T F32(std::vector<float> v, const Shape& s) { return T::from_vector(v, s); }
// NOTE: Tensor{true, false} does not compile (its builder goes through std::vector<bool>).
T Bools(std::vector<int> v, const Shape& s) {  // 1 true, 0 false
  T t(DType::boolean, s);
  for (std::size_t i = 0; i < v.size(); ++i) t.data<bool>()[i] = v[i] != 0;
  return t;
}
// f applied to every element of a float64 tensor (the expected value of an element-wise op).
template <class F> T ew(const T& x, F f) {
  T y(DType::f64, x.shape());
  for (std::int64_t i = 0; i < x.size(); ++i) y.data<double>()[i] = f(x.flat(i));
  return y;
}
// -z ln s(x) - (1 - z) ln(1 - s(x)) element by element, by the definition (for moderate x).
T bce(const T& z, const T& x) {
  T y(DType::f64, x.shape());
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const double sg = 1 / (1 + std::exp(-x.flat(i)));
    y.data<double>()[i] = -z.flat(i) * std::log(sg) - (1 - z.flat(i)) * std::log(1 - sg);
  }
  return y;
}
// block_lstm's packed output [h_1..h_T, c_T] by LSTMCell's definition, one scalar at a time.
T lstm_ref(const T& x, const T& c0, const T& h0, const T& K, const T& bias, double forget_bias) {
  const std::int64_t steps = x.shape()[0], B = x.shape()[1], I = x.shape()[2], U = c0.shape()[1];
  auto sg = [](double v) { return 1 / (1 + std::exp(-v)); };
  T y(DType::f64, {steps + 1, B, U});
  std::vector<double> c(c0.size()), h(h0.size());
  for (std::int64_t k = 0; k < c0.size(); ++k) c[static_cast<std::size_t>(k)] = c0.flat(k), h[static_cast<std::size_t>(k)] = h0.flat(k);
  for (std::int64_t t = 0; t < steps; ++t) {
    std::vector<double> cn(c), hn(h);
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t u = 0; u < U; ++u) {
        double z[4];
        for (int g = 0; g < 4; ++g) {
          const std::int64_t col = g * U + u;
          z[g] = bias.flat(col);
          for (std::int64_t i = 0; i < I; ++i) z[g] += x.flat((t * B + b) * I + i) * K.flat(i * 4 * U + col);
          for (std::int64_t v = 0; v < U; ++v) z[g] += h[static_cast<std::size_t>(b * U + v)] * K.flat((I + v) * 4 * U + col);
        }
        const std::size_t k = static_cast<std::size_t>(b * U + u);
        cn[k] = sg(z[2] + forget_bias) * c[k] + sg(z[0]) * std::tanh(z[1]);
        hn[k] = sg(z[3]) * std::tanh(cn[k]);
        y.data<double>()[(t * B + b) * U + u] = hn[k];
      }
    c = cn, h = hn;
  }
  for (std::int64_t k = 0; k < B * U; ++k) y.data<double>()[steps * B * U + k] = c[static_cast<std::size_t>(k)];
  return y;
}
// start, start + step, ... (n float32 values).
T ramp_f32(int n, float start, float step) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = start + step * static_cast<float>(i);
  return F32(v, {n});
}
T as_f64(const T& t) { return t.astype(DType::f64); }
T as_f32(const T& t) { return t.astype(DType::f32); }
// Softmax of one row, for the rows whose values are not simple fractions.
std::vector<double> softmax_row(std::vector<double> x) {
  double mx = x[0], sum = 0;
  for (double v : x) mx = std::max(mx, v);
  for (double& v : x) sum += (v = std::exp(v - mx));
  for (double& v : x) v /= sum;
  return x;
}
// `row` repeated along the leading axes of `s`.
T tile_rows(const std::vector<double>& row, const Shape& s) {
  T t(DType::f64, s);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<double>()[i] = row[static_cast<std::size_t>(i) % row.size()];
  return t;
}
// Integer-valued float64 entries in [-5, 5]: every summation order gives the exact product.
T ints(const Shape& s, int seed) {
  T t(DType::f64, s);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<double>()[i] = static_cast<double>((i * 7 + seed) % 11 - 5);
  return t;
}
// The textbook triple loop, for shapes too big to multiply by hand (a 1-D operand is a row on
// the left, a column on the right, as numpy's dot).
T ref_matmul(const T& a, const T& b, bool ta, bool tb) {
  auto at = [](const T& x, bool t, std::int64_t i, std::int64_t j) {
    if (x.rank() == 1) return x.flat(i + j);  // one of i, j is 0
    return t ? x.flat(j * x.shape()[1] + i) : x.flat(i * x.shape()[1] + j);
  };
  const std::int64_t m = a.rank() == 1 ? 1 : a.shape()[ta ? 1 : 0], k = a.shape().dim(a.rank() == 1 || ta ? 0 : 1);
  const std::int64_t n = b.rank() == 1 ? 1 : b.shape()[tb ? 0 : 1];
  Shape s;
  if (a.rank() == 2) s.push_back(m);
  if (b.rank() == 2) s.push_back(n);
  T c(DType::f64, s);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (std::int64_t p = 0; p < k; ++p) sum += at(a, ta, i, p) * at(b, tb, p, j);
      c.data<double>()[i * n + j] = sum;
    }
  return c;
}
// User-defined ops: y = x^3 with dx = 3 x^2 dy built from graph ops, and one without a gradient.
struct Cube : CustomOp {
  std::string type() const override { return "cube"; }
  Tensor compute(const std::vector<Tensor>& in) override {
    return ew(in[0], [](double v) { return v * v * v; });
  }
  std::vector<Node> gradient(const Node& op, const Node& dy) override {
    return {multiply(dy, multiply(square(op.input(0)), scalar(3, DType::f64)))};
  }
};
struct RowCount : CustomOp {  // the number of rows, as int64: not differentiable
  std::string type() const override { return "row_count"; }
  Tensor compute(const std::vector<Tensor>& in) override { return Tensor::scalar<std::int64_t>(in[0].shape()[0]); }
};

// An op built through the generic path, with attributes by name (those ops.h does not expose:
// broadcast_like's reduction mode, fill_like's 0-d form).
Node raw_op(const char* name, const std::vector<Node>& in, const std::vector<std::pair<std::string, AttrValue>>& a) {
  const OpDef& def = *find_op(name);
  return make_op(def, in, def.attrs->from(a, name));
}
// broadcast_like in reduction mode: y is like's shape reduced over `axes` (all when empty).
Node unreduce(const std::vector<Node>& x, std::vector<std::int64_t> axes, bool keepdims, bool mean) {
  const bool all = axes.empty();
  return raw_op("broadcast_like", {x[0], x[1]},
                {{"axes", axes}, {"all_axes", all}, {"keepdims", keepdims}, {"mean", mean}});
}

// Shared inputs.
const T A23{{1., 2., 3.}, {4., 5., 6.}};
const T B23{{0.5, -1., 2.}, {3., -0.25, 4.}};
const T R3{10., 20., 30.};
const T D3{2., 4., 8.};
const T C21{{1.}, {2.}};
const T R13{{10., 20., 30.}};
const T D13{{2., 4., 8.}};
const T M23{{1., 5., 3.}, {4., 2., 6.}};  // distinct values: no max ties
const T X3{{{1., 2., 3.}, {4., 5., 6.}}, {{7., 8., 9.}, {10., 11., 12.}}};  // [2, 2, 3]
const T P213{{{1., 2., 3.}}, {{4., 5., 6.}}};  // [2, 1, 3]
const T MB{{1., 0.5}, {-1., 2.}, {0., 3.}};  // [3, 2]; A23 . MB = [[-1, 13.5], [-1, 30]]
const T AB{{-1., 13.5}, {-1., 30.}};
const T At{{1., 4.}, {2., 5.}, {3., 6.}};         // A23 transposed
const T MBt{{1., -1., 0.}, {0.5, 2., 3.}};        // MB transposed
const T I2{{1., 0.}, {0., 1.}};
const T R123{1., 2., 3.};
const T LOGITS{{0., kLn2, kLn3}, {0., 0., 0.}};   // softmax rows [1/6, 2/6, 3/6], [1/3, 1/3, 1/3]
const T BIG{{10000., 10001., 10002.}, {-10000., 0., 10000.}};
const T ZEROS3 = T::zeros({3}), ZEROS21 = T::zeros({2, 1}), ZEROS13 = T::zeros({1, 3}), ZEROS23 = T::zeros({2, 3});

// conv2d by its definition (NHWC, filters HWIO, the same stride s and dilation d along both axes,
// padding pt before the rows and pl before the columns) and, with dy given, its two adjoints.
struct RefConv {
  T y, dx, dw;
};
RefConv ref_conv2d(const T& x, const T& w, const T& dy, std::int64_t s, std::int64_t d, std::int64_t pt,
                   std::int64_t pl) {
  const Shape &xs = x.shape(), &ws = w.shape(), &ys = dy.shape();
  RefConv r{T(DType::f64, ys), T(DType::f64, xs), T(DType::f64, ws)};
  for (std::int64_t n = 0; n < ys[0]; ++n)
    for (std::int64_t i = 0; i < ys[1]; ++i)
      for (std::int64_t j = 0; j < ys[2]; ++j)
        for (std::int64_t p = 0; p < ws[0]; ++p)
          for (std::int64_t q = 0; q < ws[1]; ++q)
            for (std::int64_t c = 0; c < ws[2]; ++c)
              for (std::int64_t o = 0; o < ws[3]; ++o) {
                const std::int64_t h = i * s - pt + p * d, v = j * s - pl + q * d;
                if (h < 0 || h >= xs[1] || v < 0 || v >= xs[2]) continue;
                const std::int64_t xi = ((n * xs[1] + h) * xs[2] + v) * xs[3] + c;
                const std::int64_t wi = ((p * ws[1] + q) * ws[2] + c) * ws[3] + o;
                const std::int64_t yi = ((n * ys[1] + i) * ys[2] + j) * ys[3] + o;
                r.y.data<double>()[yi] += x.flat(xi) * w.flat(wi);
                r.dx.data<double>()[xi] += dy.flat(yi) * w.flat(wi);
                r.dw.data<double>()[wi] += x.flat(xi) * dy.flat(yi);
              }
  return r;
}
// An NHWC batch in NCHW.
T nchw(const T& x) {
  const Shape& s = x.shape();
  T t(x.dtype(), {s[0], s[3], s[1], s[2]});
  for (std::int64_t i = 0; i < x.size(); ++i) {
    const std::int64_t c = i % s[3], v = i / s[3] % s[2], h = i / (s[3] * s[2]) % s[1], n = i / (s[3] * s[2] * s[1]);
    t.data<double>()[((n * s[3] + c) * s[1] + h) * s[2] + v] = x.flat(i);
  }
  return t;
}
// A tensor of shape s from its row-major values (4-D images, which braces cannot spell).
T img(std::vector<double> v, const Shape& s) { return T::from_vector(v, s); }
// 1..9 as a [1, 3, 3, 1] NHWC image (rows 1 2 3 / 4 5 6 / 7 8 9), and negated.
const T IMG9 = img({1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 3, 3, 1});
const T NEG9 = img({-1, -2, -3, -4, -5, -6, -7, -8, -9}, {1, 3, 3, 1});
const std::vector<std::int64_t> k2{1, 2, 2, 1}, k3{1, 3, 3, 1}, s1{1, 1, 1, 1}, s2{1, 2, 2, 1};
// The gradient of sum(f(x)^2) w.r.t. x: a node of f's gradient op, whose own gradient the line checks.
Node grad_of_square(const Node& fx, const Node& x) { return gradients(reduce_sum(square(fx)), {x})[0]; }

std::vector<OpCase> make_cases() {
  const std::vector<double> big0 = softmax_row({0., 1., 2.});
  const double lse012 = std::log(1 + std::exp(1.) + std::exp(2.));
  const auto sig = [](double v) { return 1 / (1 + std::exp(-v)); };
  const Builder xent = B(softmax_cross_entropy_with_logits(x[0], x[1]));
  // conv2d: x 1..9 [1,3,3,1] with w [[1,2],[3,4]]; G1: batch 2, 5x4, 3 -> 2 channels, 3x3 kernel, SAME
  // at stride 2 (pads: rows 1 before, 1 after; columns 0 before, 1 after); G2: dilation 2, VALID.
  const T X33 = T{1., 2., 3., 4., 5., 6., 7., 8., 9.}.reshaped({1, 3, 3, 1});
  // block_lstm: x [3, 2, 2], c0 and h0 [2, 2], kernel [4, 8], bias [8], values of either sign
  auto scaled = [](const T& t, double k) { return ew(t, [k](double v) { return k * v; }); };
  const T LX = scaled(ints({3, 2, 2}, 1), 0.2), LX1 = scaled(ints({1, 2, 2}, 3), 0.25), LC = scaled(ints({2, 2}, 2), 0.3),
          LH = scaled(ints({2, 2}, 4), 0.1), LK = scaled(ints({4, 8}, 5), 0.15), LB = scaled(ints({8}, 6), 0.1);
  const T W22 = T{1., 2., 3., 4.}.reshaped({2, 2, 1, 1});
  const T X1 = ints({2, 5, 4, 3}, 1), W1 = ints({3, 3, 3, 2}, 2), DY1 = ints({2, 3, 2, 2}, 3);
  const T X2 = ints({1, 5, 5, 2}, 4), W2 = ints({2, 2, 2, 3}, 5), DY2 = ints({1, 3, 3, 3}, 6);
  const RefConv g1 = ref_conv2d(X1, W1, DY1, 2, 1, 1, 0), g2 = ref_conv2d(X2, W2, DY2, 1, 2, 0, 0);
  const RefConv g1y = ref_conv2d(X1, W1, ew(g1.y, [](double v) { return 2 * v; }), 2, 1, 1, 0);
  const T ONES221 = T::full({1, 2, 2, 1}, 1);
  return {
      // --- element-wise binary, with numpy broadcasting ---
      {"add", "[2,3]+[2,3]", B(add(x[0], x[1])), {A23, B23}, T{{1.5, 1., 5.}, {7., 4.75, 10.}}},
      {"add", "[2,3]+[3]", B(add(x[0], x[1])), {A23, R3}, T{{11., 22., 33.}, {14., 25., 36.}}},
      {"add", "[2,1]+[1,3]", B(add(x[0], x[1])), {C21, R13}, T{{11., 21., 31.}, {12., 22., 32.}}},
      {"add", "scalar+[2,3]", B(add(x[0], x[1])), {S(2), A23}, T{{3., 4., 5.}, {6., 7., 8.}}},
      {"add", "[3]+[2,3]", B(add(x[0], x[1])), {R3, A23}, T{{11., 22., 33.}, {14., 25., 36.}}},
      {"add", "3-D [2,2,3]+[2,1]", B(add(x[0], x[1])), {X3, C21},
       T{{{2., 3., 4.}, {6., 7., 8.}}, {{8., 9., 10.}, {12., 13., 14.}}}},
      {"add", "scalar+scalar", B(add(x[0], x[1])), {S(1.5), S(-4)}, S(-2.5)},
      {"add", "x + 0.5 (operator, weak scalar)", B(x[0] + 0.5), {A23}, T{{1.5, 2.5, 3.5}, {4.5, 5.5, 6.5}}},
      {"add", "int32 [2]+[2]", B(add(x[0], x[1])), {I32({1, 2}, {2}), I32({3, -4}, {2})}, I32({4, -2}, {2}), kNoGrad},
      {"add", "float32 [2,3]+[3]", B(add(x[0], x[1])), {F32({1, 2, 3, 4, 5, 6}, {2, 3}), F32({.5f, .25f, 1}, {3})},
       F32({1.5f, 2.25f, 4, 4.5f, 5.25f, 7}, {2, 3}), kNoGrad},
      {"subtract", "[2,3]-[2,3]", B(subtract(x[0], x[1])), {A23, B23}, T{{0.5, 3., 1.}, {1., 5.25, 2.}}},
      {"subtract", "[2,3]-[3]", B(subtract(x[0], x[1])), {A23, R3}, T{{-9., -18., -27.}, {-6., -15., -24.}}},
      {"subtract", "[2,1]-[1,3]", B(subtract(x[0], x[1])), {C21, R13}, T{{-9., -19., -29.}, {-8., -18., -28.}}},
      {"subtract", "scalar-[2,3]", B(subtract(x[0], x[1])), {S(2), A23}, T{{1., 0., -1.}, {-2., -3., -4.}}},
      {"subtract", "[3]-[2,3]", B(subtract(x[0], x[1])), {R3, A23}, T{{9., 18., 27.}, {6., 15., 24.}}},
      {"subtract", "1 - x (operator)", B(1.0 - x[0]), {R3}, T{-9., -19., -29.}},
      {"multiply", "[2,3]*[2,3]", B(multiply(x[0], x[1])), {A23, B23}, T{{0.5, -2., 6.}, {12., -1.25, 24.}}},
      {"multiply", "[2,3]*[3]", B(multiply(x[0], x[1])), {A23, R3}, T{{10., 40., 90.}, {40., 100., 180.}}},
      {"multiply", "[2,1]*[1,3]", B(multiply(x[0], x[1])), {C21, R13}, T{{10., 20., 30.}, {20., 40., 60.}}},
      {"multiply", "scalar*[2,3]", B(multiply(x[0], x[1])), {S(2), A23}, T{{2., 4., 6.}, {8., 10., 12.}}},
      {"multiply", "[3]*[2,3]", B(multiply(x[0], x[1])), {R3, A23}, T{{10., 40., 90.}, {40., 100., 180.}}},
      {"multiply", "3-D [2,1,3]*[1,2,1]", B(multiply(x[0], x[1])), {P213, T{{{1.}, {-1.}}}},
       T{{{1., 2., 3.}, {-1., -2., -3.}}, {{4., 5., 6.}, {-4., -5., -6.}}}},
      {"multiply", "same node twice: x*x", B(multiply(x[0], x[0])), {B23}, T{{0.25, 1., 4.}, {9., 0.0625, 16.}}},
      {"divide", "[2,3]/[2,3]", B(divide(x[0], x[1])), {A23, B23}, T{{2., -2., 1.5}, {4. / 3, -20., 1.5}}},
      {"divide", "[2,3]/[3]", B(divide(x[0], x[1])), {A23, D3}, T{{0.5, 0.5, 0.375}, {2., 1.25, 0.75}}},
      {"divide", "[2,1]/[1,3]", B(divide(x[0], x[1])), {C21, D13}, T{{0.5, 0.25, 0.125}, {1., 0.5, 0.25}}},
      {"divide", "scalar/[2,3]", B(divide(x[0], x[1])), {S(2), A23}, T{{2., 1., 2. / 3}, {0.5, 0.4, 1. / 3}}},
      {"divide", "[3]/[2,3]", B(divide(x[0], x[1])), {D3, A23}, T{{2., 2., 8. / 3}, {0.5, 0.8, 4. / 3}}},
      {"divide", "int32 truncates toward 0", B(divide(x[0], x[1])), {I32({7, -7}, {2}), I32({2, 2}, {2})},
       I32({3, -3}, {2}), kNoGrad},
      // maximum/minimum: no ties on differentiated lines (a tie is a kink; tested by name)
      {"maximum", "[2,3] vs [3]", B(maximum(x[0], x[1])), {M23, T{2.5, 2.5, 4.5}}, T{{2.5, 5., 4.5}, {4., 2.5, 6.}}},
      {"maximum", "[2,1] vs [1,3]", B(maximum(x[0], x[1])), {C21, T{{0.5, 1.5, 2.5}}},
       T{{1., 1.5, 2.5}, {2., 2., 2.5}}},
      {"maximum", "scalar vs [2,3]", B(maximum(x[0], x[1])), {S(3.5), M23}, T{{3.5, 5., 3.5}, {4., 3.5, 6.}}},
      {"maximum", "NaN propagates (numpy)", B(maximum(x[0], x[1])), {T{kNaN, 1., 2.}, T{0., kNaN, 1.}},
       T{kNaN, kNaN, 2.}, kNoGrad},
      {"maximum", "int32", B(maximum(x[0], x[1])), {I32({1, -5, 3}, {3}), I32({2, -7, 3}, {3})},
       I32({2, -5, 3}, {3}), kNoGrad},
      {"maximum", "clip_by_value(x, 1.5, 4.5)", B(clip_by_value(x[0], 1.5, 4.5)), {M23},
       T{{1.5, 4.5, 3.}, {4., 2., 4.5}}},
      {"maximum", "clip_by_value, bounds [3] and [2,1]", B(clip_by_value(x[0], x[1], x[2])),
       {M23, T{0.5, 2.5, 3.5}, T{{4.5}, {3.}}}, T{{1., 4.5, 3.5}, {3., 2.5, 3.5}}},
      {"minimum", "[2,3] vs [3]", B(minimum(x[0], x[1])), {M23, T{2.5, 2.5, 4.5}}, T{{1., 2.5, 3.}, {2.5, 2., 4.5}}},
      {"minimum", "[2,1] vs [1,3]", B(minimum(x[0], x[1])), {C21, T{{0.5, 1.5, 2.5}}},
       T{{0.5, 1., 1.}, {0.5, 1.5, 2.}}},
      {"minimum", "[3] vs scalar", B(minimum(x[0], x[1])), {T{1., 5., -3.}, S(2.5)}, T{1., 2.5, -3.}},
      {"minimum", "NaN propagates (numpy)", B(minimum(x[0], x[1])), {T{kNaN, 1., 2.}, T{0., kNaN, 1.}},
       T{kNaN, kNaN, 1.}, kNoGrad},
      {"minimum", "int64", B(minimum(x[0], x[1])), {I64({1, -5}, {2}), I64({2, -7}, {2})}, I64({1, -7}, {2}), kNoGrad},
      // pow: x > 0 where the exponent is differentiated (log x); x <= 0 by name
      {"pow", "[2,3]^[3]", B(pow(x[0], x[1])), {A23, T{2., 0.5, -1.}},
       T{{1., std::sqrt(2.), 1. / 3}, {16., std::sqrt(5.), 1. / 6}}},
      {"pow", "[2,1]^[1,3]", B(pow(x[0], x[1])), {C21, T{{0., 1., 3.}}}, T{{1., 1., 1.}, {1., 2., 8.}}},
      {"pow", "scalar^[3]", B(pow(x[0], x[1])), {S(2), T{-1., 0.5, 3.}}, T{0.5, std::sqrt(2.), 8.}},
      {"pow", "negative base, whole exponent (forward)", B(pow(x[0], x[1])), {T{-2., -1.5, 0.5}, S(2)},
       T{4., 2.25, 0.25}, kNoGrad},
      {"pow", "int32 exact", B(pow(x[0], x[1])), {I32({2, -3, 0, 7}, {4}), I32({3, 3, 0, 1}, {4})},
       I32({8, -27, 1, 7}, {4}), kNoGrad},
      {"pow", "int64 wraps on overflow (numpy)", B(pow(x[0], x[1])), {I64({3}, {1}), I64({41}, {1})},
       I64({static_cast<std::int64_t>(0xfa2a1cf67b5fb863ULL)}, {1}), kNoGrad},

      // --- element-wise unary ---
      {"negative", "[2,3]", B(negative(x[0])), {B23}, T{{-0.5, 1., -2.}, {-3., 0.25, -4.}}},
      {"negative", "int64", B(negative(x[0])), {I64({3, -2}, {2})}, I64({-3, 2}, {2}), kNoGrad},
      {"abs", "[2,3]", B(abs(x[0])), {B23}, T{{0.5, 1., 2.}, {3., 0.25, 4.}}},
      {"abs", "0 and -0 (forward only)", B(abs(x[0])), {T{-1., 0., -0., 2.}}, T{1., 0., 0., 2.}, kNoGrad},
      {"abs", "int32, the most negative wraps (numpy)", B(abs(x[0])), {I32({-3, 0, 5, INT32_MIN}, {4})},
       I32({3, 0, 5, INT32_MIN}, {4}), kNoGrad},
      {"identity", "[2,3]", B(identity(x[0])), {B23}, B23},
      {"identity", "int32", B(identity(x[0])), {I32({1, -2}, {2})}, I32({1, -2}, {2}), kNoGrad},
      {"identity", "bool", B(identity(x[0])), {Bools({1, 0}, {2})}, Bools({1, 0}, {2}), kNoGrad},
      // stop_gradient's gradient (none flows) is tested by name in test_tf_surface.cpp
      {"stop_gradient", "[2,3]: x unchanged", B(stop_gradient(x[0])), {B23}, B23, kNoGrad},
      {"stop_gradient", "int64", B(stop_gradient(x[0])), {I64({7, -1}, {2})}, I64({7, -1}, {2}), kNoGrad},
      {"exp", "[4]", B(exp(x[0])), {T{-1., 0., 0.5, 2.}},
       ew(T{-1., 0., 0.5, 2.}, [](double v) { return std::exp(v); })},
      {"exp", "0 and ln2", B(exp(x[0])), {T{0., kLn2}}, T{1., 2.}},
      {"log", "[4]", B(log(x[0])), {T{0.5, 1., 2., 10.}},
       ew(T{0.5, 1., 2., 10.}, [](double v) { return std::log(v); })},
      {"log", "[2,2]", B(log(x[0])), {T{{1., std::exp(1.)}, {std::exp(-2.), 4.}}}, T{{0., 1.}, {-2., 2 * kLn2}}},
      {"square", "[4]", B(square(x[0])), {T{-1.5, 0., 2., 3.}}, T{2.25, 0., 4., 9.}},
      {"sqrt", "[4]", B(sqrt(x[0])), {T{0.25, 1., 4., 9.}}, T{0.5, 1., 2., 3.}},
      {"sigmoid", "[5]", B(sigmoid(x[0])), {T{-2., -0.5, 0., 0.5, 3.}}, ew(T{-2., -0.5, 0., 0.5, 3.}, sig)},
      {"sigmoid", "x = +-1000 stays finite", B(sigmoid(x[0])), {T{-1000., 1000.}}, T{0., 1.}},
      {"sigmoid", "float32", B(sigmoid(x[0])), {F32({0, 2, -2}, {3})},
       F32({0.5f, static_cast<float>(sig(2)), static_cast<float>(sig(-2))}, {3}), kNoGrad},
      {"relu", "[2,3] away from 0", B(relu(x[0])), {B23}, T{{0.5, 0., 2.}, {3., 0., 4.}}},
      {"relu", "[4] with x = 0 (forward only)", B(relu(x[0])), {T{-1., 0., 1e-300, 2.}},
       T{0., 0., 1e-300, 2.}, kNoGrad},
      {"log1p", "[4]", B(log1p(x[0])), {T{-0.5, 0., 1e-10, 3.}},
       ew(T{-0.5, 0., 1e-10, 3.}, [](double v) { return std::log1p(v); })},
      {"log1p", "1e-300 keeps its digits (log(1 + x) would give 0)", B(log1p(x[0])), {T{1e-300}}, T{1e-300}, kNoGrad},
      {"leaky_relu", "[2,3], alpha 0.2 (the default)", B(nn::leaky_relu(x[0])), {B23}, T{{0.5, -0.2, 2.}, {3., -0.05, 4.}}},
      // --- collectives: in this process a world of one (tests/distributed/ runs them over 2 ranks) ---
      {"allreduce", "mean over one rank: x", B(distributed::allreduce(x[0])), {B23}, B23},
      {"allreduce", "sum over one rank, float32", B(distributed::allreduce(x[0], distributed::ReduceOp::sum)),
       {F32({-2, 0, 3}, {3})}, F32({-2, 0, 3}, {3}), kNoGrad},  // float32: the forward only
      {"allreduce", "sum over one rank", B(distributed::allreduce(x[0], distributed::ReduceOp::sum)), {B23}, B23},
      {"allreduce", "sum of int64", B(distributed::allreduce(x[0], distributed::ReduceOp::sum)), {I64({4, -5}, {2})},
       I64({4, -5}, {2}), kNoGrad},
      {"broadcast", "from rank 0 of one", B(distributed::broadcast(x[0], 0)), {B23}, B23},
      {"leaky_relu", "alpha 0.5, float32", B(nn::leaky_relu(x[0], 0.5)), {F32({-2, 0, 3}, {3})}, F32({-1, 0, 3}, {3}),
       kNoGrad},
      {"softplus", "[5]", B(nn::softplus(x[0])), {T{-3., -0.5, 0., 0.5, 4.}},
       ew(T{-3., -0.5, 0., 0.5, 4.}, [](double v) { return std::log(1 + std::exp(v)); })},
      {"softplus", "x = +-1000 stays finite", B(nn::softplus(x[0])), {T{-1000., 1000.}}, T{0., 1000.}, kNoGrad},
      {"log1p", "float32, x = -1, 1e30 and inf", B(log1p(x[0])), {F32({-1, 1e-20f, 1e30f, INFINITY}, {4})},
       F32({-INFINITY, 1e-20f, static_cast<float>(std::log1p(1e30)), INFINITY}, {4}), kNoGrad},
      {"sigmoid_cross_entropy_with_logits", "[2,3] labels in [0, 1]: -z ln s(x) - (1 - z) ln(1 - s(x))",
       B(nn::sigmoid_cross_entropy_with_logits(x[0], x[1])), {T{{0., 1., 0.5}, {0.25, 1., 0.}}, B23},
       bce(T{{0., 1., 0.5}, {0.25, 1., 0.}}, B23)},
      {"sigmoid_cross_entropy_with_logits", "x = +-800 stays finite (max(x,0) - xz)",
       B(nn::sigmoid_cross_entropy_with_logits(x[0], x[1])), {T{0.25, 0.75}, T{-800., 800.}}, T{200., 200.}, kNoGrad},
      {"sigmoid_cross_entropy_with_logits", "float32, 300 elements (the vector loop and its blocks)",
       B(nn::sigmoid_cross_entropy_with_logits(x[0], x[1])), {ramp_f32(300, 0.0f, 1.0f / 300), ramp_f32(300, -15.f, 0.1f)},
       as_f32(bce(as_f64(ramp_f32(300, 0.0f, 1.0f / 300)), as_f64(ramp_f32(300, -15.f, 0.1f)))), kNoGrad},
      {"relu_grad", "[2,3]: gradients where features > 0", B(nn::relu_grad(x[0], x[1])), {A23, B23},
       T{{1., 0., 3.}, {4., 0., 6.}}},
      {"relu_grad", "features 0 and NaN pass nothing; an infinite gradient where features < 0 gives 0, not NaN",
       B(nn::relu_grad(x[0], x[1])), {T{1., 2., kInf, 4.}, T{0., kNaN, -1., 1e-300}}, T{0., 0., 0., 4.}, kNoGrad},
      {"relu_grad", "float32", B(nn::relu_grad(x[0], x[1])), {F32({1, 2, 3}, {3}), F32({-1, 0.5f, 2}, {3})},
       F32({0, 2, 3}, {3}), kNoGrad},
      {"relu_grad", "second derivative: the gradient in x of sum((relu(x)·w)²), 2 relu(x) w² [x > 0], checked in x and w",
       B(gradients(reduce_sum(square(relu(x[0]) * x[1])), {x[0]})[0]), {B23, A23},
       T{{1., 0., 36.}, {96., 0., 288.}}},
      {"tanh", "[5]", B(tanh(x[0])), {T{-2., -0.5, 0., 0.5, 3.}},
       ew(T{-2., -0.5, 0., 0.5, 3.}, [](double v) { return std::tanh(v); })},
      {"check_numerics", "finite [2,3]: x unchanged, gradient dy", B(check_numerics(x[0], "m")), {B23}, B23},
      {"check_numerics", "float32 extremes (max, min subnormal) pass", B(check_numerics(x[0], "m")),
       {F32({3.4028235e38f, 1e-45f, -0.f}, {3})}, F32({3.4028235e38f, 1e-45f, -0.f}, {3}), kNoGrad},
      {"check_numerics", "int32 passes (always finite)", B(check_numerics(x[0], "m")), {I32({1, -2}, {2})},
       I32({1, -2}, {2}), kNoGrad},

      // --- matmul: all four rank combinations, transpose flags ---
      {"matmul", "[2,3].[3,2]", B(matmul(x[0], x[1])), {A23, MB}, AB},
      {"matmul", "[2,3].[3]", B(matmul(x[0], x[1])), {A23, T{1., -1., 2.}}, T{5., 11.}},
      {"matmul", "[2].[2,3]", B(matmul(x[0], x[1])), {T{1., -2.}, A23}, T{-7., -8., -9.}},
      {"matmul", "[3].[3] -> scalar", B(matmul(x[0], x[1])), {T{1., 2., 3.}, T{4., -5., 6.}}, S(12)},
      {"matmul", "transpose_a [3,2]^T.[3,2]", B(matmul(x[0], x[1], true, false)), {At, MB}, AB},
      {"matmul", "transpose_b [2,3].[2,3]^T", B(matmul(x[0], x[1], false, true)), {A23, MBt}, AB},
      {"matmul", "both transposed", B(matmul(x[0], x[1], true, true)), {At, MBt}, AB},
      {"matmul", "transpose_a [3,2]^T.[3]", B(matmul(x[0], x[1], true, false)), {At, T{1., -1., 2.}}, T{5., 11.}},
      {"matmul", "transpose_b [3].[2,3]^T", B(matmul(x[0], x[1], false, true)), {T{1., -1., 2.}, MBt}, T{2., 4.5}},
      {"matmul", "batch 1: [1,3].[3,1]", B(matmul(x[0], x[1])), {T{{1., 2., 3.}}, T{{1.}, {0.}, {-1.}}}, T{{-2.}}},
      {"matmul", "float32 [2,3].[3,2]", B(matmul(x[0], x[1])), {A23.astype(DType::f32), MB.astype(DType::f32)},
       AB.astype(DType::f32), kNoGrad},
      // Big enough (m*n*k >= 4096) for a BLAS-backed path: against the textbook loop.
      {"matmul", "[17,19].[19,23]", B(matmul(x[0], x[1])), {ints({17, 19}, 1), ints({19, 23}, 2)},
       ref_matmul(ints({17, 19}, 1), ints({19, 23}, 2), false, false)},
      {"matmul", "transpose_a [19,17]^T.[19,23]", B(matmul(x[0], x[1], true, false)),
       {ints({19, 17}, 3), ints({19, 23}, 4)},
       
       ref_matmul(ints({19, 17}, 3), ints({19, 23}, 4), true, false)},
      {"matmul", "transpose_b [17,19].[23,19]^T", B(matmul(x[0], x[1], false, true)),
       {ints({17, 19}, 5), ints({23, 19}, 6)},
       
       ref_matmul(ints({17, 19}, 5), ints({23, 19}, 6), false, true)},
      {"matmul", "both transposed [19,17]^T.[23,19]^T", B(matmul(x[0], x[1], true, true)),
       {ints({19, 17}, 7), ints({23, 19}, 8)},
       
       ref_matmul(ints({19, 17}, 7), ints({23, 19}, 8), true, true)},
      {"matmul", "[40,130].[130]", B(matmul(x[0], x[1])), {ints({40, 130}, 9), ints({130}, 10)},
       ref_matmul(ints({40, 130}, 9), ints({130}, 10), false, false)},
      {"matmul", "[130].[130,40]", B(matmul(x[0], x[1])), {ints({130}, 1), ints({130, 40}, 2)},
       ref_matmul(ints({130}, 1), ints({130, 40}, 2), false, false)},
      {"matmul", "[130].[40,130]^T", B(matmul(x[0], x[1], false, true)), {ints({130}, 3), ints({40, 130}, 4)},
       ref_matmul(ints({130}, 3), ints({40, 130}, 4), false, true)},
      {"matmul", "float32 [17,19]^T.[23,19]^T", B(matmul(x[0], x[1], true, true)),
       {ints({19, 17}, 5).astype(DType::f32), ints({23, 19}, 6).astype(DType::f32)},
       ref_matmul(ints({19, 17}, 5), ints({23, 19}, 6), true, true).astype(DType::f32), kNoGrad},
      // --- matmul_grad: matmul's gradient for operands of unknown rank (inputs a, b, dc) ---
      {"matmul_grad", "da, [2,3].[3,2]: dc.op(b)^T", B(matmul_grad(x[0], x[1], x[2], 0)), {A23, MB, I2}, MBt},
      {"matmul_grad", "db, [2,3].[3,2]: op(a)^T.dc", B(matmul_grad(x[0], x[1], x[2], 1)), {A23, MB, I2}, At},
      {"matmul_grad", "da, [3].[3,2]: b.dc", B(matmul_grad(x[0], x[1], x[2], 0)), {R123, MB, T{1., -1.}},
       T{0.5, -3., -3.}},
      {"matmul_grad", "db, [3].[3,2]: a outer dc", B(matmul_grad(x[0], x[1], x[2], 1)), {R123, MB, T{1., -1.}},
       T{{1., -1.}, {2., -2.}, {3., -3.}}},
      {"matmul_grad", "da, [2,3].[3]: dc outer b", B(matmul_grad(x[0], x[1], x[2], 0)), {A23, T{1., -1., 2.}, T{1., 2.}},
       T{{1., -1., 2.}, {2., -2., 4.}}},
      {"matmul_grad", "db, [2,3].[3]: a^T.dc", B(matmul_grad(x[0], x[1], x[2], 1)), {A23, T{1., -1., 2.}, T{1., 2.}},
       T{9., 12., 15.}},
      {"matmul_grad", "da, [3].[3] -> scalar: dc b", B(matmul_grad(x[0], x[1], x[2], 0)), {R123, T{4., -5., 6.}, S(2)},
       T{8., -10., 12.}},
      {"matmul_grad", "db, [3].[3] -> scalar: dc a", B(matmul_grad(x[0], x[1], x[2], 1)), {R123, T{4., -5., 6.}, S(2)},
       T{2., 4., 6.}},
      {"matmul_grad", "da, transpose_a [3,2]^T.[3,2]", B(matmul_grad(x[0], x[1], x[2], 0, true, false)), {At, MB, I2}, MB},
      {"matmul_grad", "db, transpose_b [2,3].[2,3]^T", B(matmul_grad(x[0], x[1], x[2], 1, false, true)), {A23, MBt, I2},
       A23},
      {"matmul_grad", "da, both transposed, dc not the identity", B(matmul_grad(x[0], x[1], x[2], 0, true, true)),
       {At, MBt, AB}, ref_matmul(MB, AB, false, true)},  // (dc.op(b)^T)^T = op(b).dc^T = MB.AB^T

      // --- softmax family (last axis) ---
      {"softmax", "rows [2,3]", B(softmax(x[0])), {LOGITS}, T{{1. / 6, 2. / 6, 3. / 6}, {1. / 3, 1. / 3, 1. / 3}}},
      {"softmax", "1-D", B(softmax(x[0])), {T{0., kLn3}}, T{0.25, 0.75}},
      {"softmax", "logits of magnitude 1e4", B(softmax(x[0])), {BIG}, T{{big0[0], big0[1], big0[2]}, {0., 0., 1.}}},
      {"softmax", "3-D [2,2,3]: rows k, k+1, k+2", B(softmax(x[0])), {X3},
       tile_rows(big0, {2, 2, 3})},
      {"softmax", "float32", B(softmax(x[0])), {LOGITS.astype(DType::f32)},
       F32({1.f / 6, 2.f / 6, 3.f / 6, 1.f / 3, 1.f / 3, 1.f / 3}, {2, 3}), kNoGrad},
      {"log_softmax", "rows [2,3]", B(log_softmax(x[0])), {LOGITS},
       T{{-std::log(6.), -kLn3, -kLn2}, {-kLn3, -kLn3, -kLn3}}},
      {"log_softmax", "logits of magnitude 1e4", B(log_softmax(x[0])), {BIG},
       T{{-lse012, 1 - lse012, 2 - lse012}, {-20000., -10000., 0.}}},
      {"softmax_cross_entropy_with_logits", "rows [2,3] -> [2]", xent,
       {T{{0., 0., 1.}, {0.5, 0.5, 0.}}, LOGITS}, T{kLn2, kLn3}},
      {"softmax_cross_entropy_with_logits", "1-D -> scalar", xent,
       {T{0.25, 0.75}, T{0., 0.}}, S(kLn2)},
      {"softmax_cross_entropy_with_logits", "3-D -> [2,2]", xent,
       {T{{{0., 0., 1.}, {0., 0., 1.}}, {{0., 0., 1.}, {0., 0., 1.}}}, X3}, T::full({2, 2}, lse012 - 2)},
      {"softmax_cross_entropy_with_logits", "logits of magnitude 1e4", xent,
       {T{{0., 0., 1.}, {1., 0., 0.}}, BIG}, T{lse012 - 2, 20000.}},

      {"sparse_softmax_cross_entropy_with_logits", "int64 labels, rows [2,3] -> [2]",
       B(sparse_softmax_cross_entropy_with_logits(x[0], x[1])), {I64({2, 1}, {2}), LOGITS}, T{kLn2, kLn3}},
      {"sparse_softmax_cross_entropy_with_logits", "int32 labels, 3-D -> [2,2]",
       B(sparse_softmax_cross_entropy_with_logits(x[0], x[1])), {I32({2, 2, 2, 2}, {2, 2}), X3},
       T::full({2, 2}, lse012 - 2)},
      {"sparse_softmax_cross_entropy_with_logits", "logits of magnitude 1e4",
       B(sparse_softmax_cross_entropy_with_logits(x[0], x[1])), {I64({2, 0}, {2}), BIG}, T{lse012 - 2, 20000.}},
      {"one_hot", "depth 3, float32", B(one_hot(x[0], 3)), {I64({2, 0, 1}, {3})},
       F32({0, 0, 1, 1, 0, 0, 0, 1, 0}, {3, 3}), kNoGrad},
      {"one_hot", "[2,1] int32 -> [2,1,4] float64", B(one_hot(x[0], 4, DType::f64)), {I32({3, 0}, {2, 1})},
       T{{{0., 0., 0., 1.}}, {{1., 0., 0., 0.}}}, kNoGrad},

      // --- reductions: axis None / int / negative / list, keepdims ---
      {"reduce_sum", "axis None", B(reduce_sum(x[0])), {A23}, S(21)},
      {"reduce_sum", "axis None keepdims", B(reduce_sum(x[0], {}, true)), {A23}, T{{21.}}},
      {"reduce_sum", "axis 0", B(reduce_sum(x[0], 0)), {A23}, T{5., 7., 9.}},
      {"reduce_sum", "axis 1", B(reduce_sum(x[0], 1)), {A23}, T{6., 15.}},
      {"reduce_sum", "axis -1", B(reduce_sum(x[0], -1)), {A23}, T{6., 15.}},
      {"reduce_sum", "axis -2 keepdims", B(reduce_sum(x[0], -2, true)), {A23}, T{{5., 7., 9.}}},
      {"reduce_sum", "axis 1 keepdims", B(reduce_sum(x[0], 1, true)), {A23}, T{{6.}, {15.}}},
      {"reduce_sum", "axis [0,1]", B(reduce_sum(x[0], {0, 1})), {A23}, S(21)},
      {"reduce_sum", "axis [0,1] keepdims", B(reduce_sum(x[0], {0, 1}, true)), {A23}, T{{21.}}},
      {"reduce_sum", "3-D axis [0,2]", B(reduce_sum(x[0], {0, 2})), {X3}, T{30., 48.}},
      {"reduce_sum", "3-D axis [-1,0] keepdims", B(reduce_sum(x[0], {-1, 0}, true)), {X3}, T{{{30.}, {48.}}}},
      {"reduce_sum", "3-D axis 1", B(reduce_sum(x[0], 1)), {X3}, T{{5., 7., 9.}, {17., 19., 21.}}},
      {"reduce_sum", "int32 axis 0", B(reduce_sum(x[0], 0)), {I32({1, 2, 3, 4}, {2, 2})}, I32({4, 6}, {2}), kNoGrad},
      {"reduce_mean", "axis None", B(reduce_mean(x[0])), {A23}, S(3.5)},
      {"reduce_mean", "axis 0", B(reduce_mean(x[0], 0)), {A23}, T{2.5, 3.5, 4.5}},
      {"reduce_mean", "axis -1 keepdims", B(reduce_mean(x[0], -1, true)), {A23}, T{{2.}, {5.}}},
      {"reduce_mean", "axis [0,1] keepdims", B(reduce_mean(x[0], {0, 1}, true)), {A23}, T{{3.5}}},
      {"reduce_mean", "3-D axis [0,2]", B(reduce_mean(x[0], {0, 2})), {X3}, T{5., 8.}},
      {"reduce_mean", "3-D axis 1 keepdims", B(reduce_mean(x[0], 1, true)), {X3},
       T{{{2.5, 3.5, 4.5}}, {{8.5, 9.5, 10.5}}}},
      {"reduce_mean", "float32 axis 0", B(reduce_mean(x[0], 0)), {A23.astype(DType::f32)},
       F32({2.5f, 3.5f, 4.5f}, {3}), kNoGrad},
      {"reduce_max", "axis None", B(reduce_max(x[0])), {M23}, S(6)},
      {"reduce_max", "axis 0", B(reduce_max(x[0], 0)), {M23}, T{4., 5., 6.}},
      {"reduce_max", "axis 1", B(reduce_max(x[0], 1)), {M23}, T{5., 6.}},
      {"reduce_max", "axis -1 keepdims", B(reduce_max(x[0], -1, true)), {M23}, T{{5.}, {6.}}},
      {"reduce_max", "axis [0,1] keepdims", B(reduce_max(x[0], {0, 1}, true)), {M23}, T{{6.}}},
      {"reduce_max", "3-D axis [0,2]", B(reduce_max(x[0], {0, 2})), {X3}, T{9., 12.}},
      {"reduce_max", "negative values", B(reduce_max(x[0], 0)), {T{{-3., -1.}, {-2., -5.}}}, T{-2., -1.}},
      {"reduce_max", "ties (forward; gradient in its own test)", B(reduce_max(x[0], 1)),
       {T{{1., 3., 3.}, {2., 2., 2.}}},
       T{3., 2.}, kNoGrad},
      {"argmax", "axis 0", B(argmax(x[0], 0)), {M23}, I64({1, 0, 1}, {3}), kNoGrad},
      {"argmax", "axis 1", B(argmax(x[0], 1)), {M23}, I64({1, 2}, {2}), kNoGrad},
      {"argmax", "axis -1", B(argmax(x[0], -1)), {M23}, I64({1, 2}, {2}), kNoGrad},
      {"argmax", "3-D axis 1", B(argmax(x[0], 1)), {T{{{1., 9.}, {3., 2.}}, {{0., 0.}, {5., -1.}}}},
       I64({1, 0, 1, 0}, {2, 2}), kNoGrad},
      {"argmax", "1-D ties: the first", B(argmax(x[0], 0)), {T{3., 1., 3.}}, I64({0}, {}), kNoGrad},
      {"argmax", "int32", B(argmax(x[0], 1)), {I32({1, 5, 7, 2}, {2, 2})}, I64({1, 0}, {2}), kNoGrad},
      {"argmax", "NaN: the first NaN (numpy)", B(argmax(x[0], 0)), {T{1., kNaN, 3., kNaN}}, I64({1}, {}), kNoGrad},
      {"reduce_min", "axis None", B(reduce_min(x[0])), {M23}, S(1)},
      {"reduce_min", "axis 0", B(reduce_min(x[0], 0)), {M23}, T{1., 2., 3.}},
      {"reduce_min", "axis 1", B(reduce_min(x[0], 1)), {M23}, T{1., 2.}},
      {"reduce_min", "axis -1 keepdims", B(reduce_min(x[0], -1, true)), {M23}, T{{1.}, {2.}}},
      {"reduce_min", "3-D axis [0,2]", B(reduce_min(x[0], {0, 2})), {X3}, T{1., 4.}},
      {"reduce_min", "negative values", B(reduce_min(x[0], 0)), {T{{-3., -1.}, {-2., -5.}}}, T{-3., -5.}},
      {"reduce_min", "NaN propagates", B(reduce_min(x[0], 1)), {T{{1., kNaN, 0.}, {2., 3., -1.}}}, T{kNaN, -1.}, kNoGrad},
      {"reduce_min", "int32 axis 1", B(reduce_min(x[0], 1)), {I32({4, -2, 7, 9}, {2, 2})}, I32({-2, 7}, {2}), kNoGrad},
      {"reduce_prod", "axis None", B(reduce_prod(x[0])), {A23}, S(720)},
      {"reduce_prod", "axis 0", B(reduce_prod(x[0], 0)), {A23}, T{4., 10., 18.}},
      {"reduce_prod", "axis 1", B(reduce_prod(x[0], 1)), {A23}, T{6., 120.}},
      {"reduce_prod", "axis -1 keepdims", B(reduce_prod(x[0], -1, true)), {B23}, T{{-1.}, {-3.}}},
      {"reduce_prod", "3-D axis [0,2]", B(reduce_prod(x[0], {0, 2})), {X3}, T{3024., 158400.}},
      // rows with one zero, two zeros, none, all zeros: the product is linear in each element, so the
      // central differences are exact there and check the gradient at the zeros
      {"reduce_prod", "zeros: one, two, none, all in a row", B(reduce_prod(x[0], 1)),
       {T{{0., 2., 3.}, {4., 0., 0.}, {1., -2., 0.5}, {0., 0., 0.}}}, T{0., 0., -1., 0.}},
      {"reduce_prod", "zeros, axis None", B(reduce_prod(x[0])), {T{{0., 2.}, {3., -1.}}}, S(0)},
      {"reduce_prod", "int32 axis 0", B(reduce_prod(x[0], 0)), {I32({1, 2, 3, 4}, {2, 2})}, I32({3, 8}, {2}), kNoGrad},
      {"argmin", "axis 0", B(argmin(x[0], 0)), {M23}, I64({0, 1, 0}, {3}), kNoGrad},
      {"argmin", "axis -1", B(argmin(x[0], -1)), {M23}, I64({0, 1}, {2}), kNoGrad},
      {"argmin", "3-D axis 1", B(argmin(x[0], 1)), {T{{{1., 9.}, {3., 2.}}, {{0., 0.}, {5., -1.}}}},
       I64({0, 1, 0, 1}, {2, 2}), kNoGrad},
      {"argmin", "1-D ties: the first", B(argmin(x[0], 0)), {T{3., 1., 1.}}, I64({1}, {}), kNoGrad},
      {"argmin", "NaN: the first NaN (numpy)", B(argmin(x[0], 0)), {T{1., -4., kNaN, kNaN}}, I64({2}, {}), kNoGrad},
      {"argmin", "int32", B(argmin(x[0], 1)), {I32({1, 5, 7, 2}, {2, 2})}, I64({0, 1}, {2}), kNoGrad},

      // --- shape ---
      {"reshape", "[2,3] -> [3,2]", B(reshape(x[0], {3, 2})), {A23}, T{{1., 2.}, {3., 4.}, {5., 6.}}},
      {"reshape", "[2,3] -> [-1]", B(reshape(x[0], {-1})), {A23}, T{1., 2., 3., 4., 5., 6.}},
      {"reshape", "[2,3] -> [3,-1]", B(reshape(x[0], {3, -1})), {A23}, T{{1., 2.}, {3., 4.}, {5., 6.}}},
      {"reshape", "[2,2,3] -> [-1,1,2]", B(reshape(x[0], {-1, 1, 2})), {X3},
       T{{{1., 2.}}, {{3., 4.}}, {{5., 6.}}, {{7., 8.}}, {{9., 10.}}, {{11., 12.}}}},
      {"reshape", "scalar -> [1]", B(reshape(x[0], {1})), {S(5)}, T{5.}},
      {"reshape", "[1,1] -> scalar", B(reshape(x[0], Shape{})), {T{{5.}}}, S(5)},
      {"reshape", "reshape_like [2,3] like [3,2]", B(reshape_like(x[0], x[1])), {A23, T::zeros({3, 2})},
       T{{1., 2.}, {3., 4.}, {5., 6.}}},
      {"reshape", "reshape_like [6] like [2,1,3] int32", B(reshape_like(x[0], x[1])),
       {T{1., 2., 3., 4., 5., 6.}, T::zeros({2, 1, 3}, DType::i32)}, T{{{1., 2., 3.}}, {{4., 5., 6.}}}},
      {"transpose", "[2,3], no perm", B(transpose(x[0])), {A23}, T{{1., 4.}, {2., 5.}, {3., 6.}}},
      {"transpose", "[2,3], perm [1,0]", B(transpose(x[0], {1, 0})), {A23}, T{{1., 4.}, {2., 5.}, {3., 6.}}},
      {"transpose", "[2,3], perm [0,1]", B(transpose(x[0], {0, 1})), {A23}, A23},
      {"transpose", "[2,2,3], no perm", B(transpose(x[0])), {X3},
       T{{{1., 7.}, {4., 10.}}, {{2., 8.}, {5., 11.}}, {{3., 9.}, {6., 12.}}}},
      {"transpose", "[2,2,3], perm [1,0,2]", B(transpose(x[0], {1, 0, 2})), {X3},
       T{{{1., 2., 3.}, {7., 8., 9.}}, {{4., 5., 6.}, {10., 11., 12.}}}},
      {"transpose", "[2,2,3], perm [2,0,1]", B(transpose(x[0], {2, 0, 1})), {X3},
       T{{{1., 4.}, {7., 10.}}, {{2., 5.}, {8., 11.}}, {{3., 6.}, {9., 12.}}}},
      {"transpose", "[2,2,3], perm [-1,0,1]", B(transpose(x[0], {-1, 0, 1})), {X3},
       T{{{1., 4.}, {7., 10.}}, {{2., 5.}, {8., 11.}}, {{3., 6.}, {9., 12.}}}},
      {"transpose", "1-D", B(transpose(x[0])), {R3}, R3},
      {"transpose", "int32 [2,2]", B(transpose(x[0])), {I32({1, 2, 3, 4}, {2, 2})},
       I32({1, 3, 2, 4}, {2, 2}), kNoGrad},
      // strided_slice: numpy's x[...] (the Python tests compare many keys with numpy)
      {"strided_slice", "x[1]", B(strided_slice(x[0], {.begin = {1}, .end = {2}, .strides = {1}, .shrink_axis_mask = 1})),
       {A23}, T{4., 5., 6.}},
      {"strided_slice", "x[:, 0]",
       B(strided_slice(x[0], {.begin = {0, 0}, .end = {0, 1}, .strides = {1, 1}, .begin_mask = 1, .end_mask = 1,
                              .shrink_axis_mask = 2})),
       {A23}, T{1., 4.}},
      {"strided_slice", "x[-1, ::-1]",
       B(strided_slice(x[0], {.begin = {-1, 0}, .end = {0, 0}, .strides = {1, -1}, .begin_mask = 2, .end_mask = 2,
                              .shrink_axis_mask = 1})),
       {A23}, T{6., 5., 4.}},
      {"strided_slice", "x[0:2, ::2]",
       B(strided_slice(x[0], {.begin = {0, 0}, .end = {2, 0}, .strides = {1, 2}, .begin_mask = 2, .end_mask = 2})),
       {A23}, T{{1., 3.}, {4., 6.}}},
      {"strided_slice", "x[..., 1] of [2,2,3]",
       B(strided_slice(x[0], {.begin = {0, 1}, .end = {0, 2}, .strides = {1, 1}, .ellipsis_mask = 1,
                              .shrink_axis_mask = 2})),
       {X3}, T{{2., 5.}, {8., 11.}}},
      {"strided_slice", "x[None, :, 1:]",
       B(strided_slice(x[0], {.begin = {0, 0, 1}, .end = {0, 0, 0}, .strides = {1, 1, 1}, .begin_mask = 2,
                              .end_mask = 6, .new_axis_mask = 1})),
       {A23}, T{{{2., 3.}, {5., 6.}}}},
      {"strided_slice", "x[1:10, -10:2] clamps", B(strided_slice(x[0], {.begin = {1, -10}, .end = {10, 2}})), {A23},
       T{{4., 5.}}},
      {"strided_slice", "x[1, :, 2:0:-1] of [2,2,3]",
       B(strided_slice(x[0], {.begin = {1, 0, 2}, .end = {2, 0, 0}, .strides = {1, 1, -1}, .begin_mask = 2,
                              .end_mask = 2, .shrink_axis_mask = 1})),
       {X3}, T{{9., 8.}, {12., 11.}}},
      {"strided_slice", "x[2:1] is empty", B(strided_slice(x[0], {.begin = {2}, .end = {1}})), {A23},
       T::zeros({0, 3}), kNoGrad},
      {"strided_slice", "int32 x[::-1]", B(strided_slice(x[0], {.begin = {0}, .end = {0}, .strides = {-1},
                                                                 .begin_mask = 1, .end_mask = 1})),
       {I32({1, 2, 3}, {3})}, I32({3, 2, 1}, {3}), kNoGrad},
      {"strided_slice_grad", "of x[:, ::2]: dy into zeros",
       B(strided_slice_grad(x[0], x[1], {.begin = {0, 0}, .end = {0, 0}, .strides = {1, 2}, .begin_mask = 3,
                                         .end_mask = 3})),
       {ZEROS23, T{{1., 2.}, {3., 4.}}}, T{{1., 0., 2.}, {3., 0., 4.}}},
      {"strided_slice_grad", "of x[-1, 1] of [2,2,3]",
       B(strided_slice_grad(x[0], x[1], {.begin = {-1, 1}, .end = {0, 2}, .shrink_axis_mask = 3})),
       {T::zeros({2, 2, 3}), T{7., 8., 9.}}, T{{{0., 0., 0.}, {0., 0., 0.}}, {{0., 0., 0.}, {7., 8., 9.}}}},

      // --- joining, gathering and choosing (the sequence models' ops) ---
      {"concat", "axis 0: [2,3] and [1,3]", B(concat({x[0], x[1]}, 0)), {A23, R13},
       T{{1., 2., 3.}, {4., 5., 6.}, {10., 20., 30.}}},
      {"concat", "axis -1 of three, one empty", B(concat({x[0], x[1], x[2]}, -1)), {A23, C21, T::zeros({2, 0})},
       T{{1., 2., 3., 1.}, {4., 5., 6., 2.}}},
      {"concat", "axis 1 of [2,2,3] and [2,1,3]", B(concat({x[0], x[1]}, 1)), {X3, P213},
       T{{{1., 2., 3.}, {4., 5., 6.}, {1., 2., 3.}}, {{7., 8., 9.}, {10., 11., 12.}, {4., 5., 6.}}}},
      {"concat", "one input", B(concat({x[0]}, 1)), {A23}, A23},
      {"concat", "int32", B(concat({x[0], x[1]}, 0)), {I32({1, 2}, {2}), I32({3}, {1})}, I32({1, 2, 3}, {3}), kNoGrad},
      {"concat_grad", "input 1 of an axis-1 concat", B(concat_grad(x[0], {x[1], x[2]}, 1, 1)),
       {T{{1., 2., 3., 4., 5.}, {6., 7., 8., 9., 10.}}, ZEROS23, T::zeros({2, 2})}, T{{4., 5.}, {9., 10.}}},
      {"concat_grad", "input 0 of an axis-0 concat", B(concat_grad(x[0], {x[1], x[2]}, 0, 0)),
       {X3, T::zeros({1, 2, 3}), T::zeros({1, 2, 3})}, T{{{1., 2., 3.}, {4., 5., 6.}}}},
      {"pack_flat", "[2,3], [1,3] and [2,1] in a row", B(pack_flat({x[0], x[1], x[2]})), {A23, R13, C21},
       T{1., 2., 3., 4., 5., 6., 10., 20., 30., 1., 2.}},
      {"pack_flat", "one input twice, a scalar between", B(pack_flat({x[0], x[1], x[0]})), {C21, S(7.)},
       T{1., 2., 7., 1., 2.}},
      {"pack_flat", "int32, one empty", B(pack_flat({x[0], x[1]})), {I32({1, 2}, {2}), I32({}, {0, 3})},
       I32({1, 2}, {2}), kNoGrad},
      {"unpack_flat", "[2,2] at 3 of 8", B(unpack_flat(x[0], 3, {2, 2})), {T{1., 2., 3., 4., 5., 6., 7., 8.}},
       T{{4., 5.}, {6., 7.}}},
      {"unpack_flat", "a scalar, the last element", B(unpack_flat(x[0], 2, Shape{})), {R3}, S(30.)},
      {"gather", "rows of a [3,2] table, repeated", B(gather(x[0], x[1])), {MB, I64({2, 0, 2}, {3})},
       T{{0., 3.}, {1., 0.5}, {0., 3.}}},
      {"gather", "axis 1, [2,2] int32 indices -> [2,2,2]", B(gather(x[0], x[1], 1)), {A23, I32({2, 0, 1, 1}, {2, 2})},
       T{{{3., 1.}, {2., 2.}}, {{6., 4.}, {5., 5.}}}},
      {"gather", "a scalar index", B(gather(x[0], x[1])), {A23, I64({1}, {})}, T{4., 5., 6.}},
      {"gather", "axis -1 of a vector", B(gather(x[0], x[1], -1)), {R123, I64({2, 2}, {2})}, T{3., 3.}},
      {"gather", "int32 table", B(gather(x[0], x[1])), {I32({7, 8, 9}, {3}), I64({1, 0}, {2})}, I32({8, 7}, {2}),
       kNoGrad},
      {"gather_grad", "repeated rows accumulate", B(gather_grad(x[0], x[1], x[2])),
       {T::zeros({3, 2}), I64({2, 0, 2}, {3}), MB}, T{{-1., 2.}, {0., 0.}, {1., 3.5}}},
      {"gather_grad", "axis 1", B(gather_grad(x[0], x[1], x[2], 1)), {ZEROS23, I32({2, 2}, {2}), I2},
       T{{0., 0., 1.}, {0., 0., 1.}}},
      {"where", "same shapes", B(where(x[0], x[1], x[2])), {Bools({1, 0, 1, 0, 0, 1}, {2, 3}), A23, B23},
       T{{1., -1., 3.}, {3., -0.25, 6.}}},
      {"where", "[2,1] condition, scalar y", B(where(x[0], x[1], x[2])), {Bools({0, 1}, {2, 1}), A23, S(-7)},
       T{{-7., -7., -7.}, {4., 5., 6.}}},
      {"where", "TF1: a rank-1 condition picks rows", B(where(x[0], x[1], x[2])), {Bools({0, 1}, {2}), A23, B23},
       T{{0.5, -1., 2.}, {4., 5., 6.}}},
      {"where", "[3] condition against [3] vectors", B(where(x[0], x[1], x[2])), {Bools({1, 0, 0}, {3}), R3, D3},
       T{10., 4., 8.}},
      {"where", "int64", B(where(x[0], x[1], x[2])), {Bools({1, 0}, {2}), I64({1, 2}, {2}), I64({3, 4}, {2})},
       I64({1, 4}, {2}), kNoGrad},
      {"sequence_mask", "maxlen 4, bool", B(sequence_mask(x[0], 4)), {I64({0, 2, 5}, {3})},
       Bools({0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1}, {3, 4}), kNoGrad},
      {"sequence_mask", "maxlen from the lengths, float32, [2,1]", B(sequence_mask(x[0], -1, DType::f32)),
       {I32({1, 3}, {2, 1})}, F32({1, 0, 0, 1, 1, 1}, {2, 1, 3}), kNoGrad},

      {"shape", "[2,3] as int32", B(shape(x[0])), {A23}, I32({2, 3}, {2}), kNoGrad},
      {"range", "int32 0..5 by 2", B(range(x[0], x[1], x[2])), {I32({0}, {}), I32({5}, {}), I32({2}, {})},
       I32({0, 2, 4}, {3}), kNoGrad},
      {"range", "float64 down by -0.5", B(range(x[0], x[1], x[2])), {S(1), S(-0.25), S(-0.5)}, T{1., 0.5, 0.},
       kNoGrad},
      {"range", "empty when limit is behind", B(range(x[0], x[1], x[2])), {I64({3}, {}), I64({1}, {}), I64({1}, {})},
       I64({}, {0}), kNoGrad},
      {"shape", "a scalar's: empty, int64", B(shape(x[0], DType::i64)), {S(-7)}, I64({}, {0}), kNoGrad},

      // --- the fused LSTM layer: against LSTMCell's definition; its gradient by finite differences ---
      {"block_lstm", "T 3, B 2, I 2, U 2, forget bias 1",
       B(nn::block_lstm(x[0], x[1], x[2], x[3], x[4], 1.0).packed), {LX, LC, LH, LK, LB},
       lstm_ref(LX, LC, LH, LK, LB, 1.0)},
      {"block_lstm", "one step, forget bias 0", B(nn::block_lstm(x[0], x[1], x[2], x[3], x[4], 0.0).packed),
       {LX1, LC, LH, LK, LB}, lstm_ref(LX1, LC, LH, LK, LB, 0.0)},
      {"block_lstm", "float32", B(nn::block_lstm(x[0], x[1], x[2], x[3], x[4], 1.0).packed),
       {as_f32(LX), as_f32(LC), as_f32(LH), as_f32(LK), as_f32(LB)}, as_f32(lstm_ref(LX, LC, LH, LK, LB, 1.0)), kNoGrad},
      // --- convolution (tensorgraph::nn); the second derivatives run through the gradient ops ---
      {"conv2d", "VALID 2x2 on 3x3, by hand", B(nn::conv2d(x[0], x[1], {1, 1, 1, 1}, "VALID")), {X33, W22},
       T{37., 47., 67., 77.}.reshaped({1, 2, 2, 1})},
      {"conv2d", "SAME stride 2 on 3x3: one pad after, by hand", B(nn::conv2d(x[0], x[1], {1, 2, 2, 1}, "SAME")),
       {X33, W22}, T{37., 21., 23., 9.}.reshaped({1, 2, 2, 1})},
      {"conv2d", "G1 NHWC SAME stride 2, uneven pads", B(nn::conv2d(x[0], x[1], {1, 2, 2, 1}, "SAME")), {X1, W1}, g1.y},
      {"conv2d", "G1 NCHW", B(nn::conv2d(x[0], x[1], {1, 1, 2, 2}, "SAME", nn::Conv2DOptions{.data_format = "NCHW"})),
       {nchw(X1), W1}, nchw(g1.y)},
      {"conv2d", "G2 dilation 2 VALID",
       B(nn::conv2d(x[0], x[1], {1, 1, 1, 1}, "VALID", nn::Conv2DOptions{.dilations = {1, 2, 2, 1}})), {X2, W2}, g2.y},
      {"conv2d", "float32 G1 (oneDNN when built with it)", B(nn::conv2d(x[0], x[1], {1, 2, 2, 1}, "SAME")),
       {X1.astype(DType::f32), W1.astype(DType::f32)}, g1.y.astype(DType::f32), kNoGrad},
      {"conv2d_backprop_input", "by hand, input_sizes as a node",
       B(nn::conv2d_backprop_input(x[0], x[1], x[2], {1, 1, 1, 1}, "VALID")), {T::zeros({1, 3, 3, 1}), W22, ONES221},
       T{1., 3., 2., 4., 10., 6., 3., 7., 4.}.reshaped({1, 3, 3, 1})},
      {"conv2d_backprop_input", "conv2d_transpose, by hand",
       B(nn::conv2d_transpose(x[0], x[1], {1, 3, 3, 1}, {1, 1, 1, 1}, "VALID")), {ONES221, W22},
       T{1., 3., 2., 4., 10., 6., 3., 7., 4.}.reshaped({1, 3, 3, 1})},
      {"conv2d_backprop_input", "G1, input_sizes as a node",
       B(nn::conv2d_backprop_input(x[0], x[1], x[2], {1, 2, 2, 1}, "SAME")), {X1, W1, DY1}, g1.dx},
      {"conv2d_backprop_input", "G1, input_sizes [-1,5,4,3]",
       B(nn::conv2d_backprop_input({-1, 5, 4, 3}, x[0], x[1], {1, 2, 2, 1}, "SAME")), {W1, DY1}, g1.dx},
      {"conv2d_backprop_input", "G1 NCHW",
       B(nn::conv2d_backprop_input(x[0], x[1], x[2], {1, 1, 2, 2}, "SAME", nn::Conv2DOptions{.data_format = "NCHW"})),
       {nchw(X1), W1, nchw(DY1)}, nchw(g1.dx)},
      {"conv2d_backprop_input", "G2 dilation 2, input_sizes listed",
       B(nn::conv2d_backprop_input({1, 5, 5, 2}, x[0], x[1], {1, 1, 1, 1}, "VALID",
                                   nn::Conv2DOptions{.dilations = {1, 2, 2, 1}})),
       {W2, DY2}, g2.dx},
      // quadratic in (x, w): central differences are exact at any step, and 0.25 keeps them exact
      {"conv2d_backprop_input", "G1 d/dx sum(conv2d(x, w)^2) (second derivatives)",
       B(gradients(reduce_sum(square(nn::conv2d(x[0], x[1], {1, 2, 2, 1}, "SAME"))), {x[0]})[0]), {X1, W1}, g1y.dx,
       true, 0.25},
      {"conv2d_backprop_input", "float32 G1",
       B(nn::conv2d_backprop_input({-1, 5, 4, 3}, x[0], x[1], {1, 2, 2, 1}, "SAME")),
       {W1.astype(DType::f32), DY1.astype(DType::f32)}, g1.dx.astype(DType::f32), kNoGrad},
      {"conv2d_backprop_filter", "by hand, filter_sizes as a node",
       B(nn::conv2d_backprop_filter(x[0], x[1], x[2], {1, 1, 1, 1}, "VALID")), {X33, T::zeros({2, 2, 1, 1}), ONES221},
       T{12., 16., 24., 28.}.reshaped({2, 2, 1, 1})},
      {"conv2d_backprop_filter", "G1, filter_sizes as a node",
       B(nn::conv2d_backprop_filter(x[0], x[1], x[2], {1, 2, 2, 1}, "SAME")), {X1, W1, DY1}, g1.dw},
      {"conv2d_backprop_filter", "G1, filter_sizes [3,3,3,2]",
       B(nn::conv2d_backprop_filter(x[0], {3, 3, 3, 2}, x[1], {1, 2, 2, 1}, "SAME")), {X1, DY1}, g1.dw},
      {"conv2d_backprop_filter", "G1 NCHW",
       B(nn::conv2d_backprop_filter(x[0], x[1], x[2], {1, 1, 2, 2}, "SAME", nn::Conv2DOptions{.data_format = "NCHW"})),
       {nchw(X1), W1, nchw(DY1)}, g1.dw},
      {"conv2d_backprop_filter", "G2 dilation 2",
       B(nn::conv2d_backprop_filter(x[0], {2, 2, 2, 3}, x[1], {1, 1, 1, 1}, "VALID",
                                    nn::Conv2DOptions{.dilations = {1, 2, 2, 1}})),
       {X2, DY2}, g2.dw},
      {"conv2d_backprop_filter", "G1 d/dw sum(conv2d(x, w)^2) (second derivatives)",
       B(gradients(reduce_sum(square(nn::conv2d(x[0], x[1], {1, 2, 2, 1}, "SAME"))), {x[1]})[0]), {X1, W1}, g1y.dw,
       true, 0.25},
      {"conv2d_backprop_filter", "float32 G1",
       B(nn::conv2d_backprop_filter(x[0], {3, 3, 3, 2}, x[1], {1, 2, 2, 1}, "SAME")),
       {X1.astype(DType::f32), DY1.astype(DType::f32)}, g1.dw.astype(DType::f32), kNoGrad},
      // --- pooling (tf.nn; 1..9 distinct, so no window ties a maximum; ties by name in test_pooling) ---
      {"max_pool", "2x2 stride 1 VALID", B(nn::max_pool(x[0], k2, s1, "VALID")), {IMG9}, img({5, 6, 8, 9}, {1, 2, 2, 1})},
      {"max_pool", "2x2 stride 2 SAME (uneven: padding after), negative values: padding never wins",
       B(nn::max_pool(x[0], k2, s2, "SAME")), {NEG9}, img({-1, -3, -7, -9}, {1, 2, 2, 1})},
      {"max_pool", "3x3 stride 1 SAME", B(nn::max_pool(x[0], k3, s1, "SAME")), {IMG9},
       img({5, 6, 6, 8, 9, 9, 8, 9, 9}, {1, 3, 3, 1})},
      {"max_pool", "NCHW, 2 channels, 2x2 stride 2 SAME",
       B(nn::max_pool(x[0], {1, 1, 2, 2}, {1, 1, 2, 2}, "SAME", "NCHW")),
       {img({1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9}, {1, 2, 3, 3})},
       img({5, 6, 8, 9, -1, -3, -7, -9}, {1, 2, 2, 2})},
      {"max_pool", "float32", B(nn::max_pool(x[0], k2, s1, "VALID")), {IMG9.astype(DType::f32)},
       F32({5, 6, 8, 9}, {1, 2, 2, 1}), kNoGrad},
      {"avg_pool", "2x2 stride 2 SAME: the padding is not counted", B(nn::avg_pool(x[0], k2, s2, "SAME")), {IMG9},
       img({3, 4.5, 7.5, 9}, {1, 2, 2, 1})},
      {"avg_pool", "3x3 stride 1 SAME", B(nn::avg_pool(x[0], k3, s1, "SAME")), {IMG9},
       img({3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7}, {1, 3, 3, 1})},
      {"avg_pool", "NCHW, 2 channels, 2x2 stride 1 VALID", B(nn::avg_pool(x[0], {1, 1, 2, 2}, s1, "VALID", "NCHW")),
       {img({1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9}, {1, 2, 3, 3})},
       img({3, 4, 6, 7, -3, -4, -6, -7}, {1, 2, 2, 2})},
      {"avg_pool", "batch 2, 2 channels NHWC, 1x1 window stride 2 VALID", B(nn::avg_pool(x[0], {1, 1, 1, 1}, s2, "VALID")),
       {img({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, {2, 2, 2, 2})},
       img({1, 2, 9, 10}, {2, 1, 1, 2})},
      {"max_pool_grad", "2x2 stride 1 VALID: dy to each window's maximum",
       B(nn::max_pool_grad(x[0], x[1], x[2], k2, s1, "VALID")), {IMG9, img({5, 6, 8, 9}, {1, 2, 2, 1}),
       img({1, 2, 3, 4}, {1, 2, 2, 1})}, img({0, 0, 0, 0, 1, 2, 0, 3, 4}, {1, 3, 3, 1})},
      {"max_pool_grad", "second derivative: d/dx of the gradient of sum(max_pool(x)^2), 3x3 stride 1 SAME",
       B(grad_of_square(nn::max_pool(x[0], k3, s1, "SAME"), x[0])), {IMG9},
       img({0, 0, 0, 0, 10, 24, 0, 32, 72}, {1, 3, 3, 1})},
      {"max_pool_grad_grad", "2x2 stride 1 VALID: g at each window's maximum",
       B(nn::max_pool_grad_grad(x[0], x[1], x[2], k2, s1, "VALID")), {IMG9, img({5, 6, 8, 9}, {1, 2, 2, 1}),
       img({10, 20, 30, 40, 50, 60, 70, 80, 90}, {1, 3, 3, 1})}, img({50, 60, 80, 90}, {1, 2, 2, 1})},
      {"avg_pool_grad", "2x2 stride 2 SAME: dy / count over each window",
       B(nn::avg_pool_grad(x[0], x[1], k2, s2, "SAME")), {IMG9, img({4, 8, 12, 16}, {1, 2, 2, 1})},
       img({1, 1, 4, 1, 1, 4, 6, 6, 16}, {1, 3, 3, 1})},
      {"avg_pool_grad", "second derivative: d/dx of the gradient of sum(avg_pool(x)^2), 2x2 stride 2 SAME",
       B(grad_of_square(nn::avg_pool(x[0], k2, s2, "SAME"), x[0])), {IMG9},
       img({1.5, 1.5, 4.5, 1.5, 1.5, 4.5, 7.5, 7.5, 18}, {1, 3, 3, 1})},
      {"bias_add", "[2,3] + [3]", B(nn::bias_add(x[0], x[1])), {A23, R3}, T{{11., 22., 33.}, {14., 25., 36.}}},
      {"bias_add", "3-D [2,2,3] + [3], channels last", B(nn::bias_add(x[0], x[1])), {X3, R3},
       T{{{11., 22., 33.}, {14., 25., 36.}}, {{17., 28., 39.}, {20., 31., 42.}}}},
      {"bias_add", "NCHW [1,2,1,2] + [2]", B(nn::bias_add(x[0], x[1], "NCHW")), {img({1, 2, 3, 4}, {1, 2, 1, 2}), T{10., 20.}},
       img({11, 12, 23, 24}, {1, 2, 1, 2})},
      {"bias_add", "int32", B(nn::bias_add(x[0], x[1])), {I32({1, 2, 3, 4}, {2, 2}), I32({10, 20}, {2})},
       I32({11, 22, 13, 24}, {2, 2}), kNoGrad},
      {"bias_add_grad", "NHWC [2,3] -> [3]", B(nn::bias_add_grad(x[0])), {A23}, T{5., 7., 9.}},
      {"bias_add_grad", "NCHW [2,2,3] -> [2]", B(nn::bias_add_grad(x[0], "NCHW")), {X3}, T{30., 48.}},
      {"bias_add_grad", "second derivative: d/d(value, bias) of the bias gradient of sum(bias_add^2), NCHW",
       B(gradients(reduce_sum(square(nn::bias_add(x[0], x[1], "NCHW"))), {x[1]})[0]),
       {img({1, 2, 3, 4}, {1, 2, 1, 2}), T{10., 20.}}, T{46., 94.}},
      {"pad", "CONSTANT [2,3] by [[1,0],[0,2]]", B(pad(x[0], {{1, 0}, {0, 2}})), {A23},
       img({0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0}, {3, 5})},
      {"pad", "CONSTANT 1-D with constant_values 9", B(pad(x[0], {{1, 1}}, "CONSTANT", 9)), {R3}, T{9., 10., 20., 30., 9.}},
      {"pad", "REFLECT [2,3] by [[1,1],[2,2]]", B(pad(x[0], {{1, 1}, {2, 2}}, "REFLECT")), {A23},
       img({6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1, 6, 5, 4, 5, 6, 5, 4, 3, 2, 1, 2, 3, 2, 1}, {4, 7})},
      {"pad", "SYMMETRIC [2,3] by [[1,1],[2,2]]", B(pad(x[0], {{1, 1}, {2, 2}}, "symmetric")), {A23},
       img({2, 1, 1, 2, 3, 3, 2, 2, 1, 1, 2, 3, 3, 2, 5, 4, 4, 5, 6, 6, 5, 5, 4, 4, 5, 6, 6, 5}, {4, 7})},
      {"pad", "SYMMETRIC by the whole size", B(pad(x[0], {{3, 3}}, "SYMMETRIC")), {R3},
       T{30., 20., 10., 10., 20., 30., 30., 20., 10.}},
      {"pad", "int32 CONSTANT -1", B(pad(x[0], {{0, 1}}, "CONSTANT", -1)), {I32({4, 5}, {2})}, I32({4, 5, -1}, {3}),
       kNoGrad},
      {"pad_grad", "CONSTANT: the slice back", B(pad_grad(x[0], {{1, 0}, {0, 2}})),
       {img({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {3, 5})}, T{{6., 7., 8.}, {11., 12., 13.}}},
      {"pad_grad", "REFLECT 1-D: mirrored elements folded", B(pad_grad(x[0], {{1, 1}}, "REFLECT")),
       {T{1., 2., 3., 4., 5.}}, T{2., 9., 4.}},
      {"pad_grad", "SYMMETRIC 1-D", B(pad_grad(x[0], {{2, 1}}, "SYMMETRIC")), {T{1., 2., 3., 4., 5., 6.}},
       T{5., 5., 11.}},
      {"pad_grad", "second derivative: d/dx of the gradient of sum(pad(x, REFLECT)^2)",
       B(grad_of_square(pad(x[0], {{1, 1}, {2, 2}}, "REFLECT"), x[0])), {A23},
       T{{8., 24., 24.}, {32., 60., 48.}}},
      // --- batch normalization (tests/batch_norm_ref.h writes it out in loops) ---
      {"fused_batch_norm", "2-D training, x-hat +-1 by hand",
       B(nn::fused_batch_norm(x[0], x[1], x[2], {.epsilon = 0}).y),
       {T{{1., 0.}, {1., 4.}, {3., 4.}, {3., 0.}}, T{2., -1.}, T{0.5, 1.}},
       T{{-1.5, 2.}, {-1.5, 0.}, {2.5, 0.}, {2.5, 2.}}},
      {"fused_batch_norm", "NHWC [2,2,1,3] training", B(nn::fused_batch_norm(x[0], x[1], x[2]).y),
       {ints({2, 2, 1, 3}, 1), T{1.5, -0.5, 2.}, T{0.1, 0.2, -0.3}},
       tg::testing::bn_ref(ints({2, 2, 1, 3}, 1), T{1.5, -0.5, 2.}, T{0.1, 0.2, -0.3}, 3, 0.001)},
      {"fused_batch_norm", "NCHW [2,3,2,1] training",
       B(nn::fused_batch_norm(x[0], x[1], x[2], {.epsilon = 0.01, .data_format = "NCHW"}).y),
       {ints({2, 3, 2, 1}, 4), T{1.5, -0.5, 2.}, T{0.1, 0.2, -0.3}},
       tg::testing::bn_ref(ints({2, 3, 2, 1}, 4), T{1.5, -0.5, 2.}, T{0.1, 0.2, -0.3}, 1, 0.01)},
      {"fused_batch_norm", "2-D inference by hand",
       B(nn::fused_batch_norm(x[0], x[1], x[2], {.mean = x[3], .variance = x[4], .epsilon = 0, .is_training = false}).y),
       {T{{3., 2.5}, {-1., 1.}}, T{2., 1.}, T{0., -1.}, T{1., 2.}, T{4., 0.25}}, T{{2., 0.}, {-2., -3.}}},
      {"fused_batch_norm", "NCHW [2,2,1,3] inference",
       B(nn::fused_batch_norm(x[0], x[1], x[2],
                              {.mean = x[3], .variance = x[4], .data_format = "NCHW", .is_training = false}).y),
       {ints({2, 2, 1, 3}, 2), T{1.5, -0.5}, T{0.1, 0.2}, T{0.5, -1.}, T{2., 0.7}},
       tg::testing::bn_ref(ints({2, 2, 1, 3}, 2), T{1.5, -0.5}, T{0.1, 0.2}, 1, 0.001, T{0.5, -1.}, T{2., 0.7})},
      {"fused_batch_norm_grad", "2-D by hand (second derivatives)", B(nn::fused_batch_norm_grad(x[0], x[1], x[2], 0)),
       {T{{1., 0.}, {0., 1.}, {0., 0.}, {1., 0.}}, T{{1., 0.}, {1., 4.}, {3., 4.}, {3., 0.}}, T{2., -1.}},
       T{{1., 0.}, {-1., -0.25}, {-1., 0.25}, {1., 0.}}},
      {"fused_batch_norm_grad", "NHWC [2,1,2,3]", B(nn::fused_batch_norm_grad(x[0], x[1], x[2])),
       {ints({2, 1, 2, 3}, 3), ints({2, 1, 2, 3}, 5), T{1.5, -0.5, 2.}},
       tg::testing::bn_grad_ref(ints({2, 1, 2, 3}, 3), ints({2, 1, 2, 3}, 5), T{1.5, -0.5, 2.}, 3, 0.001)},
      {"fused_batch_norm_grad", "NCHW [2,3,1,2]", B(nn::fused_batch_norm_grad(x[0], x[1], x[2], 0.01, "NCHW")),
       {ints({2, 3, 1, 2}, 7), ints({2, 3, 1, 2}, 2), T{1.5, -0.5, 2.}},
       tg::testing::bn_grad_ref(ints({2, 3, 1, 2}, 7), ints({2, 3, 1, 2}, 2), T{1.5, -0.5, 2.}, 1, 0.01)},

      // --- comparisons (bool, not differentiable) ---
      {"equal", "[2,3]==[3]", B(equal(x[0], x[1])), {M23, T{1., 2., 6.}}, Bools({1, 0, 0, 0, 1, 1}, {2, 3}), kNoGrad},
      {"equal", "[2,1]==[1,3]", B(equal(x[0], x[1])), {C21, T{{1., 2., 3.}}},
       Bools({1, 0, 0, 0, 1, 0}, {2, 3}), kNoGrad},
      {"equal", "scalar==[2,3]", B(equal(x[0], x[1])), {S(5), M23}, Bools({0, 1, 0, 0, 0, 0}, {2, 3}), kNoGrad},
      {"equal", "[3]==[2,3]", B(equal(x[0], x[1])), {T{4., 5., 0.}, M23}, Bools({0, 1, 0, 1, 0, 0}, {2, 3}), kNoGrad},
      {"equal", "int32", B(equal(x[0], x[1])), {I32({1, 2, 3}, {3}), I32({1, 0, 3}, {3})},
       Bools({1, 0, 1}, {3}), kNoGrad},
      {"greater", "[2,3]>[3]", B(greater(x[0], x[1])), {M23, T{2., 2., 4.}},
       Bools({0, 1, 0, 1, 0, 1}, {2, 3}), kNoGrad},
      {"greater", "[2,1]>[1,3]", B(greater(x[0], x[1])), {C21, T{{0., 1., 2.}}},
       Bools({1, 0, 0, 1, 1, 0}, {2, 3}), kNoGrad},
      {"greater", "[2,3]>scalar", B(greater(x[0], x[1])), {M23, S(3)}, Bools({0, 1, 0, 1, 0, 1}, {2, 3}), kNoGrad},
      {"greater", "[3]>[2,3]", B(greater(x[0], x[1])), {T{3., 1., 6.}, M23},
       Bools({1, 0, 1, 0, 0, 0}, {2, 3}), kNoGrad},
      {"less", "[2,3]<[3]", B(less(x[0], x[1])), {M23, T{2., 2., 4.}}, Bools({1, 0, 1, 0, 0, 0}, {2, 3}), kNoGrad},
      {"less", "[2,1]<[1,3]", B(less(x[0], x[1])), {C21, T{{0., 1., 2.}}}, Bools({0, 0, 1, 0, 0, 0}, {2, 3}), kNoGrad},
      {"less", "NaN is never less", B(less(x[0], x[1])), {T{kNaN, 1.}, T{kNaN, 2.}}, Bools({0, 1}, {2}), kNoGrad},
      {"less", "int32", B(less(x[0], x[1])), {I32({1, 2, 3}, {3}), I32({2, 2, 2}, {3})}, Bools({1, 0, 0}, {3}), kNoGrad},
      {"less_equal", "[2,3]<=[3]", B(less_equal(x[0], x[1])), {M23, T{2., 2., 4.}},
       Bools({1, 0, 1, 0, 1, 0}, {2, 3}), kNoGrad},
      {"less_equal", "scalar<=[2,3]", B(less_equal(x[0], x[1])), {S(4), M23}, Bools({0, 1, 0, 1, 0, 1}, {2, 3}), kNoGrad},
      {"less_equal", "NaN", B(less_equal(x[0], x[1])), {T{kNaN, 1.}, T{kNaN, 1.}}, Bools({0, 1}, {2}), kNoGrad},
      {"greater_equal", "[2,3]>=[3]", B(greater_equal(x[0], x[1])), {M23, T{2., 2., 4.}},
       Bools({0, 1, 0, 1, 1, 1}, {2, 3}), kNoGrad},
      {"greater_equal", "[2,1]>=[1,3]", B(greater_equal(x[0], x[1])), {C21, T{{0., 1., 2.}}},
       Bools({1, 1, 0, 1, 1, 1}, {2, 3}), kNoGrad},
      {"greater_equal", "NaN", B(greater_equal(x[0], x[1])), {T{kNaN, 1.}, T{kNaN, 1.}}, Bools({0, 1}, {2}), kNoGrad},
      {"not_equal", "[2,3]!=[3]", B(not_equal(x[0], x[1])), {M23, T{1., 2., 6.}}, Bools({0, 1, 1, 1, 0, 0}, {2, 3}),
       kNoGrad},
      {"not_equal", "NaN != NaN", B(not_equal(x[0], x[1])), {T{kNaN, 1.}, T{kNaN, 1.}}, Bools({1, 0}, {2}), kNoGrad},
      {"not_equal", "int64 [2,1]!=[2]", B(not_equal(x[0], x[1])), {I64({1, 2}, {2, 1}), I64({1, 3}, {2})},
       Bools({0, 1, 1, 1}, {2, 2}), kNoGrad},
      {"logical_and", "[2,3] and [3]", B(logical_and(x[0], x[1])), {Bools({1, 0, 1, 0, 1, 1}, {2, 3}), Bools({1, 1, 0}, {3})},
       Bools({1, 0, 0, 0, 1, 0}, {2, 3}), kNoGrad},
      {"logical_and", "scalar and [2]", B(logical_and(x[0], x[1])), {Bools({1}, {}), Bools({1, 0}, {2})},
       Bools({1, 0}, {2}), kNoGrad},
      {"logical_or", "[2,1] or [1,3]", B(logical_or(x[0], x[1])), {Bools({1, 0}, {2, 1}), Bools({0, 1, 0}, {1, 3})},
       Bools({1, 1, 1, 0, 1, 0}, {2, 3}), kNoGrad},
      {"logical_or", "[2] or [2]", B(logical_or(x[0], x[1])), {Bools({0, 0}, {2}), Bools({0, 1}, {2})},
       Bools({0, 1}, {2}), kNoGrad},
      {"logical_not", "[2,2]", B(logical_not(x[0])), {Bools({1, 0, 0, 1}, {2, 2})}, Bools({0, 1, 1, 0}, {2, 2}), kNoGrad},

      // --- cast ---
      {"cast", "float64 -> int32 truncates", B(cast(x[0], DType::i32)), {T{1.7, -1.7, 2., 0.}},
       I32({1, -1, 2, 0}, {4}), kNoGrad},
      {"cast", "float64 -> int64", B(cast(x[0], DType::i64)), {T{{2.9, -0.5}}}, I64({2, 0}, {1, 2}), kNoGrad},
      {"cast", "float64 -> bool", B(cast(x[0], DType::boolean)), {T{0., 2.5}}, Bools({0, 1}, {2}), kNoGrad},
      {"cast", "int32 -> float64", B(cast(x[0], DType::f64)), {I32({3, -4}, {2})}, T{3., -4.}, kNoGrad},
      {"cast", "bool -> float64", B(cast(x[0], DType::f64)), {Bools({1, 0}, {2})}, T{1., 0.}, kNoGrad},
      {"cast", "float64 -> float64", B(cast(x[0], DType::f64)), {B23}, B23},
      // NOTE: a step of 2^-10 keeps x +- k*step exact in float32, so differences measure the rule.
      {"cast", "float64 -> float32", B(cast(x[0], DType::f32)), {T{0.5, -1.25, 3.}},
       F32({.5f, -1.25f, 3}, {3}), true, 1. / 1024},
      {"cast", "float64 -> float32 rounds", B(cast(x[0], DType::f32)), {T{0.1}}, F32({0.1f}, {1}), kNoGrad},
      {"cast", "float32 -> float64", B(cast(x[0], DType::f64)), {F32({0.5f, -1.25f}, {2})},
       T{0.5, -1.25}, true, 1. / 1024},

      // --- used by autodiff ---
      {"fill_like", "[2,3] with 7", B(fill_like(x[0], 7)), {A23}, T::full({2, 3}, 7)},
      {"fill_like", "0-d form (scalar)", B(raw_op("fill_like", {x[0]}, {{"scalar", true}})),
       {A23},
       S(0)},
      {"fill_like", "int32 truncates the value", B(fill_like(x[0], 3.9)), {I32({1, 2}, {2})},
       I32({3, 3}, {2}), kNoGrad},
      {"fill_like", "zeros_like", B(zeros_like(x[0])), {B23}, T::zeros({2, 3})},
      {"fill_like", "ones_like int32", B(ones_like(x[0])), {I32({4, 5, 6}, {3})}, I32({1, 1, 1}, {3}), kNoGrad},
      {"fill_like", "ones_like bool", B(ones_like(x[0])), {Bools({0, 0}, {2})}, Bools({1, 1}, {2}), kNoGrad},
      {"sum_to", "[2,3] to [3]", B(sum_to(x[0], x[1])), {A23, ZEROS3}, T{5., 7., 9.}},
      {"sum_to", "[2,3] to [2,1]", B(sum_to(x[0], x[1])), {A23, ZEROS21}, T{{6.}, {15.}}},
      {"sum_to", "[2,3] to [1,3]", B(sum_to(x[0], x[1])), {A23, ZEROS13}, T{{5., 7., 9.}}},
      {"sum_to", "[2,3] to scalar", B(sum_to(x[0], x[1])), {A23, S(0)}, S(21)},
      {"sum_to", "[2,3] to [2,3]", B(sum_to(x[0], x[1])), {A23, ZEROS23}, A23},
      {"sum_to", "[2,1,3] to [1,3]", B(sum_to(x[0], x[1])), {P213, ZEROS13}, T{{5., 7., 9.}}},
      {"sum_to", "[2,2,3] to [2,1]", B(sum_to(x[0], x[1])), {X3, ZEROS21}, T{{30.}, {48.}}},
      {"broadcast_like", "[3] to [2,3]", B(broadcast_like(x[0], x[1])), {R3, ZEROS23},
       T{{10., 20., 30.}, {10., 20., 30.}}},
      {"broadcast_like", "[2,1] to [2,3]", B(broadcast_like(x[0], x[1])), {C21, ZEROS23},
       T{{1., 1., 1.}, {2., 2., 2.}}},
      {"broadcast_like", "[1,3] to [2,3]", B(broadcast_like(x[0], x[1])), {R13, ZEROS23},
       T{{10., 20., 30.}, {10., 20., 30.}}},
      {"broadcast_like", "scalar to [2,3]", B(broadcast_like(x[0], x[1])), {S(-2), ZEROS23}, T::full({2, 3}, -2)},
      {"broadcast_like", "[2,1] to [2,2,1]", B(broadcast_like(x[0], x[1])), {C21, T::zeros({2, 2, 1})},
       T{{{1.}, {2.}}, {{1.}, {2.}}}},
      {"broadcast_like", "adjoint of sum over axis 1", B(unreduce(x, {1}, false, false)),
       {T{6., 15.}, ZEROS23}, T{{6., 6., 6.}, {15., 15., 15.}}},
      {"broadcast_like", "adjoint of mean over axis -1", B(unreduce(x, {-1}, false, true)),
       {T{6., 15.}, ZEROS23}, T{{2., 2., 2.}, {5., 5., 5.}}},
      {"broadcast_like", "adjoint of mean over all", B(unreduce(x, {}, false, true)),
       {S(21), ZEROS23}, T::full({2, 3}, 3.5)},
      {"broadcast_like", "adjoint of sum over axis 0 keepdims", B(unreduce(x, {0}, true, false)),
       {R13, ZEROS23}, T{{10., 20., 30.}, {10., 20., 30.}}},
      {"broadcast_like", "adjoint of sum over 3-D axes [0,2]", B(unreduce(x, {0, 2}, false, false)),
       {T{1., 2.}, T::zeros({2, 2, 3})}, T{{{1., 1., 1.}, {2., 2., 2.}}, {{1., 1., 1.}, {2., 2., 2.}}}},

      // --- user-defined ops: the static shape is unknown until the op has run ---
      {"custom", "cube", B(custom_op(std::make_shared<Cube>(), {x[0]})), {B23},
       T{{0.125, -1., 8.}, {27., -1. / 64, 64.}}},
      {"custom", "row_count (no gradient)", B(custom_op(std::make_shared<RowCount>(), {x[0]})), {A23},
       I64({2}, {}), kNoGrad},
  };
}

const std::vector<OpCase>& op_cases() {
  static const std::vector<OpCase> cases = make_cases();
  return cases;
}

// Ops that the table cannot express, each with its own test below.
// The optimizer updates other than apply_gradient_descent are tested in test_optimizers.cpp.
const std::set<std::string> kTestedByName{"apply_gradient_descent", "apply_momentum", "apply_rms_prop", "apply_adam",
                                            "random_uniform_like", "random_normal",  // tests/test_layers.cpp
                                            "assign_moving_average", "group",  // tests/test_batch_norm.cpp
                                            "stop_gradient",  // no gradient flows: tests/test_tf_surface.cpp
                                            "block_lstm_grad",
                                            "assign", "no_op", "truncated_normal",
                                            "random_uniform"};  // tests/test_initializers.cpp  // block_lstm's gradient lines check its values

// Inputs that the gradient check differentiates: every float input of a differentiable line.
bool gradient_checked(const OpCase& c, std::size_t input) { return c.grad && is_floating(c.in[input].dtype()); }

// Values equal: exactly for integers and bools, within tol * (1 + |want|) for floats.
::testing::AssertionResult same_values(const T& got, const T& want) {
  if (got.dtype() != want.dtype())
    return ::testing::AssertionFailure() << "dtype " << dtype_name(got.dtype()) << ", want "
                                         << dtype_name(want.dtype());
  if (!(got.shape() == want.shape()))
    return ::testing::AssertionFailure() << "shape " << got.shape().str() << ", want " << want.shape().str();
  const double tol = want.dtype() == DType::f64 ? 1e-12 : want.dtype() == DType::f32 ? 1e-6 : 0;
  for (std::int64_t i = 0; i < want.size(); ++i) {
    const double g = got.flat(i), w = want.flat(i);
    if ((std::isnan(g) && std::isnan(w)) || g == w) continue;  // a NaN where one is expected; infinities
    if (!(std::fabs(g - w) <= tol * (1 + std::fabs(w))))
      return ::testing::AssertionFailure() << "element " << i << " is " << g << ", want " << w << "\ngot:\n"
                                           << got << "\nwant:\n" << want;
  }
  return ::testing::AssertionSuccess();
}

class OpTable : public ::testing::TestWithParam<OpCase> {};

// Builds the line's graph on placeholders shaped `shape_of(input)`; returns the op node.
template <class ShapeOf>
Node build_case(const OpCase& c, std::vector<Node>& ph, FeedDict& feeds, ShapeOf shape_of) {
  for (std::size_t i = 0; i < c.in.size(); ++i) {
    ph.push_back(placeholder(c.in[i].dtype(), shape_of(c.in[i]), "in" + std::to_string(i)));
    feeds.set(ph.back(), c.in[i]);
  }
  return c.build(ph);
}

TEST_P(OpTable, ForwardShapeAndGradient) {
  const OpCase& c = GetParam();
  Graph g;
  g.as_default();
  std::vector<Node> ph;
  FeedDict feeds;
  const Node y = build_case(c, ph, feeds, [](const T& t) { return t.shape(); });
  ASSERT_EQ(y.type(), c.op) << "the line's builder does not end in its op";
  Session s(g);
  const T out = s.run(y, feeds);

  EXPECT_TRUE(same_values(out, c.want));
  // The shape rule against the kernel (an op whose output is known only once it has run may
  // leave the static shape and dtype unknown, but not wrong).
  if (find_op(c.op)->dynamic_output) {
    EXPECT_TRUE(shape_compatible(y.shape(), out.shape()))
        << "static " << y.shape().str() << ", kernel " << out.shape().str();
    EXPECT_TRUE(y.dtype() == DType::unknown || y.dtype() == out.dtype()) << dtype_name(y.dtype());
  } else {
    EXPECT_EQ(y.shape(), out.shape()) << "static " << y.shape().str() << ", kernel " << out.shape().str();
    EXPECT_EQ(y.dtype(), out.dtype()) << "static " << dtype_name(y.dtype()) << ", kernel " << dtype_name(out.dtype());
  }

  if (!c.grad) return;
  ASSERT_NE(find_op(c.op)->grad, nullptr) << "a line marked differentiable for an op without a gradient";
  bool any = false;
  for (std::size_t i = 0; i < c.in.size(); ++i) {
    if (!gradient_checked(c, i)) continue;
    any = true;
    const GradientCheck r = check_gradient(s, y, ph[i], feeds, c.delta);
    EXPECT_LE(r.max_rel_error, 1e-6) << "d/d input " << i << "\ntheoretical:\n"
                                     << r.theoretical << "\nnumerical:\n" << r.numerical;
  }
  EXPECT_TRUE(any) << "a differentiable line without a float input";
}

// The same line built on placeholders of unknown dimensions, then of unknown rank: the partial
// shape rules must agree with (be compatible with) the run-time result, and the values must not
// change.
TEST_P(OpTable, PartialShapes) {
  const OpCase& c = GetParam();
  for (bool rank_known : {true, false}) {
    SCOPED_TRACE(rank_known ? "unknown dims" : "unknown rank");
    Graph g;
    g.as_default();
    std::vector<Node> ph;
    FeedDict feeds;
    const Node y = build_case(c, ph, feeds, [&](const T& t) {
      return rank_known ? Shape::unknown_dims(t.rank()) : Shape::unknown_rank();
    });
    Session s(g);
    const T out = s.run(y, feeds);
    EXPECT_TRUE(same_values(out, c.want));
    EXPECT_TRUE(shape_compatible(y.shape(), out.shape()))
        << "static " << y.shape().str() << ", kernel " << out.shape().str();
    EXPECT_TRUE(y.dtype() == out.dtype() || (find_op(c.op)->dynamic_output && y.dtype() == DType::unknown));
  }
}

std::string case_name(const ::testing::TestParamInfo<OpCase>& info) {
  std::string n = std::to_string(info.index);
  n = std::string(3 - std::min<std::size_t>(3, n.size()), '0') + n;
  return n + "_" + info.param.op;
}

INSTANTIATE_TEST_SUITE_P(Ops, OpTable, ::testing::ValuesIn(op_cases()), case_name);

TEST(OpCoverage, EveryRegisteredOpHasForwardAndGradientLines) {
  std::set<std::string> forward, gradient;
  for (const OpCase& c : op_cases()) {
    forward.insert(c.op);
    for (std::size_t i = 0; i < c.in.size(); ++i) {
      if (gradient_checked(c, i)) gradient.insert(c.op);
    }
  }
  for (const OpDef* d : registered_ops()) {
    if (kTestedByName.count(d->name)) continue;
    EXPECT_TRUE(forward.count(d->name)) << "op '" << d->name << "' has no forward line in the op table";
    if (d->grad) {
      EXPECT_TRUE(gradient.count(d->name))
          << "op '" << d->name << "' is differentiable but no line checks its gradient";
    }
  }
  for (const std::string& name : forward) EXPECT_NE(find_op(name), nullptr) << "the table names unknown op " << name;
  for (const std::string& name : kTestedByName) EXPECT_NE(find_op(name), nullptr) << name;
}

// matmul_grad refuses operands that matmul would refuse, and a gradient of the wrong size.
TEST(MatmulGrad, MismatchedOperandsAreShapeErrors) {
  Graph g;
  g.as_default();
  Node a = placeholder(DType::f64), b = placeholder(DType::f64), dc = placeholder(DType::f64);
  Session s(g);
  auto error = [&](int operand, bool ta, const T& av, const T& bv, const T& dv) -> std::string {
    try {
      s.run(matmul_grad(a, b, dc, operand, ta), {{a, av}, {b, bv}, {dc, dv}});
    } catch (const ShapeError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_NE(error(0, false, A23, T::zeros({4, 2}), T::zeros({2, 2})).find("inner dimensions differ: 3 (a [2, 3]) vs 4"),
            std::string::npos);
  EXPECT_NE(error(1, false, A23, MB, T::zeros({3})).find("does not match the product"), std::string::npos);
  EXPECT_NE(error(0, true, R123, MB, T::zeros({2})).find("transpose_a needs a 2-D operand"), std::string::npos);
  EXPECT_NE(error(0, false, T::zeros({2, 3, 1}), MB, I2).find("a must be 1-D or 2-D"), std::string::npos);
  EXPECT_THROW(matmul_grad(a, b, dc, 2), GraphError);
  EXPECT_TRUE(same_values(s.run(matmul_grad(a, b, dc, 0), {{a, A23}, {b, MB}, {dc, I2}}), MBt));  // still works
}

// matmul's gradient on placeholders of unknown rank (matmul_grad, ranks read at run time) equals
// the gradient built with the shapes known, for every rank combination and transpose flag.
TEST(MatmulGrad, UnknownRankGradientsEqualTheShapedOnes) {
  struct Combo {
    T a, b;
    bool ta, tb;
  };
  const std::vector<Combo> combos = {{A23, MB, false, false}, {At, MB, true, false},  {A23, MBt, false, true},
                                     {At, MBt, true, true},   {A23, R123, false, false}, {At, R123, true, false},
                                     {R123, MB, false, false}, {R123, MBt, false, true}, {R123, T{4., -5., 6.}, false, false}};
  for (const Combo& k : combos) {
    std::vector<T> want, got;
    for (bool shaped : {true, false}) {
      Graph g;
      g.as_default();
      Node a = placeholder(DType::f64, shaped ? k.a.shape() : Shape::unknown_rank(), "a");
      Node b = placeholder(DType::f64, shaped ? k.b.shape() : Shape::unknown_rank(), "b");
      Node c = matmul(a, b, k.ta, k.tb);
      Node loss = reduce_sum(multiply(c, constant(ints(ref_matmul(k.a, k.b, k.ta, k.tb).shape(), 3))));
      std::vector<Node> grads = gradients(loss, {a, b});
      Session s(g);
      std::vector<T> v = s.run(grads, {{a, k.a}, {b, k.b}});
      (shaped ? want : got) = v;
    }
    const std::string what = k.a.shape().str() + (k.ta ? "^T" : "") + " . " + k.b.shape().str() + (k.tb ? "^T" : "");
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(got[static_cast<std::size_t>(i)].shape(), (i ? k.b : k.a).shape()) << what;
      EXPECT_TRUE(same_values(got[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(i)])) << what << " d" << "ab"[i];
    }
  }
}

// pack_flat's gradient cuts dy with unpack_flat where the sizes are known when the graph is built,
// with concat_grad where they are known only at run time: both give the same numbers.
TEST(PackFlat, GradientsWithUnknownSizesEqualTheKnownOnes) {
  const std::vector<T> values = {A23, T{7.}, MB};
  std::vector<T> want, got;
  for (bool shaped : {true, false}) {
    Graph g;
    g.as_default();
    std::vector<Node> in;
    for (const T& v : values) in.push_back(placeholder(DType::f64, shaped ? v.shape() : Shape::unknown_rank()));
    Node packed = pack_flat(in);
    EXPECT_EQ(packed.shape(), shaped ? Shape{13} : Shape{kUnknownDim});
    std::vector<double> w(13);
    for (int k = 0; k < 13; ++k) w[static_cast<std::size_t>(k)] = k + 1;  // dloss/dpacked = 1, 2, ..., 13
    Node loss = reduce_sum(multiply(packed, constant(T::from_vector(w, {13}))));
    Session s(g);
    FeedDict feeds;
    for (std::size_t i = 0; i < in.size(); ++i) feeds.set(in[i], values[i]);
    (shaped ? want : got) = s.run(gradients(loss, in), feeds);
  }
  ASSERT_EQ(want.size(), 3u);
  EXPECT_TRUE(same_values(want[0], T{{1., 2., 3.}, {4., 5., 6.}}));
  EXPECT_TRUE(same_values(want[1], T{7.}));
  EXPECT_TRUE(same_values(want[2], T{{8., 9.}, {10., 11.}, {12., 13.}}));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(same_values(got[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(i)])) << i;
}

// --- apply_gradient_descent: stateful, no output ---

TEST(ApplyGradientDescent, DirectOpUpdatesTheVariableInPlace) {
  const OpDef* def = find_op("apply_gradient_descent");
  ASSERT_NE(def, nullptr);
  EXPECT_TRUE(def->stateful);
  EXPECT_EQ(def->grad, nullptr);
  Graph g;
  g.as_default();
  Node v = Variable(T{1., 2., 3.}, "v");
  Node w = Variable(T{{1.}, {-1.}}, "w");
  Node step = make_op(*def, {v, w, constant(T{10., 20., 30.}), constant(T{{4.}, {-2.}})},
                      def->attrs->from({{"learning_rate", 0.5}}, def->name));
  Session s(g);
  EXPECT_FALSE(s.run(step).defined());
  EXPECT_TRUE(same_values(s.value(v), T{-4., -8., -12.}));  // v - 0.5 * g
  EXPECT_TRUE(same_values(s.value(w), T{{-1.}, {0.}}));
  s.run(step);
  EXPECT_TRUE(same_values(s.value(v), T{-9., -18., -27.}));
  EXPECT_TRUE(same_values(s.value(w), T{{-3.}, {1.}}));
  EXPECT_TRUE(same_values(v.value(), T{1., 2., 3.})) << "the graph's initial value must not change";
}

TEST(ApplyGradientDescent, MinimizeUsesEachRunsFeeds) {
  Graph g;
  g.as_default();
  Node w = Variable(T::scalar(3.0), "w");
  Node x = placeholder(DType::f64, {}, "x");
  Node loss = square(subtract(w, x));  // dloss/dw = 2 (w - x)
  Node step = train::GradientDescentOptimizer(0.25).minimize(loss);
  EXPECT_EQ(step.type(), "apply_gradient_descent");
  Session s(g);
  s.run(step, {{x, T::scalar(1.0)}});  // w = 3 - 0.25 * 2 * (3 - 1) = 2
  EXPECT_TRUE(same_values(s.value(w), S(2)));
  s.run(step, {{x, T::scalar(5.0)}});  // w = 2 - 0.25 * 2 * (2 - 5) = 3.5
  EXPECT_TRUE(same_values(s.value(w), S(3.5)));
}

TEST(ApplyGradientDescent, MinimizeOnAMatrixAndBias) {
  // loss = sum(W x + b) with x = [1, 2]: dW = [[1, 2], [1, 2]], db = [1, 1].
  Graph g;
  g.as_default();
  Node W = Variable(T{{1., 0.}, {0., 1.}});
  Node b = Variable(T{0.5, -0.5});
  Node x = placeholder(DType::f64, {2});
  Node step = train::GradientDescentOptimizer(0.1).minimize(reduce_sum(add(matmul(W, x), b)));
  Session s(g);
  s.run(step, {{x, T{1., 2.}}});
  EXPECT_TRUE(same_values(s.value(W), T{{0.9, -0.2}, {-0.1, 0.8}}));
  EXPECT_TRUE(same_values(s.value(b), T{0.4, -0.6}));
}

// --- numerical extremes ---

bool all_finite(const T& t) {
  for (std::int64_t i = 0; i < t.size(); ++i)
    if (!std::isfinite(t.flat(i))) return false;
  return true;
}

TEST(OpExtremes, SoftmaxFamilyGradientsFiniteForHugeLogits) {
  Graph g;
  g.as_default();
  Node labels = placeholder(DType::f64, {2, 3});
  Node logits = placeholder(DType::f64, {2, 3});
  Node ce = softmax_cross_entropy_with_logits(labels, logits);
  Node sm = softmax(logits), lsm = log_softmax(logits);
  std::vector<Node> grads = gradients(reduce_sum(ce), {labels, logits});
  std::vector<Node> more = gradients(reduce_sum(add(sm, lsm)), {logits});
  Session s(g);
  FeedDict f{{labels, T{{0., 0., 1.}, {1., 0., 0.}}}, {logits, T{{1e4, -1e4, 1e4}, {-1e4, 3e4, 2e4}}}};
  for (const T& t : s.run({ce, sm, lsm, grads[0], grads[1], more[0]}, f)) EXPECT_TRUE(all_finite(t)) << t;
  // Row 0 ties two maxima at 1e4: loss = log 2; dlogits = softmax - labels = [0.5, 0, -0.5].
  EXPECT_TRUE(same_values(s.run(ce, f), T{kLn2, 4e4}));
  EXPECT_TRUE(same_values(s.run(grads[1], f), T{{0.5, 0., -0.5}, {-1., 1., 0.}}));
}

TEST(OpExtremes, SigmoidAtPlusMinus1000) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {4});
  Node y = sigmoid(x);
  Node dx = gradients(reduce_sum(y), {x})[0];
  Session s(g);
  FeedDict f{{x, T{-1000., 1000., -40., 40.}}};
  const T out = s.run(y, f), d = s.run(dx, f);
  EXPECT_TRUE(all_finite(out)) << out;
  EXPECT_TRUE(all_finite(d)) << d;
  EXPECT_EQ(out.flat(0), 0.);
  EXPECT_EQ(out.flat(1), 1.);
  EXPECT_NEAR(out.flat(2), std::exp(-40.), 1e-30);
  EXPECT_EQ(d.flat(0), 0.);
  EXPECT_EQ(d.flat(1), 0.);
}

// nn::sigmoid_cross_entropy_with_logits: -z ln σ(x) - (1 - z) ln(1 - σ(x)) by hand, finite at
// x = +-800 where σ rounds to 0 or 1, and its gradient in x is σ(x) - z; labels and logits of
// different shapes are refused (TensorFlow's rule), when built and when fed.
TEST(OpExtremes, SigmoidCrossEntropyIsStableAndItsGradientIsSigmoidMinusLabels) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {5}), z = placeholder(DType::f64, {5});
  Node loss = nn::sigmoid_cross_entropy_with_logits(z, x);
  Node dx = gradients(reduce_sum(loss), {x})[0];
  Session s(g);
  const T xs{-800., -2., 0., 3., 800.}, zs{0., 1., 0.5, 0.25, 1.};
  FeedDict f{{x, xs}, {z, zs}};
  const T out = s.run(loss, f), d = s.run(dx, f);
  for (std::int64_t i = 0; i < 5; ++i) {
    const double v = xs.flat(i), t = zs.flat(i), sig = 1 / (1 + std::exp(-v));
    const double want = std::fabs(v) > 100 ? (v > 0 ? v * (1 - t) : -v * t)
                                           : -t * std::log(sig) - (1 - t) * std::log(1 - sig);
    EXPECT_NEAR(out.flat(i), want, 1e-12) << i;
    EXPECT_NEAR(d.flat(i), sig - t, 1e-12) << i;
  }
  EXPECT_THROW(nn::sigmoid_cross_entropy_with_logits(placeholder(DType::f64, {4}), x), ShapeError);
  Node any = placeholder(DType::f64);
  EXPECT_THROW(s.run(nn::sigmoid_cross_entropy_with_logits(any, x), {{x, xs}, {any, T{1., 0.}}}), ShapeError);
}

TEST(OpExtremes, ReduceMaxGradientSplitsEquallyBetweenTies) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2, 3});
  Node w = constant(T{1., 2.});
  Node rows = gradients(reduce_sum(multiply(reduce_max(x, 1), w)), {x})[0];
  Node all = gradients(reduce_max(x), {x})[0];
  Node kept = gradients(reduce_sum(reduce_max(x, 0, true)), {x})[0];
  Session s(g);
  FeedDict f{{x, T{{1., 3., 3.}, {2., 2., 2.}}}};
  EXPECT_TRUE(same_values(s.run(rows, f), T{{0., 0.5, 0.5}, {2. / 3, 2. / 3, 2. / 3}}));
  EXPECT_TRUE(same_values(s.run(all, f), T{{0., 0.5, 0.5}, {0., 0., 0.}}));
  EXPECT_TRUE(same_values(s.run(kept, f), T{{0., 1., 1.}, {1., 0., 0.}}));
  f.set(x, T{{3., 1., 3.}, {3., 0., 0.}});  // three-way tie over all axes
  EXPECT_TRUE(same_values(s.run(all, f), T{{1. / 3, 0., 1. / 3}, {1. / 3, 0., 0.}}));
}

// --- build-time errors name the op, the inputs and their shapes ---

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}
void expect_mentions(const std::string& message, std::initializer_list<const char*> parts) {
  for (const char* part : parts) EXPECT_NE(message.find(part), std::string::npos) << part << " in: " << message;
}

TEST(OpErrors, MatmulInnerDimensionMismatch) {
  Graph g;
  g.as_default();
  Node a = placeholder(DType::f64, {3, 2}, "lhs"), b = placeholder(DType::f64, {3, 2}, "rhs");
  EXPECT_THROW(matmul(a, b), ShapeError);
  const std::string m = message_of([&] { matmul(a, b); });
  expect_mentions(m, {"matmul", "lhs", "rhs", "[3, 2]"});
  EXPECT_NO_THROW(matmul(a, b, true, false));
  EXPECT_NO_THROW(matmul(a, b, false, true));
}

TEST(UnpackFlat, PiecesOutsideTheBufferOrUnknownShapesAreRefused) {
  Graph g;
  g.as_default();
  Node buf = placeholder(DType::f64, {6}, "buf");
  EXPECT_THROW(unpack_flat(buf, 4, {3}), ShapeError);
  EXPECT_THROW(unpack_flat(buf, -1, {2}), ShapeError);
  EXPECT_THROW(unpack_flat(buf, 0, {kUnknownDim}), ShapeError);
  EXPECT_THROW(unpack_flat(placeholder(DType::f64, {2, 3}), 0, {2}), ShapeError);
  expect_mentions(message_of([&] { unpack_flat(buf, 4, {3}); }), {"unpack_flat", "[4, 7)", "6"});
  // a buffer whose length is known only at run time is checked by the kernel
  Node open = placeholder(DType::f64, Shape{kUnknownDim}, "open");
  Node piece = unpack_flat(open, 2, {2});
  Session s(g);
  EXPECT_TRUE(same_values(s.run(piece, {{open, T{1., 2., 3., 4.}}}), T{3., 4.}));
  EXPECT_THROW(s.run(piece, {{open, T{1., 2., 3.}}}), ShapeError);
}

TEST(OpErrors, ShapeErrors) {
  Graph g;
  g.as_default();
  Node x23 = placeholder(DType::f64, {2, 3}, "x23"), x4 = placeholder(DType::f64, {4}, "x4");
  EXPECT_THROW(add(x23, x4), ShapeError);
  const std::string m = message_of([&] { add(x23, x4); });
  expect_mentions(m, {"add", "x23", "x4", "[2, 3]", "[4]"});
  EXPECT_THROW(multiply(x23, placeholder(DType::f64, {3, 1})), ShapeError);
  EXPECT_THROW(matmul(x23, placeholder(DType::f64, {2, 2, 2})), ShapeError);
  EXPECT_THROW(matmul(x4, x4, true), ShapeError);
  EXPECT_THROW(reshape(x23, {4, 2}), ShapeError);
  EXPECT_THROW(reshape(x23, {-1, -1}), ShapeError);
  EXPECT_THROW(reshape(x23, {4, -1}), ShapeError);
  EXPECT_THROW(reshape_like(x23, x4), ShapeError);
  EXPECT_THROW(transpose(x23, {0}), ShapeError);
  EXPECT_THROW(transpose(x23, {1, 1}), ShapeError);
  EXPECT_THROW(reduce_sum(x23, 2), ShapeError);
  EXPECT_THROW(reduce_mean(x23, -3), ShapeError);
  EXPECT_THROW(reduce_max(x23, {1, -1}), ShapeError);
  EXPECT_THROW(argmax(x23, 2), ShapeError);
  EXPECT_THROW(softmax(placeholder(DType::f64, Shape{})), ShapeError);
  EXPECT_THROW(softmax_cross_entropy_with_logits(x23, placeholder(DType::f64, {2, 4})), ShapeError);
  EXPECT_THROW(sum_to(x4, x23), ShapeError);
  EXPECT_THROW(broadcast_like(x23, x4), ShapeError);
}

TEST(OpErrors, DTypeErrors) {
  Graph g;
  g.as_default();
  Node f32 = placeholder(DType::f32, {2}, "a32"), f64 = placeholder(DType::f64, {2}, "b64");
  EXPECT_THROW(add(f32, f64), DTypeError);
  const std::string m = message_of([&] { add(f32, f64); });
  expect_mentions(m, {"add", "a32", "b64", "float32", "float64"});
  EXPECT_THROW(matmul(placeholder(DType::f32, {2, 2}), placeholder(DType::f64, {2, 2})), DTypeError);
  Node i32 = placeholder(DType::i32, {2}), b = placeholder(DType::boolean, {2});
  EXPECT_THROW(exp(i32), DTypeError);
  EXPECT_THROW(softmax(i32), DTypeError);
  EXPECT_THROW(reduce_mean(i32), DTypeError);
  EXPECT_THROW(add(b, b), DTypeError);
  EXPECT_THROW(negative(b), DTypeError);
  EXPECT_NO_THROW(add(i32, i32));
}

}  // namespace

// Rows longer than the kernel's exp block (1024) take the chunked path; rows of 2 the blocked one.
TEST(SoftmaxCrossEntropy, LongAndShortRowsMatchAHandComputedLogSumExp) {
  for (std::int64_t cols : {2, 1023, 1025, 2500}) {
    tg::Graph g;
    g.as_default();
    tg::Rng rng(static_cast<std::uint64_t>(cols));
    tg::Tensor logits = tg::Tensor::randn({3, cols}, rng, tg::DType::f64, 0, 3);
    tg::Tensor labels = tg::Tensor::uniform({3, cols}, rng);
    tg::Session s;
    tg::Tensor loss = s.run(tg::softmax_cross_entropy_with_logits(tg::constant(labels), tg::constant(logits)));
    for (std::int64_t r = 0; r < 3; ++r) {
      long double mx = -1e300L, sum = 0, want = 0;
      for (std::int64_t j = 0; j < cols; ++j) mx = std::max<long double>(mx, logits.flat(r * cols + j));
      for (std::int64_t j = 0; j < cols; ++j) sum += std::exp(static_cast<long double>(logits.flat(r * cols + j)) - mx);
      const long double lse = mx + std::log(sum);
      for (std::int64_t j = 0; j < cols; ++j) want -= labels.flat(r * cols + j) * (logits.flat(r * cols + j) - lse);
      EXPECT_NEAR(loss.flat(r), static_cast<double>(want), 1e-12 * (1 + std::fabs(static_cast<double>(want)))) << cols;
    }
  }
}
