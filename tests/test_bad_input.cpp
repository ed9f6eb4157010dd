// The bad-input catalogue: one table row per misuse of the C++ API, each with the exact exception
// type it must raise and the words its message must contain (the node, the shapes, what was
// expected). After every row the same Session must still work: a healthy computation on it
// gives the right value and a training step moves its Variable by the right amount.
// A second table holds edge cases that must WORK (empty tensors, NaN/Inf per IEEE, extra
// feeds): each asserts values. Every row runs on its own, and all rows run on one shared session.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <ostream>
#include <set>
#include <string>
#include <typeinfo>
#include <vector>

#include "tensorgraph/tensorgraph.h"

using namespace tg;
namespace fs = std::filesystem;

namespace {

using T = Tensor;
constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
using Bytes = std::vector<unsigned char>;

// One graph, one session, a healthy computation, a temp folder for files.
struct World {
  Graph g;
  Node x, w, y, step;
  std::unique_ptr<Session> s;
  fs::path dir;

  World() {
    static int counter = 0;
    g.as_default();
    x = placeholder(DType::f64, {kUnknownDim, 3}, "x");
    w = Variable(T{1., 2., 3.}, "w");
    y = reduce_sum(multiply(x, w), {}, false, "y");
    step = train::GradientDescentOptimizer(0.5).minimize(y);
    s = std::make_unique<Session>(g);
    dir = fs::temp_directory_path() / ("tg_bad_input_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
  }
  ~World() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  std::string write(const std::string& name, const Bytes& b) const {
    std::ofstream(path(name), std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return path(name);
  }
  std::string write(const std::string& name, const std::string& text) const { return write(name, Bytes(text.begin(), text.end())); }
  Tensor run(const Node& n, const FeedDict& f = {}) { return s->run(n, f); }

  // y = sum(x * w) is right, and one step moves w by -0.5 * (column sums of x): exact in float64.
  void expect_healthy() {
    g.as_default();  // a row may have made another graph the default
    const T before = s->value(w);
    const T xv{{1., 2., 3.}, {-1., 0., 2.}};
    double want = 0;
    for (int i = 0; i < 6; ++i) want += xv.flat(i) * before.flat(i % 3);
    EXPECT_EQ(s->run(y, {{x, xv}}).item<double>(), want) << "the session no longer computes y";
    s->run(step, {{x, xv}});
    const T after = s->value(w);
    const double moved[3] = {0., 2., 5.};
    for (int j = 0; j < 3; ++j) EXPECT_EQ(after.flat(j), before.flat(j) - 0.5 * moved[j]) << "w[" << j << "] after a step";
  }
};

// Builds a placeholder in the world's graph.
Node P(DType d, const Shape& s, const std::string& name) { return placeholder(d, s, name); }
Node P(const Shape& s, const std::string& name) { return placeholder(DType::f64, s, name); }
Node U(const std::string& name) { return placeholder(DType::f64, Shape::unknown_rank(), name); }

// IDX bytes: magic [0, 0, type, rank] and big-endian dims.
Bytes idx_header(int type, std::vector<std::uint32_t> dims, int rank = -1) {
  Bytes b{0, 0, static_cast<unsigned char>(type), static_cast<unsigned char>(rank < 0 ? dims.size() : rank)};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  return b;
}
Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// A safetensors file: an 8-byte little-endian length, the header text, then `data`.
Bytes safetensors_bytes(const std::string& header, const Bytes& data = {}) {
  Bytes b;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<unsigned char>(static_cast<std::uint64_t>(header.size()) >> (8 * i)));
  b.insert(b.end(), header.begin(), header.end());
  return b + data;
}
// A valid checkpoint of {name: value} written by save_safetensors, read back as bytes.
Bytes checkpoint_bytes(World& W, const std::string& name, const Tensor& value) {
  const std::string p = W.path("ok_" + name + ".safetensors");
  save_safetensors(p, {{name, value}});
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

struct Expect {
  const std::type_info* type;
  const char* name;
};
template <class E> constexpr Expect raises(const char* name) { return {&typeid(E), name}; }
const Expect kShape = raises<ShapeError>("ShapeError"), kDType = raises<DTypeError>("DTypeError"),
             kFeed = raises<FeedError>("FeedError"), kGraph = raises<GraphError>("GraphError"),
             kIo = raises<IoError>("IoError"), kNumerics = raises<NumericsError>("NumericsError"),
             kError = raises<Error>("Error (the base: no narrower type fits)");

struct Misuse {
  std::string category;
  std::string name;
  Expect expect;
  std::vector<std::string> mentions;  // substrings the message must contain
  std::function<void(World&)> act;    // performs the misuse (must throw)
  std::string skip = "";              // "needs fix in <file>: <what>" while the library is wrong
};

void PrintTo(const Misuse& m, std::ostream* os) { *os << m.category << ": " << m.name; }

std::string type_name_of(const std::exception& e) {
  for (const Expect& k : {kShape, kDType, kFeed, kGraph, kIo, kNumerics, kError})
    if (typeid(e) == *k.type) return k.name;
  return std::string("non-tensorgraph ") + typeid(e).name();
}

// clang-format off
std::vector<Misuse> misuses() {
  return {
  // --- build time: ranks and shapes ---
  {"build shape", "matmul inner dimensions differ", kShape, {"matmul", "'a23", "'b23", "[2, 3]"},
   [](World&) { matmul(P({2, 3}, "a23"), P({2, 3}, "b23")); }},
  {"build shape", "matmul of a rank-3 operand", kShape, {"matmul", "'r3", "[2, 2, 2]"},
   [](World&) { matmul(P({2, 2}, "m22"), P({2, 2, 2}, "r3")); }},
  {"build shape", "matmul vector.vector of different lengths", kShape, {"matmul", "'v3", "'v4", "[3]", "[4]"},
   [](World&) { matmul(P({3}, "v3"), P({4}, "v4")); }},
  {"build shape", "add: [2,3] + [4] do not broadcast", kShape, {"add", "'p23", "'p4", "[2, 3]", "[4]", "broadcast"},
   [](World&) { add(P({2, 3}, "p23"), P({4}, "p4")); }},
  {"build shape", "multiply: [2,3,4] * [3,5] do not broadcast", kShape, {"multiply", "[2, 3, 4]", "[3, 5]", "broadcast"},
   [](World&) { multiply(P({2, 3, 4}, "q"), P({3, 5}, "r")); }},
  {"build shape", "reshape [2,3] to [4,2]", kShape, {"reshape", "'six", "6 elements", "[4, 2]", "8 elements"},
   [](World&) { reshape(P({2, 3}, "six"), {4, 2}); }},
  {"build shape", "reshape with two -1", kShape, {"reshape", "'six", "more than one -1"},
   [](World&) { reshape(P({2, 3}, "six"), {-1, -1}); }},
  {"build shape", "reshape [2,3] to [4,-1]: 6 not divisible by 4", kShape, {"reshape", "6 elements", "[4, ?]"},
   [](World&) { reshape(P({2, 3}, "six"), {4, -1}); }},
  {"build shape", "reshape_like to another element count", kShape, {"reshape", "'six", "'four", "[2, 3]", "[4]"},
   [](World&) { reshape_like(P({2, 3}, "six"), P({4}, "four")); }},
  {"build shape", "softmax of a scalar", kShape, {"softmax", "'s0", "scalar"},
   [](World&) { softmax(P(Shape{}, "s0")); }},
  {"build shape", "softmax_cross_entropy labels [2,3], logits [2,4]", kShape,
   {"softmax_cross_entropy_with_logits", "'lab", "'lg", "[2, 3]", "[2, 4]", "same shape"},
   [](World&) { softmax_cross_entropy_with_logits(P({2, 3}, "lab"), P({2, 4}, "lg")); }},
  {"build shape", "sparse softmax CE labels [3] for logits [2,4]", kShape,
   {"sparse_softmax_cross_entropy_with_logits", "[3]", "[2, 4]", "[2]"},
   [](World&) { sparse_softmax_cross_entropy_with_logits(P(DType::i64, {3}, "ids"), P({2, 4}, "lg")); }},
  {"build shape", "transpose perm of the wrong length", kShape, {"transpose", "'t23", "perm has 1 axes", "rank-2"},
   [](World&) { transpose(P({2, 3}, "t23"), {0}); }},
  {"build shape", "transpose perm repeating an axis", kShape, {"transpose", "'t23", "repeats axis 1"},
   [](World&) { transpose(P({2, 3}, "t23"), {1, 1}); }},
  {"build shape", "transpose perm naming axis 2 of a rank-2 input", kShape, {"transpose", "'t23", "axis 2", "rank 2"},
   [](World&) { transpose(P({2, 3}, "t23"), {0, 2}); }},
  {"build shape", "reduce_sum axis 2 of a rank-2 input", kShape, {"reduce_sum", "'m", "axis 2", "-2 <= axis < 2"},
   [](World&) { reduce_sum(P({2, 3}, "m"), 2); }},
  {"build shape", "reduce_mean negative axis -3 of a rank-2 input", kShape, {"reduce_mean", "axis -3", "rank 2"},
   [](World&) { reduce_mean(P({2, 3}, "m"), -3); }},
  {"build shape", "reduce_max axes 1 and -1 (the same axis twice)", kShape, {"reduce_max", "repeated"},
   [](World&) { reduce_max(P({2, 3}, "m"), {1, -1}); }},
  {"build shape", "argmax axis 5 of a rank-2 input", kShape, {"argmax", "'m", "axis 5", "rank 2"},
   [](World&) { argmax(P({2, 3}, "m"), 5); }},
  {"build shape", "argmax axis -3 of a rank-2 input", kShape, {"argmax", "axis -3", "rank 2"},
   [](World&) { argmax(P({2, 3}, "m"), -3); }},
  {"build shape", "argmax of a scalar", kShape, {"argmax", "scalar"},
   [](World&) { argmax(P(Shape{}, "s0"), 0); }},
  {"build shape", "argmax along an empty axis", kShape, {"argmax", "'e", "empty axis", "[0, 3]"},
   [](World&) { argmax(P({0, 3}, "e"), 0); }},
  {"build shape", "reduce_max over the empty axis of [0,3]", kShape, {"reduce_max", "'e", "zero-size axis", "[0, 3]"},
   [](World&) { reduce_max(P({0, 3}, "e"), 0); }},
  {"build shape", "one_hot depth 0", kShape, {"one_hot", "'ids", "depth must be at least 1, got 0"},
   [](World&) { one_hot(P(DType::i64, {3}, "ids"), 0); }},
  {"build shape", "a shape of rank 9", kShape, {"rank above the maximum of 8"},
   [](World&) { P({1, 1, 1, 1, 1, 1, 1, 1, 1}, "deep"); }},
  {"build shape", "a negative dimension", kShape, {"negative dimension -2"},
   [](World&) { P({3, -2}, "neg"); }},
  // --- shape products that overflow int64 ---
  {"overflow", "a tensor of 2^32 x 2^32 elements", kShape, {"[4294967296, 4294967296]", "overflows int64"},
   [](World&) { Tensor(DType::f32, {std::int64_t{1} << 32, std::int64_t{1} << 32}); }},
  {"overflow", "a tensor whose byte size overflows (2^59 x 8 float64)", kShape, {"byte size", "[576460752303423488, 8]", "overflows"},
   [](World&) { Tensor(DType::f64, {std::int64_t{1} << 59, 8}); }},
  {"overflow", "reshape of a [2^32, 2^32] placeholder to [-1]", kShape, {"reshape", "'huge", "[4294967296, 4294967296]", "overflows int64"},
   [](World&) { reshape(P({std::int64_t{1} << 32, std::int64_t{1} << 32}, "huge"), {-1}); }},
  {"overflow", "reshape [2,3] to [2^62, 8]", kShape, {"reshape", "'six", "[4611686018427387904, 8]", "int64"},
   [](World&) { reshape(P({2, 3}, "six"), {std::int64_t{1} << 62, 8}); }},
  {"overflow", "broadcast [2^32,1] + [1,2^32] to an uncountable shape", kShape, {"add", "'col", "'row", "overflows int64"},
   [](World&) { add(P({std::int64_t{1} << 32, 1}, "col"), P({1, std::int64_t{1} << 32}, "row")); }},
  // --- build time: dtypes ---
  {"build dtype", "float32 + float64", kDType, {"add", "'a32", "'b64", "float32", "float64", "cast"},
   [](World&) { add(P(DType::f32, {2}, "a32"), P(DType::f64, {2}, "b64")); }},
  {"build dtype", "matmul float32 x float64", kDType, {"matmul", "float32", "float64"},
   [](World&) { matmul(P(DType::f32, {2, 2}, "a32"), P(DType::f64, {2, 2}, "b64")); }},
  {"build dtype", "exp of int32", kDType, {"exp", "'counts", "int32", "float32 or float64"},
   [](World&) { exp(P(DType::i32, {2}, "counts")); }},
  {"build dtype", "log of bool", kDType, {"log", "'flags", "bool"},
   [](World&) { log(P(DType::boolean, {2}, "flags")); }},
  {"build dtype", "bool + bool", kDType, {"add", "bool", "cast to a number"},
   [](World&) { add(P(DType::boolean, {2}, "f1"), P(DType::boolean, {2}, "f2")); }},
  {"build dtype", "reduce_mean of int32", kDType, {"reduce_mean", "int32"},
   [](World&) { reduce_mean(P(DType::i32, {2}, "counts")); }},
  {"build dtype", "softmax of int64", kDType, {"softmax", "int64"},
   [](World&) { softmax(P(DType::i64, {2, 2}, "ids")); }},
  {"build dtype", "sparse softmax CE with float labels", kDType, {"sparse_softmax_cross_entropy_with_logits", "labels must be int32 or int64", "float64"},
   [](World&) { sparse_softmax_cross_entropy_with_logits(P({2}, "flabels"), P({2, 3}, "lg")); }},
  {"build dtype", "softmax CE with int labels and float logits", kDType, {"softmax_cross_entropy_with_logits", "int64", "float64"},
   [](World&) { softmax_cross_entropy_with_logits(P(DType::i64, {2, 3}, "ilab"), P({2, 3}, "lg")); }},
  {"build dtype", "one_hot of float indices", kDType, {"one_hot", "'fidx", "int32 or int64", "float64"},
   [](World&) { one_hot(P({3}, "fidx"), 4); }},
  {"build dtype", "argmax of bool", kDType, {"argmax", "bool"},
   [](World&) { argmax(P(DType::boolean, {3}, "flags"), 0); }},
  {"build dtype", "cast to an unknown dtype", kDType, {"cast", "target dtype"},
   [](World&) { cast(P({3}, "v"), DType::unknown); }},
  {"build dtype", "negative of bool", kDType, {"negative", "bool"},
   [](World&) { negative(P(DType::boolean, {3}, "flags")); }},
  // --- feeds ---
  {"feed", "a needed placeholder not fed", kFeed, {"placeholder 'x", "float64 [?, 3]", "must be fed"},
   [](World& W) { W.run(W.y); }},
  {"feed", "a [2,4] value for a [?,3] placeholder", kShape, {"'x", "[?, 3]", "[2, 4]"},
   [](World& W) { W.run(W.y, {{W.x, T::zeros({2, 4})}}); }},
  {"feed", "a rank-1 value for a [?,3] placeholder", kShape, {"'x", "[?, 3]", "fed shape [3]"},
   [](World& W) { W.run(W.y, {{W.x, T{1., 2., 3.}}}); }},
  {"feed", "a float32 value for a float64 placeholder", kDType, {"'x", "expects dtype float64", "fed float32", "[1, 3]"},
   [](World& W) { W.run(W.y, {{W.x, T::zeros({1, 3}, DType::f32)}}); }},
  {"feed", "an int32 value for a float64 placeholder (C++ does not convert)", kDType, {"'x", "float64", "int32"},
   [](World& W) { W.run(W.y, {{W.x, T::zeros({1, 3}, DType::i32)}}); }},
  {"feed", "an undefined Tensor", kFeed, {"'x", "undefined"},
   [](World& W) { W.run(W.y, {{W.x, Tensor()}}); }},
  {"feed", "an invalid (default) Node as a feed key", kFeed, {"invalid Node"},
   [](World& W) { W.run(W.y, {{Node(), T::zeros({1, 3})}}); }},
  {"feed", "a value of the wrong shape for an overridden op node", kShape, {"'y", "expects shape []", "[2]"},
   [](World& W) { W.run(W.y + 1.0, {{W.y, T{1., 2.}}}); }},
  {"feed", "feeding the Variable a minimize step updates", kFeed, {"updates Variable 'w", "which this run feeds"},
   [](World& W) { W.run(W.step, {{W.x, T::zeros({1, 3})}, {W.w, T{0., 0., 0.}}}); }},
  // --- run time: shapes known only when fed ---
  {"run shape", "add of unshaped placeholders fed [2,3] and [2,4]", kShape, {"add", "'the_sum", "[2, 3]", "[2, 4]", "broadcast"},
   [](World& W) { Node a = U("ua"), b = U("ub"); W.run(add(a, b, "the_sum"), {{a, T::zeros({2, 3})}, {b, T::zeros({2, 4})}}); }},
  {"run shape", "matmul of unshaped placeholders fed [2,3] and [2,3]", kShape, {"matmul", "'mm", "[2, 3]"},
   [](World& W) { Node a = U("ua"), b = U("ub"); W.run(matmul(a, b, false, false, "mm"), {{a, T::zeros({2, 3})}, {b, T::zeros({2, 3})}}); }},
  {"run shape", "reshape of an unshaped placeholder fed 6 elements to [4,2]", kShape, {"reshape", "'r42", "[2, 3]", "[4, 2]"},
   [](World& W) { Node a = U("ua"); W.run(reshape(a, {4, 2}, "r42"), {{a, T::zeros({2, 3})}}); }},
  {"run shape", "transpose perm [1,0] of a rank-3 feed", kShape, {"transpose", "'tp", "perm has 2 axes", "rank-3"},
   [](World& W) { Node a = U("ua"); W.run(transpose(a, {1, 0}, "tp"), {{a, T::zeros({2, 2, 2})}}); }},
  {"run shape", "reduce_sum axis 2 of a rank-2 feed", kShape, {"reduce_sum", "'rs", "axis 2", "rank 2"},
   [](World& W) { Node a = U("ua"); W.run(reduce_sum(a, 2, false, "rs"), {{a, T::zeros({2, 2})}}); }},
  {"run shape", "softmax CE of unshaped labels [2,3] and logits [2,4]", kShape, {"softmax_cross_entropy_with_logits", "'ce", "[2, 3]", "[2, 4]"},
   [](World& W) { Node l = U("ul"), x = U("ux"); W.run(softmax_cross_entropy_with_logits(l, x, "ce"), {{l, T::zeros({2, 3})}, {x, T::zeros({2, 4})}}); }},
  // --- run time: values ---
  {"build dtype", "fill_like of int32 with a value beyond int32", kDType, {"fill_like", "does not fit int32"},
   [](World&) { fill_like(P(DType::i32, {2}, "ints"), 1e300); }},
  {"build dtype", "fill_like of int64 with NaN", kDType, {"fill_like", "does not fit int64"},
   [](World&) { fill_like(P(DType::i64, {2}, "longs"), std::nan("")); }},
  {"graph", "random_uniform_like with a seed beyond 2^63", kGraph, {"random_uniform_like", "seed", "2^63"},
   [](World&) { random_uniform_like(P({2}, "r"), ~std::uint64_t{0}); }},
  {"run value", "one_hot index 5 for depth 3", kShape, {"one_hot", "'oh", "index 5 at position 1", "outside [0, 3)"},
   [](World& W) { Node i = P(DType::i64, {3}, "ids"); W.run(one_hot(i, 3, DType::f32, "oh"), {{i, T::from_vector<std::int64_t>({0, 5, 1}, {3})}}); }},
  {"run value", "one_hot index -1", kShape, {"one_hot", "'oh", "index -1 at position 0", "outside [0, 3)"},
   [](World& W) { Node i = P(DType::i32, {2}, "ids"); W.run(one_hot(i, 3, DType::f32, "oh"), {{i, T::from_vector<std::int32_t>({-1, 0}, {2})}}); }},
  {"run value", "sparse softmax CE label 3 for 3 classes", kShape, {"sparse_softmax_cross_entropy_with_logits", "'sce", "label 3 in row 1", "outside [0, 3)"},
   [](World& W) { Node l = P(DType::i64, {2}, "ids"), x = P({2, 3}, "lg");
                  W.run(sparse_softmax_cross_entropy_with_logits(l, x, "sce"), {{l, T::from_vector<std::int64_t>({0, 3}, {2})}, {x, T::zeros({2, 3})}}); }},
  {"run value", "sparse softmax CE label -2", kShape, {"'sce", "label -2 in row 0"},
   [](World& W) { Node l = P(DType::i32, {1}, "ids"), x = P({1, 3}, "lg");
                  W.run(sparse_softmax_cross_entropy_with_logits(l, x, "sce"), {{l, T::from_vector<std::int32_t>({-2}, {1})}, {x, T::zeros({1, 3})}}); }},
  {"run value", "sparse softmax CE: 3 labels for 2 rows (unshaped)", kShape, {"'sce", "labels [3]", "without the class axis, [2]"},
   [](World& W) { Node l = placeholder(DType::i64, Shape::unknown_rank(), "ul"), x = U("ux");
                  W.run(sparse_softmax_cross_entropy_with_logits(l, x, "sce"), {{l, T::from_vector<std::int64_t>({0, 1, 2}, {3})}, {x, T::zeros({2, 4})}}); }},
  {"run value", "integer division by zero", kError, {"divide", "'idiv", "integer division by zero"},
   [](World& W) { Node a = P(DType::i32, {2}, "num"), b = P(DType::i32, {2}, "den");
                  W.run(divide(a, b, "idiv"), {{a, T::from_vector<std::int32_t>({4, 2}, {2})}, {b, T::from_vector<std::int32_t>({2, 0}, {2})}}); }},
  // --- check_numerics ---
  {"numerics", "check_numerics of a NaN and two Infs", kNumerics,
   {"check_numerics 'cn", "after the input layer", "1 NaN and 2 Inf values", "among 6", "float64 [2, 3]", "flat index 2 [0, 2]"},
   [](World& W) { Node a = P({2, 3}, "in"); W.run(check_numerics(a, "after the input layer", "cn"), {{a, T{{0., 1., kInf}, {kNaN, 2., -kInf}}}}); }},
  {"numerics", "check_numerics after log(0)", kNumerics, {"check_numerics 'cn", "log of the input", "0 NaN and 1 Inf", "float32 [3]", "flat index 1 [1] is -inf"},
   [](World& W) { Node a = P(DType::f32, {3}, "in"); W.run(check_numerics(log(a), "log of the input", "cn"), {{a, T::from_vector<float>({1.f, 0.f, 2.f}, {3})}}); }},
  {"numerics", "check_numerics on the gradient path: d log(x)/dx at x = 0", kNumerics, {"gradient of cn", "input check", "0 NaN and 1 Inf", "flat index 0"},
   [](World& W) { Node a = P({2}, "in"); Node l = reduce_sum(log(check_numerics(a, "input check", "cn")));
                  W.run(gradients(l, {a})[0], {{a, T{0., 1.}}}); }},
  // --- graph misuse ---
  {"graph", "fetching a node of another graph", kGraph, {"fetch 'foreign", "another graph"},
   [](World& W) { Graph other; other.as_default(); Node f = constant(T{1.}, "foreign"); W.g.as_default(); W.run(f); }},
  {"graph", "feeding a node of another graph", kGraph, {"fed node 'foreign_p", "another graph"},
   [](World& W) { Graph other; other.as_default(); Node f = placeholder(DType::f64, {1}, "foreign_p"); W.g.as_default();
                  W.run(W.y, {{W.x, T::zeros({1, 3})}, {f, T{1.}}}); }},
  {"graph", "an op on nodes of two graphs", kGraph, {"add", "'foreign", "another graph", "'x"},
   [](World& W) { Graph other; other.as_default(); Node f = constant(T{1., 2., 3.}, "foreign"); W.g.as_default(); add(W.x, f); }},
  {"graph", "an op on an invalid (default) Node", kGraph, {"exp", "input 0 is an invalid Node"},
   [](World&) { exp(Node()); }},
  {"graph", "fetching an invalid (default) Node", kGraph, {"fetch is an invalid Node"},
   [](World& W) { W.run(Node()); }},
  {"graph", "a node name that does not exist", kGraph, {"no_such_node"},
   [](World& W) { W.g.node("no_such_node"); }},
  {"graph", "a node id out of range", kGraph, {"99999"},
   [](World& W) { W.g.node(99999); }},
  {"graph", "consuming the value of an update op", kGraph, {"'GradientDescent", "update operation", "no value"},
   [](World& W) { add(W.step, W.step); }},
  {"graph", "Session::assign of the wrong shape", kShape, {"assign", "'w", "float64 [3]", "float64 [2]"},
   [](World& W) { W.s->assign(W.w, T{1., 2.}); }},
  {"graph", "Session::assign to a placeholder", kGraph, {"assign", "'x", "is not a Variable"},
   [](World& W) { W.s->assign(W.x, T::zeros({1, 3})); }},
  // --- optimizers ---
  {"optimizer", "minimize a loss that depends on no Variable", kGraph, {"GradientDescentOptimizer.minimize", "'lonely_loss", "no trainable Variable"},
   [](World&) { train::GradientDescentOptimizer(0.1).minimize(reduce_sum(P({3}, "p3"), {}, false, "lonely_loss")); }},
  {"optimizer", "Adam on a loss that depends only on a non-trainable Variable", kGraph, {"AdamOptimizer.minimize", "'frozen_loss", "no trainable Variable"},
   [](World&) { Node v = Variable(T{1.}, "frozen", false); train::AdamOptimizer(0.1).minimize(reduce_sum(square(v), {}, false, "frozen_loss")); }},
  {"optimizer", "minimize with a placeholder in var_list", kGraph, {"minimize", "'x", "is not a Variable"},
   [](World& W) { train::GradientDescentOptimizer(0.1).minimize(W.y, {W.x}); }},
  {"optimizer", "gradient descent with learning rate 0", kGraph, {"GradientDescentOptimizer", "learning_rate", "positive finite", "0"},
   [](World&) { train::GradientDescentOptimizer(0.0); }},
  {"optimizer", "gradient descent with a NaN learning rate", kGraph, {"GradientDescentOptimizer", "learning_rate", "nan"},
   [](World&) { train::GradientDescentOptimizer{kNaN}; }},
  {"optimizer", "Adam with beta1 = 1", kGraph, {"AdamOptimizer", "beta1", "in [0, 1)", "got 1"},
   [](World&) { train::AdamOptimizer(0.1, 1.0); }},
  // --- checkpoints (train::Saver, safetensors) ---
  {"checkpoint", "restore into a Variable of another shape", kIo, {"Saver.restore", "Variable 'w", "expects float64 [2]", "holds float64 [3]", "no Variable was restored"},
   [](World& W) { train::Saver({W.w}).save(*W.s, W.path("w.safetensors"));
                  Graph g2; g2.as_default(); Node w2 = Variable(T{0., 0.}, "w"); Session s2(g2); W.g.as_default();
                  train::Saver({w2}).restore(s2, W.path("w.safetensors")); }},
  {"checkpoint", "restore a graph with a Variable missing from the file", kIo, {"Variable 'b", "float64 [2]", "missing from the file"},
   [](World& W) { train::Saver({W.w}).save(*W.s, W.path("w.safetensors"));
                  Graph g2; g2.as_default(); Node w2 = Variable(T{0., 0., 0.}, "w"), b2 = Variable(T{0., 0.}, "b"); Session s2(g2); W.g.as_default();
                  train::Saver({w2, b2}).restore(s2, W.path("w.safetensors")); }},
  {"checkpoint", "strict restore of a file with an extra tensor", kIo, {"tensor \"extra\"", "matches no Variable (strict)"},
   [](World& W) { save_safetensors(W.path("x.safetensors"), {{"w", T{9., 9., 9.}}, {"extra", T{1.}}});
                  train::Saver({W.w}).restore(*W.s, W.path("x.safetensors"), true); }},
  {"checkpoint", "restore a Variable into a session of another graph", kGraph, {"Saver.restore", "Variable 'w", "not in the session's graph"},
   [](World& W) { train::Saver({W.w}).save(*W.s, W.path("w.safetensors")); Graph g2; Session s2(g2);
                  train::Saver({W.w}).restore(s2, W.path("w.safetensors")); }},
  {"checkpoint", "a Saver over a placeholder", kGraph, {"Saver", "'x", "is not a Variable"},
   [](World& W) { train::Saver({W.x}); }},
  {"checkpoint", "a Saver with two Variables of one name", kGraph, {"Saver", "two Variables named 'w"},
   [](World& W) { Graph g2; g2.as_default(); Node w2 = Variable(T{0.}, "w"); W.g.as_default(); train::Saver({W.w, w2}); }},
  {"checkpoint", "a Saver on a graph without Variables", kGraph, {"Saver", "no Variables to save"},
   [](World&) { Graph empty; empty.as_default(); train::Saver saver; }},
  {"checkpoint", "restore from a missing file", kIo, {"load_safetensors", "cannot open", "missing.safetensors"},
   [](World& W) { train::Saver({W.w}).restore(*W.s, W.path("missing.safetensors")); }},
  {"checkpoint", "save into a folder that does not exist", kIo, {"save_safetensors", "cannot write", "no_dir"},
   [](World& W) { train::Saver({W.w}).save(*W.s, W.path("no_dir/w.safetensors")); }},
  {"checkpoint", "a 5-byte checkpoint", kIo, {"'", "5 bytes", "fewer than the 8-byte header length"},
   [](World& W) { train::Saver({W.w}).restore(*W.s, W.write("short.safetensors", Bytes{1, 2, 3, 4, 5})); }},
  {"checkpoint", "a checkpoint truncated in its data", kIo, {"trunc.safetensors", "\"w\"", "past the end", "truncated"},
   [](World& W) { Bytes b = checkpoint_bytes(W, "w", T{1., 2., 3.}); b.resize(b.size() - 5);
                  train::Saver({W.w}).restore(*W.s, W.write("trunc.safetensors", b)); }},
  {"checkpoint", "a header length beyond the file", kIo, {"header length 1000", "exceeds the 2 bytes"},
   [](World& W) { Bytes b = safetensors_bytes("{}"); b[0] = 0xe8; b[1] = 0x03;
                  train::Saver({W.w}).restore(*W.s, W.write("long.safetensors", b)); }},
  {"checkpoint", "a header that is not JSON", kIo, {"invalid JSON header"},
   [](World& W) { train::Saver({W.w}).restore(*W.s, W.write("json.safetensors", safetensors_bytes("{\"w\": [1, 2"))); }},
  {"checkpoint", "a tensor with an unknown dtype", kIo, {"\"w\"", "Q8"},
   [](World& W) { train::Saver({W.w}).restore(*W.s, W.write("dtype.safetensors",
                    safetensors_bytes("{\"w\":{\"dtype\":\"Q8\",\"shape\":[3],\"data_offsets\":[0,24]}}", Bytes(24, 0)))); }},
  {"checkpoint", "data_offsets that disagree with dtype x shape", kIo, {"\"w\"", "F64 [3]", "needs 24"},
   [](World& W) { train::Saver({W.w}).restore(*W.s, W.write("size.safetensors",
                    safetensors_bytes("{\"w\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", Bytes(16, 0)))); }},
  // --- IDX files ---
  {"idx", "a missing IDX file", kIo, {"read_idx", "nothing.idx", "cannot open"},
   [](World& W) { read_idx(W.path("nothing.idx")); }},
  {"idx", "a 2-byte IDX file", kIo, {"read_idx", "short.idx", "truncated header (fewer than 4 bytes)"},
   [](World& W) { read_idx(W.write("short.idx", Bytes{0, 0})); }},
  {"idx", "a wrong magic number", kIo, {"magic.idx", "not an IDX file"},
   [](World& W) { read_idx(W.write("magic.idx", Bytes{1, 2, 8, 1, 0, 0, 0, 1, 7})); }},
  {"idx", "an unknown data type", kIo, {"type.idx", "unknown IDX data type"},
   [](World& W) { read_idx(W.write("type.idx", idx_header(0x07, {1}) + Bytes{7})); }},
  {"idx", "rank 9", kIo, {"rank.idx", "rank 9 is not between 1 and 8"},
   [](World& W) { read_idx(W.write("rank.idx", idx_header(0x08, {1, 1, 1, 1, 1, 1, 1, 1, 1}))); }},
  {"idx", "dimensions cut short", kIo, {"dims.idx", "truncated header (dimensions)"},
   [](World& W) { read_idx(W.write("dims.idx", idx_header(0x08, {2}, 2))); }},
  {"idx", "data cut short", kIo, {"data.idx", "[2, 3]", "needs 6 bytes", "has 4"},
   [](World& W) { read_idx(W.write("data.idx", idx_header(0x08, {2, 3}) + Bytes{1, 2, 3, 4})); }},
  {"idx", "trailing bytes", kIo, {"tail.idx", "trailing bytes after the [2] data"},
   [](World& W) { read_idx(W.write("tail.idx", idx_header(0x08, {2}) + Bytes{1, 2, 3})); }},
  {"idx", "dimensions describing more than 4 GiB", kIo, {"huge.idx", "more than 4 GiB"},
   [](World& W) { read_idx(W.write("huge.idx", idx_header(0x0E, {65536, 65536, 2}))); }},
  {"idx", "a gzip stream of garbage", kIo, {"gz.idx.gz", "corrupt compressed data"},
   [](World& W) { read_idx(W.write("gz.idx.gz", Bytes{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8})); }},
  // --- CSV files ---
  {"csv", "a ragged row", kIo, {"read_csv", "ragged.csv", "line 3, column 3", "2 fields", "the first has 3"},
   [](World& W) { read_csv(W.write("ragged.csv", "a,b,c\n1,2,3\n4,5\n")); }},
  {"csv", "a field that is not a number", kIo, {"text.csv", "line 2, column 2", "'abc' is not a number"},
   [](World& W) { read_csv(W.write("text.csv", "a,b\n1,abc\n")); }},
  {"csv", "a number with trailing junk", kIo, {"junk.csv", "line 1, column 1", "'1.5x' is not a number"},
   [](World& W) { read_csv(W.write("junk.csv", "1.5x,2\n"), false); }},
  {"csv", "an empty field", kIo, {"field.csv", "line 2, column 2", "empty field"},
   [](World& W) { read_csv(W.write("field.csv", "a,b,c\n1,,3\n")); }},
  {"csv", "a blank line between rows", kIo, {"blank.csv", "line 3", "empty line"},
   [](World& W) { read_csv(W.write("blank.csv", "a,b\n1,2\n\n3,4\n")); }},
  {"csv", "an empty file", kIo, {"empty.csv", "empty file"},
   [](World& W) { read_csv(W.write("empty.csv", "")); }},
  {"csv", "a header and no rows", kIo, {"header.csv", "no data rows"},
   [](World& W) { read_csv(W.write("header.csv", "a,b,c\n")); }},
  {"csv", "a number out of the float64 range", kIo, {"range.csv", "'1e999' is out of the float64 range"},
   [](World& W) { read_csv(W.write("range.csv", "1,1e999\n"), false); }},
  {"csv", "a missing CSV file", kIo, {"read_csv", "none.csv", "cannot open"},
   [](World& W) { read_csv(W.path("none.csv")); }},
  // --- feeds the fetches do not need are checked too ---
  {"feed", "an unused feed of the wrong shape is refused (TensorFlow checks every feed)", kShape, {"'unused", "[2]", "[3]"},
   [](World& W) { Node unused = P({2}, "unused"); W.run(W.y, {{W.x, T::zeros({1, 3})}, {unused, T{1., 2., 3.}}}); }},
  };
}
// clang-format on

// Edge cases that are not misuses: each must work and give these values.
struct Accepted {
  std::string category;
  std::string name;
  std::function<void(World&)> check;  // runs and asserts values
};

void PrintTo(const Accepted& a, std::ostream* os) { *os << a.category << ": " << a.name; }

::testing::AssertionResult same(const Tensor& got, const Tensor& want) {
  if (got.dtype() != want.dtype() || !(got.shape() == want.shape()))
    return ::testing::AssertionFailure() << "got " << dtype_name(got.dtype()) << ' ' << got.shape().str() << ", want "
                                         << dtype_name(want.dtype()) << ' ' << want.shape().str();
  for (std::int64_t i = 0; i < want.size(); ++i) {
    const double g = got.flat(i), w = want.flat(i);
    // NaN matches NaN; infinities and zeros (with their sign) match exactly; other values within
    // 2 ulp-ish (exp, tanh and sigmoid are vectorised, not std::).
    const bool ok = std::isnan(w)                  ? std::isnan(g)
                    : std::isinf(w) || w == 0      ? g == w && std::signbit(g) == std::signbit(w)
                                                   : std::fabs(g - w) <= 4e-16 * std::fabs(w);
    if (!ok) return ::testing::AssertionFailure() << "element " << i << " is " << g << ", want " << w << "\n" << got;
  }
  return ::testing::AssertionSuccess();
}
#define EXPECT_SAME(...) EXPECT_TRUE(same(__VA_ARGS__))

T F32(std::vector<float> v, const Shape& s) { return T::from_vector(v, s); }

// clang-format off
std::vector<Accepted> accepted() {
  return {
  // --- feeds the library documents as accepted ---
  {"feed", "an extra feed the fetches do not need is ignored", [](World& W) {
     Node unused = P({2}, "unused");
     const T wv = W.s->value(W.w);
     EXPECT_SAME(W.run(W.y, {{W.x, T{{1., 1., 1.}}}, {unused, T{5., 6.}}}), T::scalar(wv.flat(0) + wv.flat(1) + wv.flat(2))); }},
  {"feed", "feeding an op node overrides it (session.h: 'or any node, overriding it')", [](World& W) {
     EXPECT_SAME(W.run(W.y + 1.0, {{W.y, T::scalar(41.)}}), T::scalar(42.)); }},
  {"feed", "feeding a Variable overrides it for that run only", [](World& W) {
     const T before = W.s->value(W.w);
     EXPECT_SAME(W.run(W.y, {{W.x, T{{1., 1., 1.}}}, {W.w, T{1., 1., 1.}}}), T::scalar(3.));
     EXPECT_SAME(W.s->value(W.w), before); }},
  {"feed", "a [0,3] batch for a [?,3] placeholder", [](World& W) {
     EXPECT_SAME(W.run(W.y, {{W.x, T::zeros({0, 3})}}), T::scalar(0.)); }},
  // --- empty tensors and zero-size dimensions work where the math allows ---
  {"empty", "reduce_sum of [0,3]: axis 0 gives zeros, all axes 0", [](World& W) {
     Node e = P({0, 3}, "e");
     EXPECT_SAME(W.run(reduce_sum(e, 0), {{e, T::zeros({0, 3})}}), T{0., 0., 0.});
     EXPECT_SAME(W.run(reduce_sum(e), {{e, T::zeros({0, 3})}}), T::scalar(0.));
     EXPECT_SAME(W.run(reduce_sum(e, 1), {{e, T::zeros({0, 3})}}), T::zeros({0})); }},
  {"empty", "reduce_mean of [0,3] over axis 0 is NaN (numpy)", [](World& W) {
     Node e = P({0, 3}, "e");
     EXPECT_SAME(W.run(reduce_mean(e, 0), {{e, T::zeros({0, 3})}}), T{kNaN, kNaN, kNaN}); }},
  {"empty", "reduce_max of [2,0] over axis 0 is [] and of [0,3] over axis 1 is []", [](World& W) {
     Node a = P({2, 0}, "a"), b = P({0, 3}, "b");
     EXPECT_SAME(W.run(reduce_max(a, 0), {{a, T::zeros({2, 0})}}), T::zeros({0}));
     EXPECT_SAME(W.run(reduce_max(b, 1), {{b, T::zeros({0, 3})}}), T::zeros({0})); }},
  {"empty", "matmul [0,3].[3,2] = [0,2] and [2,0].[0,3] = zeros [2,3]", [](World& W) {
     Node a = P({0, 3}, "a"), b = P({3, 2}, "b"), c = P({2, 0}, "c"), d = P({0, 3}, "d");
     EXPECT_SAME(W.run(matmul(a, b), {{a, T::zeros({0, 3})}, {b, T::ones({3, 2})}}), T::zeros({0, 2}));
     EXPECT_SAME(W.run(matmul(c, d), {{c, T::zeros({2, 0})}, {d, T::zeros({0, 3})}}), T::zeros({2, 3})); }},
  {"empty", "the same empty matmul at BLAS size (k = 0, m x n = 64 x 64)", [](World& W) {
     Node c = P({64, 0}, "c"), d = P({0, 64}, "d");
     EXPECT_SAME(W.run(matmul(c, d), {{c, T::zeros({64, 0})}, {d, T::zeros({0, 64})}}), T::zeros({64, 64})); }},
  {"empty", "element-wise, softmax, cross-entropy, transpose, reshape and one_hot of empty inputs", [](World& W) {
     Node e = P({0, 3}, "e"), ids = P(DType::i64, {0}, "ids");
     const FeedDict f{{e, T::zeros({0, 3})}, {ids, T::zeros({0}, DType::i64)}};
     EXPECT_SAME(W.run(add(e, constant(T{1., 2., 3.})), f), T::zeros({0, 3}));
     EXPECT_SAME(W.run(exp(e), f), T::zeros({0, 3}));
     EXPECT_SAME(W.run(softmax(e), f), T::zeros({0, 3}));
     EXPECT_SAME(W.run(log_softmax(e), f), T::zeros({0, 3}));
     EXPECT_SAME(W.run(softmax_cross_entropy_with_logits(e, e), f), T::zeros({0}));
     EXPECT_SAME(W.run(sparse_softmax_cross_entropy_with_logits(ids, e), f), T::zeros({0}));
     EXPECT_SAME(W.run(transpose(e), f), T::zeros({3, 0}));
     EXPECT_SAME(W.run(reshape(e, {-1}), f), T::zeros({0}));
     EXPECT_SAME(W.run(reshape(e, {3, 0, 5}), f), T::zeros({3, 0, 5}));
     EXPECT_SAME(W.run(one_hot(ids, 4), f), T::zeros({0, 4}, DType::f32));
     EXPECT_SAME(W.run(argmax(e, 1), f), T::zeros({0}, DType::i64));
     EXPECT_SAME(W.run(check_numerics(e, "empty"), f), T::zeros({0, 3})); }},
  {"empty", "gradients through an empty batch are empty, and the Variable's is zero", [](World& W) {
     const std::vector<Node> g = gradients(W.y, {W.x, W.w});
     EXPECT_SAME(W.run(g[0], {{W.x, T::zeros({0, 3})}}), T::zeros({0, 3}));
     EXPECT_SAME(W.run(g[1], {{W.x, T::zeros({0, 3})}}), T::zeros({3})); }},
  // --- NaN and Inf propagate per IEEE 754 (check_numerics is the op that refuses them) ---
  {"ieee", "NaN and Inf through add, multiply, exp, tanh, sigmoid, sqrt, relu", [](World& W) {
     Node v = P({5}, "v");
     const FeedDict f{{v, T{kNaN, kInf, -kInf, 0., -1.}}};
     EXPECT_SAME(W.run(add(v, v), f), T{kNaN, kInf, -kInf, 0., -2.});
     EXPECT_SAME(W.run(multiply(v, scalar(0, DType::f64)), f), T{kNaN, kNaN, kNaN, 0., -0.});
     EXPECT_SAME(W.run(exp(v), f), T{kNaN, kInf, 0., 1., std::exp(-1.)});
     EXPECT_SAME(W.run(tanh(v), f), T{kNaN, 1., -1., 0., std::tanh(-1.)});
     EXPECT_SAME(W.run(sigmoid(v), f), T{kNaN, 1., 0., 0.5, 1 / (1 + std::exp(1.))});
     EXPECT_SAME(W.run(sqrt(v), f), T{kNaN, kInf, kNaN, 0., kNaN});
     EXPECT_SAME(W.run(relu(v), f), T{kNaN, kInf, 0., 0., 0.}); }},
  {"ieee", "log: log(0) = -inf, log(-1) = NaN, log(inf) = inf; the same in float32", [](World& W) {
     Node v = P({4}, "v"), v32 = P(DType::f32, {4}, "v32");
     EXPECT_SAME(W.run(log(v), {{v, T{0., -1., kInf, 1.}}}), T{-kInf, kNaN, kInf, 0.});
     EXPECT_SAME(W.run(log(v32), {{v32, F32({0.f, -1.f, INFINITY, -0.f}, {4})}}), F32({-INFINITY, NAN, INFINITY, -INFINITY}, {4})); }},
  {"ieee", "divide: 1/0 = inf, -1/0 = -inf, 0/0 = NaN, 1/-0 = -inf", [](World& W) {
     Node a = P({4}, "a"), b = P({4}, "b");
     EXPECT_SAME(W.run(divide(a, b), {{a, T{1., -1., 0., 1.}}, {b, T{0., 0., 0., -0.}}}), T{kInf, -kInf, kNaN, -kInf}); }},
  {"ieee", "the gradient of log at 0 is +inf (ops.h), at -0 it is -inf", [](World& W) {
     Node v = P({3}, "v");
     EXPECT_SAME(W.run(gradients(reduce_sum(log(v)), {v})[0], {{v, T{0., -0., 2.}}}), T{kInf, -kInf, 0.5}); }},
  {"ieee", "the gradients of x / y at y = 0 (ops.h): d/dx = 1/0 = inf, d/dy = -x/0 = -inf, or NaN at x = 0", [](World& W) {
     Node a = P({3}, "a"), b = P({3}, "b");
     const std::vector<Node> g = gradients(reduce_sum(divide(a, b)), {a, b});
     const FeedDict f{{a, T{2., 0., 2.}}, {b, T{0., 0., 4.}}};
     EXPECT_SAME(W.run(g[0], f), T{kInf, kInf, 0.25});
     EXPECT_SAME(W.run(g[1], f), T{-kInf, kNaN, -0.125}); }},
  {"ieee", "reductions: NaN propagates through sum, mean and max; inf + -inf is NaN", [](World& W) {
     Node m = P({2, 3}, "m");
     const FeedDict f{{m, T{{1., kNaN, 3.}, {kInf, -kInf, 2.}}}};
     EXPECT_SAME(W.run(reduce_sum(m, 1), f), T{kNaN, kNaN});
     EXPECT_SAME(W.run(reduce_mean(m, 1), f), T{kNaN, kNaN});
     EXPECT_SAME(W.run(reduce_max(m, 1), f), T{kNaN, kInf});
     EXPECT_SAME(W.run(reduce_max(m, 0), f), T{kInf, kNaN, 3.}); }},
  {"ieee", "argmax points at the first NaN (numpy), else the first maximum", [](World& W) {
     Node m = P({3, 3}, "m");
     const FeedDict f{{m, T{{1., kNaN, 3.}, {kNaN, 5., kNaN}, {-kInf, kInf, kInf}}}};
     EXPECT_SAME(W.run(argmax(m, 1), f), T::from_vector<std::int64_t>({1, 0, 1}, {3})); }},
  {"ieee", "comparisons with NaN are false", [](World& W) {
     Node a = P({2}, "a");
     const FeedDict f{{a, T{kNaN, 1.}}};
     Tensor eq = W.run(equal(a, a), f), gt = W.run(greater(a, scalar(0, DType::f64)), f);
     EXPECT_FALSE(eq.data<bool>()[0]);
     EXPECT_TRUE(eq.data<bool>()[1]);
     EXPECT_FALSE(gt.data<bool>()[0]);
     EXPECT_TRUE(gt.data<bool>()[1]); }},
  {"ieee", "softmax family: a -inf logit is probability 0; a +inf or NaN logit makes its row NaN", [](World& W) {
     Node l = P({3, 2}, "l");
     const FeedDict f{{l, T{{-kInf, 0.}, {kInf, 0.}, {kNaN, 0.}}}};
     EXPECT_SAME(W.run(softmax(l), f), T{{0., 1.}, {kNaN, kNaN}, {kNaN, kNaN}});
     EXPECT_SAME(W.run(log_softmax(l), f), T{{-kInf, 0.}, {kNaN, kNaN}, {kNaN, kNaN}}); }},
  {"ieee", "matmul propagates NaN and Inf", [](World& W) {
     Node a = P({2, 2}, "a"), b = P({2, 2}, "b");
     EXPECT_SAME(W.run(matmul(a, b), {{a, T{{kNaN, 0.}, {1., kInf}}}, {b, T{{1., 0.}, {0., 1.}}}}), T{{kNaN, kNaN}, {kNaN, kInf}}); }},
  {"optimizer", "a var_list Variable with no path to the loss gets a zero gradient and stays put", [](World& W) {
     Node spare = Variable(T{7.}, "spare");
     Node st = train::GradientDescentOptimizer(0.5).minimize(W.y, {W.w, spare});
     W.run(st, {{W.x, T{{0., 0., 0.}}}});
     EXPECT_SAME(W.s->value(spare), T{7.}); }},
  {"check_numerics", "check_numerics of finite values returns them; of integers, any", [](World& W) {
     Node a = P({2}, "a"), i = P(DType::i64, {2}, "i");
     EXPECT_SAME(W.run(check_numerics(a, "m"), {{a, T{1e308, -1e-308}}}), T{1e308, -1e-308});
     const T big = T::from_vector<std::int64_t>({std::numeric_limits<std::int64_t>::max(), -1}, {2});
     EXPECT_SAME(W.run(check_numerics(i, "m"), {{i, big}}), big); }},
  };
}
// clang-format on

void run_misuse(const Misuse& m, World& W) {
  SCOPED_TRACE(m.category + ": " + m.name);
  try {
    m.act(W);
    ADD_FAILURE() << "no exception; expected " << m.expect.name;
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    EXPECT_TRUE(typeid(e) == *m.expect.type) << "raised " << type_name_of(e) << ", expected " << m.expect.name << ": " << msg;
    for (const std::string& part : m.mentions) EXPECT_NE(msg.find(part), std::string::npos) << "'" << part << "' missing from: " << msg;
  }
  W.expect_healthy();
}

std::string test_name(const std::string& category, const std::string& name, std::size_t index) {
  std::string n = std::to_string(index);
  n = std::string(3 - std::min<std::size_t>(3, n.size()), '0') + n + "_" + category + "_" + name;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

class BadInput : public ::testing::TestWithParam<Misuse> {};
TEST_P(BadInput, RaisesTheExactErrorNamingWhatIsWrongAndTheSessionKeepsWorking) {
  const Misuse& m = GetParam();
  if (!m.skip.empty()) GTEST_SKIP() << m.skip;
  World W;
  run_misuse(m, W);
}
INSTANTIATE_TEST_SUITE_P(Catalogue, BadInput, ::testing::ValuesIn(misuses()),
                         [](const auto& info) { return test_name(info.param.category, info.param.name, info.index); });

class EdgeCase : public ::testing::TestWithParam<Accepted> {};
TEST_P(EdgeCase, WorksWithTheseValuesAndTheSessionKeepsWorking) {
  const Accepted& a = GetParam();
  World W;
  a.check(W);
  W.expect_healthy();
}
INSTANTIATE_TEST_SUITE_P(Catalogue, EdgeCase, ::testing::ValuesIn(accepted()),
                         [](const auto& info) { return test_name(info.param.category, info.param.name, info.index); });

// Every row, one after the other, on ONE session: no error leaves it in a bad state.
TEST(BadInputCatalogue, AllRowsOnOneSession) {
  World W;
  for (const Misuse& m : misuses())
    if (m.skip.empty()) run_misuse(m, W);
  for (const Accepted& a : accepted()) {
    SCOPED_TRACE(a.category + ": " + a.name);
    a.check(W);
    W.expect_healthy();
  }
}

TEST(BadInputCatalogue, AtLeast45DistinctMisusesAcrossTheCategories) {
  std::set<std::string> names, categories;
  int active = 0;
  for (const Misuse& m : misuses()) {
    EXPECT_TRUE(names.insert(m.name).second) << "duplicate row: " << m.name;
    EXPECT_FALSE(m.mentions.empty()) << m.name << " checks no message content";
    categories.insert(m.category);
    active += m.skip.empty();
  }
  EXPECT_GE(active, 45);
  EXPECT_GE(categories.size(), 10u);
}

}  // namespace
