// Writes the seed corpus of the fuzz targets: small valid files made by the library's own
// writers, and near-valid ones (one field wrong) that start the fuzzer next to the checks.
//   build-fuzz/fuzz/fuzz_make_corpus fuzz/corpus
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <zlib.h>

#include "tensorgraph/tensorgraph.h"

namespace fs = std::filesystem;
using namespace tg;
using Bytes = std::string;

namespace {

fs::path out_dir;

Bytes slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
void put(const std::string& target, const std::string& name, const Bytes& bytes) {
  fs::create_directories(out_dir / target);
  std::ofstream(out_dir / target / name, std::ios::binary) << bytes;
}
Bytes replace(Bytes s, const std::string& from, const std::string& to) {
  const std::size_t at = s.find(from);
  if (at == std::string::npos) throw std::runtime_error("make_corpus: '" + from + "' not found");
  return s.replace(at, from.size(), to);
}

// A safetensors file from raw header text (padded like the writer) and data bytes.
Bytes safetensors_raw(std::string json, const Bytes& data) {
  json.append((8 - json.size() % 8) % 8, ' ');
  Bytes len(8, '\0');
  for (int i = 0; i < 8; ++i) len[static_cast<std::size_t>(i)] = static_cast<char>(json.size() >> (8 * i));
  return len + json + data;
}

void safetensors_seeds(const fs::path& tmp) {
  const fs::path p = tmp / "s.safetensors";
  // The graph of fuzz_safetensors.cpp's restore: w f32 [2, 3], b i64 [3].
  save_safetensors(p.string(), {{"w", Tensor({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}})}, {"b", Tensor({7L, 8L, 9L})}});
  const Bytes wb = slurp(p);
  put("safetensors", "valid_w_b", wb);
  save_safetensors(p.string(),
                   {{"scalar", Tensor::full({}, 2.5, DType::f64)}, {"flags", Tensor::zeros({2}, DType::boolean)},
                    {"empty", Tensor::zeros({0, 3}, DType::i32)}, {"n\u00e9", Tensor::ones({1}, DType::f32)}},
                   {{"step", "42"}, {"note", "a \"quoted\" \\ value"}});
  put("safetensors", "valid_dtypes_metadata", slurp(p));
  put("safetensors", "truncated", wb.substr(0, wb.size() - 5));
  put("safetensors", "gap", safetensors_raw(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", Bytes(8, 'x')));
  put("safetensors", "overlap", safetensors_raw(R"({"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},)"
                                                R"("b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}})", Bytes(4, 'x')));
  put("safetensors", "bad_bool", safetensors_raw(R"({"f":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", "\x01\x07"));
  put("safetensors", "escapes", safetensors_raw(R"({"__metadata__":{"k\u00e9\ud83d\ude00":"v\n"},"\t":{"dtype":"I64","shape":[],"data_offsets":[0,8]}})", Bytes(8, '\0')));
}

Bytes idx(int type, std::vector<std::uint32_t> dims, const Bytes& data) {
  Bytes b{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>(d >> s));
  return b + data;
}
Bytes gzip(const Bytes& b, const fs::path& tmp) {
  const std::string p = (tmp / "i.gz").string();
  gzFile f = gzopen(p.c_str(), "wb9");
  gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
  gzclose(f);
  return slurp(p);
}

void idx_seeds(const fs::path& tmp) {
  const Bytes u8 = idx(0x08, {2, 3}, "\x00\x01\x02\xfd\xfe\xff");
  put("idx", "u8_2x3", u8);
  put("idx", "u8_2x3.gz", gzip(u8, tmp));
  put("idx", "i8_2x2x2", idx(0x09, {2, 2, 2}, "\x80\xff\x00\x01\x7f\x02\x03\x04"));
  put("idx", "i16_2", idx(0x0B, {2}, "\xff\xfe\x01\x00"));
  put("idx", "i32_1", idx(0x0C, {1}, Bytes("\x80\x00\x00\x01", 4)));
  put("idx", "f32_1", idx(0x0D, {1}, Bytes("\x3f\xc0\x00\x00", 4)));
  put("idx", "f64_1x1", idx(0x0E, {1, 1}, Bytes("\xc0\x04\x00\x00\x00\x00\x00\x00", 8)));
  put("idx", "empty_0x5", idx(0x08, {0, 5}, ""));
  put("idx", "truncated", idx(0x08, {2, 2}, "\x01"));
  put("idx", "trailing", idx(0x08, {1}, "\x01\x02"));
  put("idx", "labels_10.gz", gzip(idx(0x08, {10}, "\x09\x00\x00\x03\x00\x02\x07\x02\x05\x05"), tmp));
}

void csv_seeds() {
  put("csv", "header", "a,b,c\n1,2.5,-3\n4e2, +5 ,6\n");
  put("csv", "crlf_no_final_newline", "1,2\r\n3,4");
  put("csv", "tabs", "x\ty\n-0.5\t1e-3\n7\t8\n\n");
  put("csv", "special", "inf,-inf,nan\n1e308,-1e-308,4.9e-324\n");
  put("csv", "ragged", "a,b\n1,2\n3\n");
  put("csv", "not_a_number", "1,2\n3,abc\n");
  put("csv", "one", "7");
}

void model_seeds(const fs::path& tmp) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f32, {kUnknownDim, 4}, "x");
  const Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  const Node w = Variable(Tensor::ones({3, 4}, DType::f32), "w");
  const Node b = Variable(Tensor::zeros({3}, DType::f32), "b", /*trainable=*/false);
  const Node logits = add(matmul(x, w, false, true), b, "logits");
  const Node h = reshape(transpose(relu(logits), {1, 0}), Shape{-1}, "flat");
  const Node s = reduce_sum(tanh(logits) * 0.5, {1}, true, "s");
  const Node probs = softmax(logits, "probs");
  const Node loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(labels, logits), {}, false, "loss");
  const Node cls = cast(argmax(probs, 1), DType::f64, "cls");
  const Node hot = one_hot(argmax(logits, 1), 3, DType::f32, "hot");
  Session session(g);
  const std::string prefix = (tmp / "m").string();
  auto model = [&](const std::vector<Node>& outputs) {
    export_model(session, outputs, prefix);
    return std::pair{slurp(prefix + ".json"), slurp(prefix + ".safetensors")};
  };
  const auto [small_json, small_st] = model({probs});
  put("model", "mlp", small_json + '\0' + small_st);
  const auto [big_json, big_st] = model({probs, h, s, loss, cls, hot});
  put("model", "many_ops", big_json + '\0' + big_st);
  put("model", "unknown_op", replace(small_json, "\"op\": \"softmax\"", "\"op\": \"nope\"") + '\0' + small_st);
  put("model", "wrong_shape", replace(small_json, "[3, 4]", "[4, 3]") + '\0' + small_st);
  put("model", "no_tensors", small_json);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_make_corpus <corpus dir>\n";
    return 2;
  }
  out_dir = argv[1];
  const fs::path tmp = fs::temp_directory_path() / ("tg_make_corpus_" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  safetensors_seeds(tmp);
  idx_seeds(tmp);
  csv_seeds();
  model_seeds(tmp);
  fs::remove_all(tmp);
  return 0;
}
