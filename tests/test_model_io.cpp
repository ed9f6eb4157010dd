// export_model / import_model: round trip of a trained MLP, refusals, hostile files.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/bounded_json.h"

#include "tensorgraph/custom_op.h"
#include "tensorgraph/random.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;
namespace fs = std::filesystem;

namespace {

std::string tmp_prefix(const std::string& tag) {
  const fs::path dir = fs::temp_directory_path() / ("tg_model_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / tag).string();
}
std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

struct Mlp {
  Graph g;
  Node x, y, probs, step;
  Tensor xs, ys;
};

Mlp trained_mlp() {
  Mlp m;
  m.g.as_default();
  Rng rng(3);
  m.x = placeholder(DType::f32, {kUnknownDim, 4}, "x");
  m.y = placeholder(DType::f32, {kUnknownDim, 3}, "y");
  Node w1 = Variable(Tensor::randn({4, 8}, rng, DType::f32, 0, 0.5), "w1");
  Node b1 = Variable(Tensor::zeros({8}, DType::f32), "b1");
  Node w2 = Variable(Tensor::randn({8, 3}, rng, DType::f32, 0, 0.5), "w2");
  Node b2 = Variable(Tensor::zeros({3}, DType::f32), "b2");
  Node h = tanh(add(matmul(m.x, w1), b1) * 2.0);  // a scalar constant, too
  Node logits = add(matmul(h, w2, false, false), b2, "logits");
  m.probs = softmax(logits, "probs");
  Node loss = reduce_mean(softmax_cross_entropy_with_logits(m.y, logits));
  m.step = train::GradientDescentOptimizer(0.2).minimize(loss);
  m.xs = Tensor::randn({10, 4}, rng, DType::f32);
  m.ys = Tensor(DType::f32, {10, 3});
  for (int i = 0; i < 10; ++i) m.ys.data<float>()[i * 3 + i % 3] = 1;
  return m;
}

void expect_identical(const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.dtype(), b.dtype());
  ASSERT_EQ(a.shape(), b.shape());
  EXPECT_EQ(0, std::memcmp(a.raw(), b.raw(), a.nbytes()));
}

// Expects import_model to throw IoError whose message holds `needle`.
void expect_refused(const std::string& prefix, const std::string& needle) {
  try {
    import_model(prefix);
    ADD_FAILURE() << "no error; expected one mentioning " << needle;
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what() << "\nexpected: " << needle;
  }
}

struct Cube : CustomOp {
  std::string type() const override { return "cube"; }
  Tensor compute(const std::vector<Tensor>& in) override { return in[0]; }
};

}  // namespace

TEST(ModelIo, TrainedMlpRoundTripsBitIdentical) {
  Mlp m = trained_mlp();
  Session s(m.g);
  for (int i = 0; i < 25; ++i) s.run(m.step, {{m.x, m.xs}, {m.y, m.ys}});
  const Tensor want = s.run(m.probs, {{m.x, m.xs}});
  const std::string prefix = tmp_prefix("mlp");
  export_model(s, {m.probs}, prefix);
  ASSERT_TRUE(fs::exists(prefix + ".json"));
  ASSERT_TRUE(fs::exists(prefix + ".safetensors"));
  EXPECT_EQ(read(prefix + ".json").find("apply_gradient_descent"), std::string::npos);  // not a dependency

  LoadedModel loaded = import_model(prefix);
  ASSERT_EQ(loaded.outputs.size(), 1u);
  EXPECT_EQ(loaded.outputs[0].name(), "probs");
  EXPECT_FALSE(loaded.graph == m.g);
  EXPECT_EQ(loaded.nodes.at("x").shape(), Shape({kUnknownDim, 4}));
  EXPECT_TRUE(loaded.nodes.at("w1").trainable());
  Session s2(loaded.graph);
  expect_identical(s2.run(loaded.outputs[0], {{loaded.nodes.at("x"), m.xs}}), want);
  expect_identical(s2.value(loaded.nodes.at("w2")), s.value(m.g.node("w2")));
  // The loaded model trains on, too: its variables are ordinary Variables.
  EXPECT_EQ(loaded.graph.trainable_variables().size(), 4u);
}

TEST(ModelIo, AttributesRoundTrip) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2, 3}, "x");
  Node a = reduce_sum(x, {1}, true, "rs");
  Node b = reshape(transpose(x, {1, 0}), {-1}, "flat");
  Node c = cast(argmax(x, 1), DType::f32, "am");
  Node d = matmul(x, x, false, true, "mm");
  Session s(g);
  const std::string prefix = tmp_prefix("attrs");
  export_model(s, {a, b, c, d}, prefix);
  LoadedModel m = import_model(prefix);
  Tensor xv = Tensor::from_vector<double>({1, 5, 2, 7, 0, 3}, {2, 3});
  Session s2(m.graph);
  auto want = s.run(std::vector<Node>{a, b, c, d}, {{x, xv}});
  auto got = s2.run(m.outputs, {{m.nodes.at("x"), xv}});
  for (std::size_t i = 0; i < want.size(); ++i) expect_identical(got[i], want[i]);
  EXPECT_TRUE(std::get<bool>(m.nodes.at("mm").attr("transpose_b")));
}

TEST(ModelIo, CheckNumericsKeepsItsMessage) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f64, {2}, "x");
  Node y = check_numerics(log(x), "log of the input", "checked");
  Session s(g);
  const std::string prefix = tmp_prefix("numerics");
  export_model(s, {y}, prefix);
  LoadedModel m = import_model(prefix);
  EXPECT_EQ(std::get<std::string>(m.nodes.at("checked").attr("message")), "log of the input");
  Session s2(m.graph);
  try {
    s2.run(m.outputs[0], {{m.nodes.at("x"), Tensor{1.0, -1.0}}});
    FAIL() << "a NaN passed check_numerics";
  } catch (const NumericsError& e) {
    EXPECT_NE(std::string(e.what()).find("log of the input"), std::string::npos) << e.what();
  }
}

TEST(ModelIo, CustomOpIsRefusedOnExportAndImport) {
  Graph g;
  g.as_default();
  Node x = placeholder(DType::f32, {2}, "x");
  Node c = custom_op(std::make_shared<Cube>(), {x}, "mine");
  Session s(g);
  try {
    export_model(s, {c}, tmp_prefix("custom"));
    FAIL() << "exported a custom op";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'mine'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("custom"), std::string::npos) << e.what();
  }
  // A hand-made file naming a custom or update op is refused as well.
  Mlp m = trained_mlp();
  Session s2(m.g);
  const std::string prefix = tmp_prefix("custom_in");
  export_model(s2, {m.probs}, prefix);
  const std::string text = read(prefix + ".json");
  for (const char* op : {"custom", "apply_gradient_descent", "apply_adam"}) {
    std::string bad = text;
    const std::size_t at = bad.find("\"op\":\"softmax\"");
    ASSERT_NE(at, std::string::npos);
    bad.replace(at, std::strlen("\"op\":\"softmax\""), std::string("\"op\":\"") + op + "\"");
    write(prefix + ".json", bad);
    expect_refused(prefix, std::string("\"") + op + "\" is refused");
  }
}

TEST(ModelIo, MalformedJsonIsRefused) {
  Mlp m = trained_mlp();
  Session s(m.g);
  const std::string prefix = tmp_prefix("bad");
  export_model(s, {m.probs}, prefix);
  const std::string good = read(prefix + ".json");
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const std::size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return t;
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good.substr(0, good.size() / 2), "malformed JSON"},
      {"", "malformed JSON"},
      {std::string(100000, '[') + std::string(100000, ']'), "nesting deeper"},
      {"[]", "not a JSON object"},
      {good + "x", "expected end of input"},
      {"{\"format\":\"tensorgraph-model\", \"format\":1}", "duplicate key"},
      {"\xff\xfe", "malformed JSON"},
      {"{\"format\": \"\xff\"}", "UTF-8"},
      {edit("\"version\":1", "\"version\":2"), "version"},
      {edit("\"format\":\"tensorgraph-model\"", "\"format\":\"other\""), "format"},
      {edit("\"kind\":\"placeholder\"", "\"kind\":\"python\""), "unknown kind"},
      {edit("\"op\":\"softmax\"", "\"op\":\"no_such_op\""), "unknown op"},
      {edit("\"dtype\":\"float32\"", "\"dtype\":\"float128\""), "unknown dtype"},
      {edit("\"inputs\":[\"logits\"]", "\"inputs\":[\"probs\"]"), "not an earlier node"},
      {edit("\"inputs\":[\"logits\"]", "\"inputs\":[\"logits\", \"logits\"]"), "expected 1 inputs"},
      {edit("\"shape\":[-1,4]", "\"shape\":[-1,5]"), "inner dimensions differ"},
      {edit("\"outputs\":[\"probs\"]", "\"outputs\":[\"nope\"]"), "not a node"},
      {edit("\"name\":\"x\"", "\"name\":\"x\", \"code\":\"rm -rf\""), "unknown field"},
  };
  // A declared shape that the shape rule does not give is refused too.
  std::string declared = good;
  const std::size_t probs_at = declared.find("\"name\":\"probs\"");
  ASSERT_NE(probs_at, std::string::npos);
  const std::size_t shape_at = declared.find("\"shape\":[-1,3]", probs_at);
  ASSERT_NE(shape_at, std::string::npos);
  declared.replace(shape_at, std::strlen("\"shape\":[-1,3]"), "\"shape\":[-1,4]");
  write(prefix + ".json", declared);
  expect_refused(prefix, "node \"probs\": the shape rule gives float32 [?, 3], the file declares float32 [?, 4]");
  for (const auto& [text, needle] : cases) {
    write(prefix + ".json", text);
    expect_refused(prefix, needle);
  }
  write(prefix + ".json", good);
  EXPECT_NO_THROW(import_model(prefix));
  fs::remove(prefix + ".json");
  expect_refused(prefix, "cannot open");
}

TEST(ModelIo, MissingOrMismatchedTensorIsRefused) {
  Mlp m = trained_mlp();
  Session s(m.g);
  const std::string prefix = tmp_prefix("tensors");
  export_model(s, {m.probs}, prefix);
  auto tensors = load_safetensors(prefix + ".safetensors");
  auto without = tensors;
  std::erase_if(without, [](const auto& p) { return p.first == "w2"; });
  save_safetensors(prefix + ".safetensors", without);
  expect_refused(prefix, "node \"w2\": its value is missing");
  auto wrong = tensors;
  for (auto& [name, t] : wrong)
    if (name == "b1") t = Tensor::zeros({9}, DType::f32);
  save_safetensors(prefix + ".safetensors", wrong);
  expect_refused(prefix, "node \"b1\": the saved value is float32 [9]");
  for (auto& [name, t] : wrong)
    if (name == "b1") t = Tensor::zeros({8}, DType::f64);
  save_safetensors(prefix + ".safetensors", wrong);
  expect_refused(prefix, "float64 [8]");
  auto extra = tensors;
  extra.emplace_back("stowaway", Tensor::zeros({1}, DType::f32));
  save_safetensors(prefix + ".safetensors", extra);
  expect_refused(prefix, "stowaway");
  fs::remove(prefix + ".safetensors");
  EXPECT_THROW(import_model(prefix), IoError);
}

// A model file as the exporter wrote it before issue 12 (one Attrs struct for every op: argmax's
// axis, one_hot's depth and transpose's permutation in "axes", fill_like's 0-d form in "all_axes",
// random_uniform_like's seed in "value"): it still loads, and computes what those attributes meant.
TEST(ModelIo, FilesWrittenBeforeOpenAttributesStillLoad) {
  const std::string prefix = tmp_prefix("v1_attrs");
  write(prefix + ".json", R"({
  "format": "tensorgraph-model",
  "version": 1,
  "nodes": [{
      "name": "x",
      "kind": "placeholder",
      "inputs": [],
      "attrs": {},
      "dtype": "float64",
      "shape": [-1, 3]}, {
      "name": "am",
      "kind": "operation",
      "op": "argmax",
      "inputs": ["x"],
      "attrs": {
        "axes": [1]},
      "dtype": "int64",
      "shape": [-1]}, {
      "name": "oh",
      "kind": "operation",
      "op": "one_hot",
      "inputs": ["am"],
      "attrs": {
        "axes": [4],
        "dtype": "float32"},
      "dtype": "float32",
      "shape": [-1, 4]}, {
      "name": "t",
      "kind": "operation",
      "op": "transpose",
      "inputs": ["x"],
      "attrs": {
        "axes": [1, 0]},
      "dtype": "float64",
      "shape": [3, -1]}, {
      "name": "five",
      "kind": "operation",
      "op": "fill_like",
      "inputs": ["x"],
      "attrs": {
        "all_axes": true,
        "value": 5},
      "dtype": "float64",
      "shape": []}, {
      "name": "r",
      "kind": "operation",
      "op": "random_uniform_like",
      "inputs": ["x"],
      "attrs": {
        "value": 7},
      "dtype": "float64",
      "shape": [-1, 3]}, {
      "name": "s",
      "kind": "operation",
      "op": "reduce_sum",
      "inputs": ["x"],
      "attrs": {
        "axes": [1],
        "keepdims": true},
      "dtype": "float64",
      "shape": [-1, 1]}],
  "outputs": ["oh", "t", "five", "r", "s"]
}
)");
  save_safetensors(prefix + ".safetensors", {}, {{"format", "tensorgraph-model"}});
  const LoadedModel m = import_model(prefix);
  EXPECT_EQ(std::get<std::int64_t>(m.nodes.at("am").attr("axis")), 1);
  EXPECT_EQ(std::get<std::int64_t>(m.nodes.at("oh").attr("depth")), 4);
  EXPECT_EQ(std::get<std::int64_t>(m.nodes.at("r").attr("seed")), 7);
  Session s(m.graph);
  const Node x = m.nodes.at("x");
  const Tensor xs{{1., 9., 2.}, {8., 0., 3.}};
  const std::vector<Tensor> out = s.run(m.outputs, {{x, xs}});
  expect_identical(out[0], Tensor::from_vector<float>({0, 1, 0, 0, 1, 0, 0, 0}, {2, 4}));
  expect_identical(out[1], Tensor{{1., 8.}, {9., 0.}, {2., 3.}});
  expect_identical(out[2], Tensor::scalar(5.0));
  EXPECT_EQ(out[3].shape(), (Shape{2, 3}));
  expect_identical(out[4], Tensor{{12.}, {11.}});
  // And the same graph exported today reads back with today's names.
  export_model(s, m.outputs, prefix + "_again");
  const std::string text = read(prefix + "_again.json");
  for (const char* key : {"\"axis\":1", "\"depth\":4", "\"perm\":[1,0]", "\"scalar\":true", "\"seed\":7"})
    EXPECT_NE(text.find(key), std::string::npos) << key;
  EXPECT_NO_THROW(import_model(prefix + "_again"));
}

TEST(ModelIo, JsonParserRoundTripsAndLimits) {
  const io::Json v = io::parse_json(R"({"a": [1, -2.5e3, true, null, "\u00e9\ud83d\ude00"], "b": {}})");
  EXPECT_EQ(v["a"][0].get<std::int64_t>(), 1);
  EXPECT_DOUBLE_EQ(v["a"][1].get<double>(), -2500);
  EXPECT_EQ(v["a"][4].get<std::string>(), "\xc3\xa9\xf0\x9f\x98\x80");
  const io::Json w = io::parse_json(io::dump_json(v));
  EXPECT_EQ(io::dump_json(w), io::dump_json(v));
  for (const char* bad : {"01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "{\"a\" 1}", "[1,]", "{,}", "\"a\nb\""})
    EXPECT_THROW(io::parse_json(bad), io::JsonError) << bad;
  EXPECT_NO_THROW(io::parse_json(std::string(64, '[') + std::string(64, ']')));
  EXPECT_THROW(io::parse_json(std::string(65, '[') + std::string(65, ']')), io::JsonError);
  EXPECT_THROW(io::dump_json(io::Json("\xff")), io::JsonError) << "a string that is not UTF-8 is refused";
  EXPECT_EQ(io::dump_json(io::Json(std::nan(""))), "null");
}

// Found in review: duplicate keys were found by scanning the object so far, so one object of n
// keys cost n^2 / 2 string comparisons (a 256 MiB model file would hang for hours). Measured at
// -O2: 100,000 keys took 19 s that way (so 300,000 about 3 minutes); 300,000 take 1 s with a set.
// (nlohmann's ordered_json would bring it back: its objects find keys by a linear scan.)
TEST(ModelIo, ManyKeysParseInNearLinearTime) {
  std::string doc = "{";
  for (int k = 0; k < 300000; ++k) doc += (k ? ",\"k" : "\"k") + std::to_string(k) + "\":0";
  const auto start = std::chrono::steady_clock::now();
  const io::Json v = io::parse_json(doc + "}");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(v.size(), 300000u);
  EXPECT_TRUE(v.contains("k299999"));
  EXPECT_LT(seconds, 30.0);
  try {
    io::parse_json(doc + ",\"k123456\":1}");
    ADD_FAILURE() << "a duplicate key was accepted";
  } catch (const io::JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key \"k123456\""), std::string::npos) << e.what();
  }
}

// Found in review: a parsed value costs ~100 bytes, so the former limit of 10^7 values let a 20 MB
// "[0,0,..." cost over a gigabyte; and 1e999 parsed to infinity, which the writer itself refuses.
TEST(ModelIo, JsonValueCountAndRangeAreLimited) {
  std::string zeros = "[0";
  const std::size_t max = io::JsonLimits{}.max_values;
  for (std::size_t k = 1; k + 1 < max; ++k) zeros += ",0";
  EXPECT_EQ(io::parse_json(zeros + "]").size(), max - 1);  // plus the array: the limit
  try {
    io::parse_json(zeros + ",0]");
    ADD_FAILURE() << "more than max_values values were accepted";
  } catch (const io::JsonError& e) {
    EXPECT_NE(std::string(e.what()).find("more than 1000000 values"), std::string::npos) << e.what();
  }
  for (const char* big : {"1e999", "-1e999", "[1, 2e400]"}) {
    try {
      io::parse_json(big);
      ADD_FAILURE() << big << " was accepted";
    } catch (const io::JsonError& e) {
      EXPECT_NE(std::string(e.what()).find("number overflow"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(io::parse_json("1e-400").get<double>(), 0.0);  // underflow rounds to zero, as in Python's json
  const std::string prefix = tmp_prefix("inf");
  write(prefix + ".json", "{\"format\": \"tensorgraph-model\", \"version\": 1e999}");
  expect_refused(prefix, "malformed JSON: number overflow parsing '1e999'");
}
