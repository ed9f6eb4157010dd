// `tensorgraph train --task charlm` and `tensorgraph generate` for its checkpoints.
#include "charlm.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "model.h"
#include "pictures.h"
#include "report.h"
#include "tensorgraph/file.h"
#include "tensorgraph/tensorgraph.h"

namespace tgcli {
using namespace tg;

namespace {
constexpr double kClipNorm = 5.0;

// "64-256" (an embedding of 64, one LSTM of 256) or "64-256-256" (two stacked): every size >= 1.
std::vector<std::int64_t> char_sizes(const std::string& model) {
  std::optional<std::string> bad;
  const std::string m = model.empty() ? "64-256" : model;
  std::vector<std::int64_t> sizes = layer_sizes(m, 100000, bad);
  if (bad) throw std::invalid_argument("--model " + m + ": '" + *bad + "' is not a layer size from 1 to 100000");
  if (sizes.size() < 2)
    throw std::invalid_argument("--model " + m + " for --task charlm: the embedding's size and one or more LSTM "
                                "layers' units, e.g. 64-256 or 64-256-256");
  return sizes;
}

// The whole file, or IoError naming it.
std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  if (!in || !(all << in.rdbuf())) throw IoError("train: cannot read --text '" + path + "'");
  return all.str();
}

struct CharModel {
  std::vector<std::int64_t> sizes;
  std::int64_t vocab = 0;
  std::shared_ptr<nn::RNNCell> cell;
  Node x, y, loss, train_op;                       // windows [batch, seq] of bytes' indices, their next ones
  Node char_in, logits1;                           // sampling: one index [1] -> logits [1, vocab]
  std::vector<Node> state_in, state_out, variables;  // sampling's state, fed back
};

CharModel build(const std::vector<std::int64_t>& sizes, std::int64_t vocab, std::int64_t seq_len, train::Schedule lr,
                std::uint64_t seed) {
  CharModel m;
  m.sizes = sizes;
  m.vocab = vocab;
  Rng rng(seed);
  const std::int64_t units = sizes.back();
  Node embedding = Variable(Tensor::uniform({vocab, sizes[0]}, rng, DType::f32, -0.1, 0.1), "embedding");
  const double bound = std::sqrt(6.0 / static_cast<double>(units + vocab));
  Node W = Variable(Tensor::uniform({units, vocab}, rng, DType::f32, -bound, bound), "softmax/kernel");
  Node b = Variable(Tensor::zeros({vocab}, DType::f32), "softmax/bias");
  std::vector<std::shared_ptr<nn::RNNCell>> layers;
  for (std::size_t i = 1; i < sizes.size(); ++i)
    layers.push_back(nn::lstm_cell(sizes[i], {.seed = seed + i}));
  m.cell = layers.size() == 1 ? layers[0] : nn::multi_rnn_cell(layers);
  m.x = placeholder(DType::i64, {kUnknownDim, seq_len}, "windows");
  m.y = placeholder(DType::i64, {kUnknownDim, seq_len}, "next");
  auto [outputs, state] = nn::dynamic_rnn(*m.cell, gather(embedding, m.x));
  Node logits = matmul(reshape(outputs, {kUnknownDim, units}), W) + b;
  m.loss = reduce_mean(nn::sparse_softmax_cross_entropy_with_logits(reshape(m.y, {kUnknownDim}), logits));
  const train::AdamOptimizer adam(lr);
  train::GradsAndVars grads = adam.compute_gradients(m.loss);
  std::vector<Node> g;
  for (const auto& [gradient, variable] : grads) g.push_back(gradient);
  const std::vector<Node> clipped = clip_by_global_norm(g, kClipNorm).first;
  for (std::size_t i = 0; i < grads.size(); ++i) grads[i].first = clipped[i];
  m.train_op = adam.apply_gradients(grads);
  // sampling: one step of the same cell from a fed state
  m.char_in = placeholder(DType::i64, {1}, "char");
  for (std::int64_t n : m.cell->state_size()) m.state_in.push_back(placeholder(DType::f32, {1, n}));
  auto [out1, state1] = m.cell->step(gather(embedding, m.char_in), m.state_in);
  m.logits1 = matmul(out1, W) + b;
  m.state_out = state1;
  m.variables = {embedding, W, b};
  for (const Node& v : m.cell->variables()) m.variables.push_back(v);
  return m;
}

Tensor windows(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& starts, std::int64_t len,
               std::int64_t shift) {
  Tensor t(DType::i64, {static_cast<std::int64_t>(starts.size()), len});
  for (std::size_t r = 0; r < starts.size(); ++r)
    for (std::int64_t k = 0; k < len; ++k)
      t.data<std::int64_t>()[static_cast<std::int64_t>(r) * len + k] = ids[static_cast<std::size_t>(starts[r] + k + shift)];
  return t;
}

double validation_loss(Session& s, const CharModel& m, const std::vector<std::int64_t>& val, std::int64_t len) {
  std::vector<std::int64_t> starts;
  for (std::int64_t p = 0; p + len + 1 <= static_cast<std::int64_t>(val.size()); p += len) starts.push_back(p);
  double sum = 0;
  for (std::size_t i = 0; i < starts.size(); i += 256) {
    std::vector<std::int64_t> part(starts.begin() + static_cast<std::ptrdiff_t>(i),
                                   starts.begin() + static_cast<std::ptrdiff_t>(std::min(starts.size(), i + 256)));
    sum += s.run(m.loss, {{m.x, windows(val, part, len, 0)}, {m.y, windows(val, part, len, 1)}}).item<double>() *
           static_cast<double>(part.size());
  }
  return sum / static_cast<double>(starts.size());
}

// `length` bytes drawn one at a time from softmax(logits / temperature), starting after a newline.
std::string sample(Session& s, const CharModel& m, const std::vector<unsigned char>& vocab, std::int64_t length,
                   double temperature, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Tensor> state;
  for (const Node& p : m.state_in) state.push_back(Tensor::zeros(p.shape(), DType::f32));
  std::int64_t current = 0;
  for (std::size_t i = 0; i < vocab.size(); ++i)
    if (vocab[i] == '\n') current = static_cast<std::int64_t>(i);
  std::string out;
  std::vector<Node> fetches{m.logits1};
  fetches.insert(fetches.end(), m.state_out.begin(), m.state_out.end());
  for (std::int64_t t = 0; t < length; ++t) {
    FeedDict f{{m.char_in, Tensor::from_vector(std::vector<std::int64_t>{current}, {1})}};
    for (std::size_t k = 0; k < state.size(); ++k) f.set(m.state_in[k], state[k]);
    const std::vector<Tensor> r = s.run(fetches, f);
    for (std::size_t k = 0; k < state.size(); ++k) state[k] = r[k + 1];
    double top = -INFINITY, total = 0;
    for (std::int64_t j = 0; j < m.vocab; ++j) top = std::max(top, r[0].flat(j));
    std::vector<double> p(static_cast<std::size_t>(m.vocab));
    for (std::int64_t j = 0; j < m.vocab; ++j) total += p[static_cast<std::size_t>(j)] = std::exp((r[0].flat(j) - top) / temperature);
    double u = rng.uniform() * total;
    current = m.vocab - 1;
    for (std::int64_t j = 0; j < m.vocab; ++j)
      if ((u -= p[static_cast<std::size_t>(j)]) < 0) {
        current = j;
        break;
      }
    out.push_back(static_cast<char>(vocab[static_cast<std::size_t>(current)]));
  }
  return out;
}

std::string vocab_text(const std::vector<unsigned char>& vocab) {
  std::ostringstream o;
  for (std::size_t i = 0; i < vocab.size(); ++i) o << (i ? "," : "") << static_cast<int>(vocab[i]);
  return o.str();
}
}  // namespace

int train_charlm(const CommandLine& c) {
  if (c.optimizer != "adam" || c.dropout != 0 || c.patience != 0 || c.resume || c.validation != 0.1)
    throw std::invalid_argument("--task charlm trains with Adam (constant or cosine --schedule), its gradients clipped "
                                "to a global norm of 5, without --dropout, --patience, --validation or --resume (the "
                                "last 10% of --text validates)");
  const std::vector<std::int64_t> sizes = char_sizes(c.model);
  const std::string text = read_text(c.corpus);
  std::vector<unsigned char> vocab;
  {
    bool seen[256] = {};
    for (unsigned char ch : text) seen[ch] = true;
    for (int i = 0; i < 256; ++i)
      if (seen[i]) vocab.push_back(static_cast<unsigned char>(i));
  }
  std::int64_t index[256] = {};
  for (std::size_t i = 0; i < vocab.size(); ++i) index[vocab[i]] = static_cast<std::int64_t>(i);
  std::vector<std::int64_t> ids;
  for (unsigned char ch : text) ids.push_back(index[ch]);
  const std::size_t cut = ids.size() * 9 / 10;
  const std::vector<std::int64_t> train(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(cut)),
      val(ids.begin() + static_cast<std::ptrdiff_t>(cut), ids.end());
  const std::int64_t T = c.seq_len, B = c.batch_size;
  if (static_cast<std::int64_t>(val.size()) < T + 1 || static_cast<std::int64_t>(train.size()) < T + 1)
    throw std::invalid_argument("--text '" + c.corpus + "' holds " + std::to_string(text.size()) + " bytes: too few for "
                                "windows of --seq-len " + std::to_string(T) + " in both its first 90% and its last 10%");
  const std::int64_t per_epoch = std::max<std::int64_t>(1, static_cast<std::int64_t>(train.size()) / (B * T));
  const std::string& dir = c.output;
  check_output_folder(dir);
  Graph().as_default();
  const train::Schedule lr = c.schedule == "cosine" ? train::schedules::cosine(c.learning_rate, per_epoch * c.epochs)
                                             : train::Schedule(c.learning_rate);
  const CharModel m = build(sizes, static_cast<std::int64_t>(vocab.size()), T, lr, c.seed);
  std::cerr << "training the charlm " << (c.model.empty() ? "64-256" : c.model) << " on " << train.size() << " bytes of " << c.corpus << " ("
            << vocab.size() << " distinct; " << val.size() << " to validate): " << per_epoch << " steps of " << B
            << " windows of " << T << " per epoch, " << c.epochs << " epochs\n";
  Session s;
  Rng rng(c.seed + 1);
  std::vector<std::vector<double>> columns(2);
  std::vector<double> seconds;
  std::optional<StopOnInterrupt> interrupt{std::in_place};
  bool diverged = false;
  for (int e = 1; e <= c.epochs && !interrupt->stopped() && !diverged; ++e) {
    const auto t0 = std::chrono::steady_clock::now();
    double sum = 0;
    std::int64_t steps = 0;
    for (; steps < per_epoch && !interrupt->stopped(); ++steps) {
      std::vector<std::int64_t> starts;
      for (std::int64_t r = 0; r < B; ++r)
        starts.push_back(static_cast<std::int64_t>(rng.uniform() * static_cast<double>(train.size() - T - 1)));
      sum += s.run({m.loss, m.train_op}, {{m.x, windows(train, starts, T, 0)}, {m.y, windows(train, starts, T, 1)}})[0]
                 .item<double>();
    }
    if (interrupt->stopped()) break;
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    columns[0].push_back(sum / static_cast<double>(steps));
    columns[1].push_back(validation_loss(s, m, val, T));
    // NOTE: the clipped gradients keep the losses finite even at an absurd rate; a validation loss
    // above twice a uniform guess's (ln of the vocabulary's size) is a run that diverged as surely.
    diverged = !std::isfinite(columns[0].back()) || !(columns[1].back() <= 2 * std::log(static_cast<double>(vocab.size())));
    std::cerr << "epoch " << e << "/" << c.epochs << ": train loss " << metric_text(columns[0].back(), 5)
              << ", validation loss " << metric_text(columns[1].back(), 5) << " nats/char ("
              << metric_text(seconds.back(), 3) << " s)\n";
    std::vector<std::pair<std::string, Tensor>> tensors;
    for (const Node& v : m.variables) tensors.emplace_back(v.name(), s.value(v));
    std::map<std::string, std::string> meta{{"task", "charlm"}, {"model", c.model.empty() ? "64-256" : c.model},
                                            {"vocabulary", vocab_text(vocab)}, {"seq_len", std::to_string(T)},
                                            {"epochs_done", std::to_string(e)}};
    for (const auto& [k, v] : c.text) meta["option." + k] = v;
    save_safetensors(dir + "/model.safetensors", tensors, meta);
  }
  const bool interrupted = interrupt->stopped();
  interrupt.reset();
  if (interrupted) return StopOnInterrupt::report_stop(dir + "/model.safetensors", seconds.size());
  const double final_val = columns[1].empty() ? NAN : columns[1].back();
  write_epoch_metrics("charlm", c.model.empty() ? "64-256" : c.model, c, {"train_loss", "validation_loss"}, columns,
                      seconds, dir, "validation_loss", std::isfinite(final_val) ? nlohmann::ordered_json(final_val)
                                                                                : nlohmann::ordered_json());
  curves("Loss per epoch", "cross-entropy (nats per character)", {"train", "validation"}, columns, dir + "/loss.png");
  if (diverged) {
    std::cerr << "tensorgraph: training diverged: in epoch " << seconds.size() << " a loss was not finite or the "
              << "validation loss exceeded twice a uniform guess's (" << metric_text(std::log(static_cast<double>(vocab.size())), 4)
              << " nats)"
              << " (try a smaller --learning-rate); the model is not usable\n";
    return 3;
  }
  write_file_atomically(dir + "/sample.txt", sample(s, m, vocab, 1000, 0.8, c.seed) + "\n", "train: sample.txt");
  std::cout << "validation loss: " << metric_text(final_val, 5) << " nats/char\n"
            << "wrote " << dir << "/{model.safetensors, metrics.csv, metrics.json, loss.png, sample.txt}\n";
  return 0;
}

int generate_text(const CommandLine& c, const std::map<std::string, std::string>& meta) {
  std::vector<unsigned char> vocab;
  std::stringstream list(meta.at("vocabulary"));
  for (std::string item; std::getline(list, item, ',');) {
    const int v = std::stoi(item);
    if (v < 0 || v > 255) throw IoError("'" + c.checkpoint + "': its vocabulary holds " + item + ", not a byte");
    vocab.push_back(static_cast<unsigned char>(v));
  }
  Graph g;
  g.as_default();
  const CharModel m = build(char_sizes(meta.at("model")), static_cast<std::int64_t>(vocab.size()),
                            std::stoll(meta.at("seq_len")), train::Schedule(0.001), 0);
  Session s(g);
  train::Saver(m.variables).restore(s, c.checkpoint);
  check_finite(s, m.variables, c.checkpoint);
  std::cout << sample(s, m, vocab, c.length, c.temperature, c.seed) << "\n";
  return 0;
}

}  // namespace tgcli
