// Checkpoints: bit-exact safetensors round trips, the exact byte layout, Saver through Sessions,
// refusals that leave the session untouched, hostile files (every truncation, malformed JSON,
// random corruption) that must throw IoError, and SIGKILL in the middle of a save.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <thread>

#include "tensorgraph/tensorgraph.h"

using namespace tg;
namespace fs = std::filesystem;
using Tensors = std::vector<std::pair<std::string, Tensor>>;

namespace {

class Checkpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "tg_saver_XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (fs::path(dir_) / name).string(); }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::string dir_;
};

std::string read_bytes(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}
void write_bytes(const std::string& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}
// A safetensors file from a header string and a data section.
std::string file_of(const std::string& json, const std::string& data, std::uint64_t n = UINT64_MAX) {
  if (n == UINT64_MAX) n = json.size();
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>(n >> (8 * i));
  return out + json + data;
}
bool same_bytes(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() && a.nbytes() == b.nbytes() &&
         (a.nbytes() == 0 || std::memcmp(a.raw(), b.raw(), a.nbytes()) == 0);
}
// The IoError message of loading `p` ("" and a failure if it loads or throws anything else).
std::string load_error(const std::string& p) {
  try {
    load_safetensors(p);
    ADD_FAILURE() << "loading " << p << " did not throw";
  } catch (const IoError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not an IoError: " << e.what();
  }
  return "";
}
template <class T> Tensor tensor(std::vector<T> v, const Shape& s) { return Tensor::from_vector(v, s); }
Tensor bools(std::initializer_list<bool> v, const Shape& s) {
  Tensor t(DType::boolean, s);
  std::copy(v.begin(), v.end(), t.data<bool>());
  return t;
}

Tensors awkward_tensors() {
  const float f_inf = std::numeric_limits<float>::infinity(), f_den = std::numeric_limits<float>::denorm_min();
  const double d_nan = std::numeric_limits<double>::quiet_NaN(), d_max = std::numeric_limits<double>::max();
  Tensor nan_payload = tensor<float>({0.f}, {1});
  const std::uint32_t bits = 0x7fc12345;  // a NaN with a payload must survive untouched
  std::memcpy(nan_payload.raw(), &bits, 4);
  return {{"f32", tensor<float>({1.5f, -0.f, f_inf, -f_inf, f_den, 3e38f}, {2, 3})},
          {"f32/nan", nan_payload},
          {"f64", tensor<double>({d_nan, -0.0, d_max, 1e-310}, {4})},
          {"i32", tensor<std::int32_t>({INT32_MIN, -1, INT32_MAX}, {3})},
          {"i64 scalar", Tensor::scalar<std::int64_t>(INT64_MIN)},
          {"bool", bools({true, false, false, true}, {2, 2})},
          {"bool scalar", Tensor::scalar(true)},
          {"empty f32", Tensor(DType::f32, {0})},
          {"empty f64", Tensor(DType::f64, {3, 0, 2})},
          {"rank 8", tensor<std::int64_t>({42}, {1, 1, 1, 1, 1, 1, 1, 1})},
          {"ünï\tcode \"q\" \\ €", Tensor::scalar(2.5f)}};
}

}  // namespace

TEST_F(Checkpoint, RoundTripIsBitExact) {
  const Tensors in = awkward_tensors();
  const std::map<std::string, std::string> meta{{"note", "quote \" slash \\ newline \n ü€"}, {"", ""}};
  save_safetensors(path("a.safetensors"), in, meta);
  const Tensors out = load_safetensors(path("a.safetensors"));
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i].first, in[i].first);
    EXPECT_TRUE(same_bytes(out[i].second, in[i].second)) << in[i].first;
  }
  std::map<std::string, std::string> want = meta;
  want["format"] = "tensorgraph";
  std::map<std::string, std::string> got = load_safetensors_metadata(path("a.safetensors"));
  for (const auto& [name, t] : in) {  // each tensor's CRC-32, 8 hex digits
    ASSERT_EQ(got.count("crc32:" + name), 1u) << name;
    EXPECT_EQ(got["crc32:" + name].size(), 8u);
    got.erase("crc32:" + name);
  }
  EXPECT_EQ(got, want);
  save_safetensors(path("none.safetensors"), {});
  EXPECT_TRUE(load_safetensors(path("none.safetensors")).empty());
}

TEST_F(Checkpoint, AFlippedByteInAnyTensorIsNamed) {
  // Issue 11: damaged bytes inside a tensor loaded without complaint (a NaN or 3.4e33 weight).
  const Tensors in = awkward_tensors();
  save_safetensors(path("c.safetensors"), in);
  const std::string good = read_bytes(path("c.safetensors"));
  std::uint64_t header = 0;
  for (int i = 0; i < 8; ++i) header |= std::uint64_t(static_cast<unsigned char>(good[static_cast<std::size_t>(i)])) << (8 * i);
  std::size_t offset = 8 + header;  // tensors are stored in order
  int checked = 0;
  for (const auto& [name, t] : in) {
    for (std::size_t b : {std::size_t{0}, t.nbytes() / 2, t.nbytes() - 1}) {
      if (!t.nbytes()) break;
      std::string damaged = good;
      damaged[offset + b] = static_cast<char>(damaged[offset + b] ^ 0x10);
      write_bytes(path("d.safetensors"), damaged);
      try {
        load_safetensors(path("d.safetensors"));
        ADD_FAILURE() << "byte " << b << " of " << name << " flipped, and it loaded";
      } catch (const IoError& e) {
        const std::string what = e.what();
        const bool named = what.find("is damaged: its bytes' CRC-32 is") != std::string::npos ||
                           what.find("holds byte") != std::string::npos;  // a bool byte other than 0 or 1
        EXPECT_TRUE(named) << what;
        EXPECT_NE(what.find(name.substr(0, 3)), std::string::npos) << what;
        ++checked;
      }
    }
    offset += t.nbytes();
  }
  EXPECT_GE(checked, 20);
  // A file without checksums (another writer, or tensorgraph before them) still loads.
  std::string plain = good;
  int renamed = 0;
  for (std::size_t at = plain.find("\"crc32:"); at != std::string::npos; at = plain.find("\"crc32:", at + 1), ++renamed)
    plain[at + 1] = 'X';  // "Xrc32:...": same length, no longer a checksum for the loader
  EXPECT_EQ(renamed, static_cast<int>(in.size()));
  write_bytes(path("e.safetensors"), plain);
  EXPECT_EQ(load_safetensors(path("e.safetensors")).size(), in.size());
}

TEST_F(Checkpoint, FileMatchesTheSpecByteForByte) {
  save_safetensors(path("a.safetensors"), {{"a", Tensor{1.0f, -2.0f}}});
  // The CRC-32 of a's 8 bytes, from Python's zlib.crc32(struct.pack('<2f', 1.0, -2.0)).
  // Keys in sorted order (nlohmann-json's objects), which the format allows.
  const std::string json = R"({"__metadata__":{"crc32:a":"c3872656","format":"tensorgraph"},"a":{"data_offsets":[0,8],)"
                           R"("dtype":"F32","shape":[2]}})";
  ASSERT_EQ(json.size(), 115u);  // padded with 5 spaces to 120 = 0x78, a multiple of 8
  const std::string want = std::string("\x78\0\0\0\0\0\0\0", 8) + json + "     " +
                           std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8);  // 1.0f, -2.0f LE
  EXPECT_EQ(read_bytes(path("a.safetensors")), want);
}

namespace {
struct Model {
  Node x, y, W, b, step, loss, train;
};
Model build_model(DType w_dtype = DType::f64, Shape w_shape = {2, 1}, bool extra = false) {
  Graph().as_default();
  Model m;
  m.x = placeholder(DType::f64, {4, 2}, "x");
  m.y = placeholder(DType::f64, {4, 1}, "y");
  m.b = Variable(Tensor{0.0}, "b");  // created first: a half-restore would assign it first
  m.W = Variable(Tensor::full(w_shape, 0.1, w_dtype), "W");
  m.step = Variable(Tensor::scalar<std::int64_t>(0), "global_step", false);
  if (extra) Variable(Tensor{1.0, 2.0}, "extra");
  if (w_dtype == DType::f64 && w_shape == Shape{2, 1}) {
    m.loss = reduce_mean(square(subtract(add(matmul(m.x, m.W), m.b), m.y)));
    m.train = train::GradientDescentOptimizer(0.1).minimize(m.loss);
  }
  return m;
}
FeedDict feeds(const Model& m) {
  return {{m.x, Tensor{{0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}, {2.0, 1.0}}}, {m.y, Tensor{{1.0}, {2.0}, {3.0}, {5.0}}}};
}
}  // namespace

TEST_F(Checkpoint, SessionRoundTripAfterTraining) {
  const Model m = build_model();
  Session s;
  const Tensor W0 = s.value(m.W);
  for (int i = 0; i < 5; ++i) s.run(m.train, feeds(m));
  s.assign(m.step, Tensor::scalar<std::int64_t>(5));
  ASSERT_FALSE(same_bytes(s.value(m.W), W0));
  const train::Saver saver;
  EXPECT_EQ(saver.var_list().size(), 3u);
  saver.save(s, path("model.safetensors"));

  Session fresh;
  saver.restore(fresh, path("model.safetensors"));
  for (const Node& v : {m.W, m.b, m.step}) EXPECT_TRUE(same_bytes(fresh.value(v), s.value(v))) << v.name();

  const Model m2 = build_model();  // a new graph built the same way: variables match by name
  Session s2;
  train::Saver().restore(s2, path("model.safetensors"));
  EXPECT_TRUE(same_bytes(s2.value(m2.W), s.value(m.W)));
  EXPECT_TRUE(same_bytes(s2.run(m2.loss, feeds(m2)), s.run(m.loss, feeds(m))));
}

TEST_F(Checkpoint, RestoreRefusesAnotherShapeOrDtypeAndChangesNothing) {
  {
    const Model m = build_model();
    Session s;
    train::Saver().save(s, path("model.safetensors"));
  }
  struct Case {
    DType dtype;
    Shape shape;
    const char* expected;
  };
  for (const Case& c : {Case{DType::f64, {3, 1}, "'W' expects float64 [3, 1], the file holds float64 [2, 1]"},
                        Case{DType::f32, {2, 1}, "'W' expects float32 [2, 1], the file holds float64 [2, 1]"}}) {
    const Model m = build_model(c.dtype, c.shape);
    Session s;
    s.assign(m.b, Tensor{42.0});
    const Tensor W_before = s.value(m.W);
    try {
      train::Saver().restore(s, path("model.safetensors"));
      ADD_FAILURE() << "restore accepted W " << c.shape.str();
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path("model.safetensors")), std::string::npos) << e.what();
    }
    EXPECT_EQ(s.value(m.b).item<double>(), 42.0);  // the matching variable was not assigned either
    EXPECT_TRUE(same_bytes(s.value(m.W), W_before));
  }
}

TEST_F(Checkpoint, RestoreRefusesMissingVariablesAndStrictRefusesExtras) {
  {
    const Model m = build_model();
    Session s;
    train::Saver().save(s, path("model.safetensors"));
  }
  build_model(DType::f64, {2, 1}, true);
  Session s;
  try {
    train::Saver().restore(s, path("model.safetensors"));
    ADD_FAILURE() << "restore accepted a file without 'extra'";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("'extra' (float64 [2]) is missing"), std::string::npos) << e.what();
  }
  Graph().as_default();
  const Node W = Variable(Tensor::full({2, 1}, 7.0), "W");
  Session s2;
  EXPECT_THROW(train::Saver().restore(s2, path("model.safetensors"), true), IoError);
  EXPECT_EQ(s2.value(W).flat(0), 7.0);
  train::Saver().restore(s2, path("model.safetensors"));  // extras are ignored unless strict
  EXPECT_EQ(s2.value(W).flat(0), 0.1);
  EXPECT_THROW(train::Saver({W, W}), GraphError);
  Graph().as_default();
  EXPECT_THROW(train::Saver(), GraphError);  // no variables yet: a Saver made too early
}

TEST_F(Checkpoint, EveryTruncationAndFlippedLengthByteThrows) {
  save_safetensors(path("good"), {{"w", Tensor{1.0f, 2.0f}}, {"i", Tensor::scalar<std::int32_t>(3)}});
  const std::string good = read_bytes(path("good"));
  for (std::size_t n = 0; n < good.size(); ++n) {
    write_bytes(path("cut"), good.substr(0, n));
    EXPECT_NE(load_error(path("cut")).find(path("cut")), std::string::npos) << "length " << n;
  }
  for (std::size_t i = 0; i < 8; ++i)
    for (const int mask : {0x01, 0x08, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      write_bytes(path("flip"), bad);
      EXPECT_FALSE(load_error(path("flip")).empty()) << "byte " << i << " ^ " << mask;
    }
}

TEST_F(Checkpoint, MalformedHeadersThrowIoErrorNamingTheProblem) {
  const std::string t = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string d8(8, '\0');
  const std::string bomb(100000, '[');
  struct Case {
    std::string json, data, expected;
  };
  const Case cases[] = {
      {"", "", "unexpected end of input"},
      {"[]", "", "expected a JSON object, got array"},
      {bomb, "", "nesting deeper than 3 levels"},
      {R"({"a":)" + std::string(100000, '{'), "", "expected string literal"},
      {R"({"a":{"dtype":"F32","shape":)" + bomb, "", "nesting deeper than 3 levels"},
      {R"({"a":{"dtype":"F32)", "", "missing closing quote"},
      {R"({"a\q":{}})", "", "forbidden character after backslash"},
      {R"({"\u12G4":{}})", "", "must be followed by 4 hex digits"},
      {R"({"\udc00":{}})", "", "surrogate U+DC00..U+DFFF must follow"},
      {"{\"a\x01\":{}}", "", "control character U+0001"},
      {"{\"a\xff\":{}}", "", "ill-formed UTF-8"},
      {"{\"a\xc0\x80\":{}}", "", "ill-formed UTF-8"},  // overlong NUL
      {t.substr(0, t.size() - 1), d8, "unexpected end of input; expected '}'"},
      {t + "x", d8, "expected end of input"},
      {R"({"a":null})", "", "tensor \"a\": expected an object, got null"},
      {R"({"a":{"dtype":"F32","shape":[99999999999999999999999],"data_offsets":[0,8]}})", d8, "a dimension is not an integer"},
      {R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,8]}})", d8, "overflows"},
      {R"({"a":{"dtype":"BOOL","shape":[4611686018427387904,2,0],"data_offsets":[0,0]}})", "", "overflows"},
      {R"({"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}})", d8, "not an integer"},
      {R"({"a":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}})", d8, "not an integer"},
      {R"({"a":{"dtype":"F32","shape":[02],"data_offsets":[0,8]}})", d8, "unexpected number literal"},
      {R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", d8, "negative"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})", d8, "negative"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", d8, "begin > end"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}})", d8, "past the end"},
      {R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", d8, "needs 12 bytes"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}})", d8, "more than 2"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", d8, "needs 2 entries"},
      {R"({"a":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}})", d8, "rank > 8"},
      {R"({"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})", d8, "unsupported dtype \"F16\""},
      {R"({"a":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}})", d8, "unsupported dtype"},
      {R"({"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}})", d8, "duplicate key \"dtype\""},
      {R"({"a":{"dtype":"F32","data_offsets":[0,8]}})", d8, "lacks \"shape\""},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}})", d8, "unknown field"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
       d8, "duplicate key \"a\""},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
       std::string(12, '\0'), "overlaps"},
      {R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})",
       std::string(20, '\0'), "gap of 4 bytes"},
      {t, std::string(12, '\0'), "data section has 12 bytes but the tensors cover 8"},
      {R"({"__metadata__":{"k":1}})", "", "metadata values are strings"},
      {R"({"__metadata__":{"k":"a","k":"b"}})", "", "duplicate key \"k\""},
      {R"({"__metadata__":{},"__metadata__":{}})", "", "duplicate key \"__metadata__\""},
      {R"({"a":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", std::string("\x01\x02", 2), "holds byte 2"},
  };
  for (const Case& c : cases) {
    write_bytes(path("bad"), file_of(c.json, c.data));
    const std::string msg = load_error(path("bad"));
    EXPECT_NE(msg.find(c.expected), std::string::npos) << c.json.substr(0, 120) << "\n  gave: " << msg;
    EXPECT_NE(msg.find(path("bad")), std::string::npos) << msg;
  }
  write_bytes(path("big"), file_of("{}", "", 100'000'001));
  EXPECT_NE(load_error(path("big")).find("exceeds the 100 MB limit"), std::string::npos);
  write_bytes(path("long"), file_of("{}", "", 3));
  EXPECT_NE(load_error(path("long")).find("exceeds the 2 bytes"), std::string::npos);
  EXPECT_NE(load_error(path("missing")).find("cannot open"), std::string::npos);
  EXPECT_NE(load_error(dir_).find("not a regular file"), std::string::npos);
}

TEST_F(Checkpoint, RandomCorruptionThrowsIoErrorOrLoads) {
  save_safetensors(path("good"), awkward_tensors());
  const std::string good = read_bytes(path("good"));
  std::mt19937 rng(1234);
  int loaded = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string bad = good;
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) {
      // Mostly the header (where the structure is), sometimes anywhere.
      const std::size_t limit = iter % 4 ? std::min<std::size_t>(bad.size(), 8 + 600) : bad.size();
      bad[rng() % limit] = static_cast<char>(iter % 3 ? rng() : "{}[]\",:0-\\"[rng() % 10]);
    }
    if (iter % 10 == 0) bad.resize(rng() % (bad.size() + 16), ' ');
    write_bytes(path("fuzz"), bad);
    try {
      load_safetensors(path("fuzz"));
      ++loaded;
    } catch (const IoError&) {
    } catch (const std::exception& e) {
      FAIL() << "iteration " << iter << ": not an IoError: " << e.what();
    }
  }
  EXPECT_LT(loaded, 3000);
}

TEST_F(Checkpoint, FailedWritesLeaveNoTempFileAndTheOldFileIntact) {
  EXPECT_THROW(save_safetensors(path("missing/a.safetensors"), {{"w", Tensor{1.0}}}), IoError);
  EXPECT_TRUE(listing().empty());
  fs::create_directories(path("a_directory/inside"));
  try {  // the rename onto a directory fails after the data was written
    save_safetensors(path("a_directory"), {{"w", Tensor{1.0}}});
    ADD_FAILURE() << "saving over a directory did not throw";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("rename failed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"a_directory"});
  save_safetensors(path("ckpt"), {{"w", Tensor{1.0}}});
  EXPECT_THROW(save_safetensors(path("ckpt"), {{"w", Tensor{2.0}}, {"w", Tensor{3.0}}}), IoError);
  EXPECT_THROW(save_safetensors(path("ckpt"), {{"__metadata__", Tensor{2.0}}}), IoError);
  EXPECT_THROW(save_safetensors(path("ckpt"), {{"w", Tensor()}}), IoError);
  EXPECT_THROW(save_safetensors(path("ckpt"), {{"\xff", Tensor{2.0}}}), IoError);
  EXPECT_EQ(load_safetensors(path("ckpt"))[0].second.flat(0), 1.0);
  EXPECT_EQ(listing(), (std::vector<std::string>{"a_directory", "ckpt"}));
}

namespace {
// Runs the child; returns its pid and the read end of its stdout.
std::pair<pid_t, int> spawn_child(const std::string& ckpt, std::int64_t n) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  const std::string count = std::to_string(n);
  char* argv[] = {const_cast<char*>(TG_SAVER_CHILD_EXE), const_cast<char*>(ckpt.c_str()),
                  const_cast<char*>(count.c_str()), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, TG_SAVER_CHILD_EXE, &actions, nullptr, argv, environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  return {pid, fds[0]};
}
// Reads the child's "k\n" reports; returns the last complete k (0 if none). Stops at EOF, or
// once k >= until when until > 0; gives up after 60 s.
std::int64_t read_reports(int fd, std::string& buf, std::int64_t until) {
  std::int64_t last = 0;
  pollfd p{fd, POLLIN, 0};
  while (::poll(&p, 1, 60'000) > 0) {
    char chunk[256];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buf.append(chunk, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = buf.find('\n')) != std::string::npos; buf.erase(0, nl + 1))
      last = std::stoll(buf.substr(0, nl));
    if (until > 0 && last >= until) break;
  }
  return last;
}
// Size of the child's temp file in `dir`, or -1 while there is none.
std::int64_t temp_size(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().rfind("ckpt.safetensors.tmp.", 0) == 0) {
      const auto size = fs::file_size(e.path(), ec);
      if (!ec) return static_cast<std::int64_t>(size);
    }
  return -1;
}
}  // namespace

TEST_F(Checkpoint, SigkillDuringSaveLeavesTheOldOrTheNewCheckpoint) {
  const std::int64_t n = 4 << 20;  // a 16 MB checkpoint: a save takes a while
  const std::string ckpt = path("ckpt.safetensors");
  int killed_mid_write = 0;
  // The moment of the kill: once the temp file holds this fraction of the checkpoint (so during
  // the write, or during fsync at 1.0), or after a fixed delay anywhere in the save loop.
  struct Moment {
    double fraction;
    int delay_ms;
  };
  for (const Moment at : {Moment{0, -1}, {0.25, -1}, {0.5, -1}, {0.75, -1}, {1, -1}, {-1, 0}, {-1, 7}, {-1, 23}}) {
    const auto [pid, out] = spawn_child(ckpt, n);
    ASSERT_GT(pid, 0);
    std::string buf;
    ASSERT_EQ(read_reports(out, buf, 1), 1) << "the child wrote no first checkpoint";
    const auto full = static_cast<double>(fs::file_size(ckpt));
    if (at.fraction >= 0) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (static_cast<double>(temp_size(dir_)) < at.fraction * full && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(50));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(at.delay_ms));
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    const std::int64_t reported = std::max<std::int64_t>(1, read_reports(out, buf, 0));
    ::close(out);
    bool temp_left = false;
    for (const std::string& name : listing())
      if (name != "ckpt.safetensors") {
        EXPECT_EQ(name.rfind("ckpt.safetensors.tmp.", 0), 0u) << name;
        temp_left = true;
        fs::remove(path(name));
      }
    killed_mid_write += temp_left;
    Tensors t;
    try {
      t = load_safetensors(ckpt);
    } catch (const std::exception& e) {
      FAIL() << "after a kill at fraction " << at.fraction << " / delay " << at.delay_ms << ": " << e.what();
    }
    ASSERT_EQ(t.size(), 2u);
    ASSERT_EQ(t[1].first, "step");
    const std::int64_t k = t[1].second.item<std::int64_t>();
    // The last reported save, or the next one if the child died between rename and report.
    EXPECT_TRUE(k == reported || k == reported + 1) << "k " << k << ", reported " << reported;
    ASSERT_EQ(t[0].first, "weights");
    ASSERT_EQ(t[0].second.size(), n);
    const float* w = t[0].second.data<float>();
    EXPECT_TRUE(std::all_of(w, w + n, [&](float v) { return v == static_cast<float>(k); }));
  }
  RecordProperty("kills_mid_save", killed_mid_write);
  // Proof that kills landed mid-save (a temp file was left behind); 5 rounds aim for that.
  EXPECT_GE(killed_mid_write, 3) << "too few kills landed while a temp file was being written";
}
