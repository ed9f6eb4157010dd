// tensorgraph: the command-line main job.
//   tensorgraph train     trains an MLP on Fashion-MNIST; writes a checkpoint, metrics and plots
//   tensorgraph evaluate  the test accuracy of a checkpoint
//   tensorgraph predict   the class probabilities of test images
#include <csignal>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <sstream>

#include "checkpoint.h"
#include "model.h"
#include "report.h"

namespace {
using namespace tg;

std::atomic<bool> g_stop{false};  // set by SIGINT: train stops after the current step
using Options = std::map<std::string, std::string>;

struct OptionInfo {
  const char* name;
  const char* fallback;
  const char* help;
  bool flag = false;  // takes no value: "1" when given
};
const OptionInfo kOptions[] = {
    {"model", "784-256-128-10", "MLP layer sizes, inputs-hidden...-classes"},
    {"epochs", "10", "training epochs"},
    {"batch-size", "64", "examples per step"},
    {"optimizer", "adam", "sgd, momentum, rmsprop or adam"},
    {"learning-rate", "0.001", "step size"},
    {"dropout", "0", "dropout rate on each hidden layer while training"},
    {"validation", "0.1", "fraction of the training set held out for validation"},
    {"patience", "0", "stop after this many epochs without a better validation loss (0: never)"},
    {"seed", "0", "seed of the initial weights, the split and the batch order"},
    {"threads", "0", "threads for large products (0: one per core; products under 256^3 use one)"},
    {"data", "/usr/share/datasets/fashion-mnist", "folder of the Fashion-MNIST IDX files"},
    {"output", "out/fashion-mnist", "folder for model.safetensors, metrics.csv/json, the PNG plots and checkpoint.safetensors"},
    {"resume", "0", "continue the run whose checkpoint.safetensors is in --output (same options; --epochs may grow)", true},
    {"checkpoint", "out/fashion-mnist/model.safetensors", "checkpoint to evaluate or predict with"},
    {"index", "0", "predict: the first test image to classify"},
    {"count", "5", "predict: how many test images"},
};

void usage(std::ostream& os) {
  os << "usage: tensorgraph <train|evaluate|predict> [--option value]...\n\n"
        "  train     train an MLP on Fashion-MNIST; writes the checkpoint, metrics (CSV, JSON) and\n"
        "            PNG plots (loss and accuracy curves, sample predictions) to --output\n"
        "  evaluate  print the test loss and accuracy of --checkpoint (a train checkpoint, or a model\n"
        "            written by export_model from Python or C++: its .json or .safetensors)\n"
        "  predict   print the class probabilities of test images --index .. --index + --count - 1\n\noptions:\n";
  for (const auto& o : kOptions)
    os << "  --" << std::left << std::setw(15) << o.name << o.help
       << (o.flag ? std::string() : " (default " + std::string(o.fallback) + ")") << "\n";
  os << "\nCtrl-C stops train after the current step and writes checkpoint.safetensors; --resume continues\n"
        "from it (a checkpoint is also written after every epoch), as if the run had not stopped.\n";
}

Options parse(int argc, char** argv) {
  Options o;
  for (const auto& i : kOptions) o[i.name] = i.fallback;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") throw std::invalid_argument("");
    if (a.rfind("--", 0) != 0 || !o.count(a.substr(2))) throw std::invalid_argument("unknown option '" + a + "'");
    const bool flag = std::any_of(std::begin(kOptions), std::end(kOptions),
                                  [&](const OptionInfo& info) { return info.flag && a.substr(2) == info.name; });
    if (flag) {
      o[a.substr(2)].assign(1, '1');  // NOTE: = "1" trips g++ 12's -Wrestrict (a false positive)
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument("option '" + a + "' needs a value");
    o[a.substr(2)] = argv[++i];
  }
  return o;
}

double number(const Options& o, const std::string& key) {
  try {
    std::size_t used = 0;
    const double v = std::stod(o.at(key), &used);
    if (used == o.at(key).size()) return v;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("--" + key + " expects a number, got '" + o.at(key) + "'");
}

// A whole-number option within [lo, hi] ("--epochs 2.5" is an error, not 2 epochs).
std::int64_t whole(const Options& o, const std::string& key, double lo, double hi) {
  const double v = number(o, key);
  if (v != std::floor(v) || v < lo || v > hi)
    throw std::invalid_argument("--" + key + " expects a whole number from " + tgcli::metric_text(lo, 17) + " to " +
                                tgcli::metric_text(hi, 17) + ", got '" + o.at(key) + "'");
  return static_cast<std::int64_t>(v);
}

// A real option within [lo, hi) (hi_open) or [lo, hi], finite; `above_lo`: lo itself excluded.
double real(const Options& o, const std::string& key, double lo, double hi, bool above_lo, const char* range) {
  const double v = number(o, key);
  if (!std::isfinite(v) || v < lo || (above_lo && v == lo) || v >= hi)
    throw std::invalid_argument("--" + key + " expects a number " + range + ", got '" + o.at(key) + "'");
  return v;
}

// Every option of `train`, checked before any data is read (types, ranges, the model's sizes).
struct TrainOptions {
  tgcli::MlpSpec spec;
  std::uint64_t seed;
  double learning_rate, validation;
  train::FitOptions fit;
};

TrainOptions train_options(const Options& o) {
  TrainOptions t;
  t.spec = tgcli::MlpSpec::parse(o.at("model"));
  if (t.spec.inputs != 784 || t.spec.classes != 10)
    throw std::invalid_argument("--model " + o.at("model") + ": Fashion-MNIST has 784 inputs (28 x 28 pixels) and 10 " +
                                "classes, so the sizes must start with 784 and end with 10");
  t.spec.dropout = real(o, "dropout", 0, 1, false, "in [0, 1)");
  t.seed = static_cast<std::uint64_t>(whole(o, "seed", 0, 9007199254740992.0));
  t.learning_rate = real(o, "learning-rate", 0, 1e300, true, "above 0");
  t.validation = real(o, "validation", 0, 1, false, "in [0, 1)");
  const std::string& opt = o.at("optimizer");
  if (opt != "sgd" && opt != "momentum" && opt != "rmsprop" && opt != "adam")
    throw std::invalid_argument("--optimizer expects sgd, momentum, rmsprop or adam, got '" + opt + "'");
  t.fit.epochs = static_cast<int>(whole(o, "epochs", 1, 1e6));
  t.fit.batch_size = whole(o, "batch-size", 1, 60000);
  t.fit.patience = static_cast<int>(whole(o, "patience", 0, 1e6));
  t.fit.seed = t.seed;
  if (t.fit.patience > 0 && t.validation == 0)
    throw std::invalid_argument("--patience needs validation data: a --validation fraction above 0");
  return t;
}

// Creates `dir` and proves it writable before any work is done (a model is never trained only to
// be lost for want of a place to write it).
void check_output_folder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string probe = dir + "/.tensorgraph-write-test";
  if (!ec) {
    std::ofstream f(probe);
    if (f << "ok" && f.flush()) {
      f.close();
      std::filesystem::remove(probe, ec);
      return;
    }
  }
  throw IoError("cannot write to the output folder '" + dir + "'" + (ec ? ": " + ec.message() : std::string()) +
                " (choose another with --output)");
}

int train_command(const Options& o) {
  TrainOptions options = train_options(o);
  const tgcli::MlpSpec& spec = options.spec;
  const std::uint64_t seed = options.seed;
  const double validation = options.validation;
  train::FitOptions& fit = options.fit;
  const std::string dir = o.at("output");
  check_output_folder(dir);
  auto all = train::Dataset::fashion_mnist("train", o.at("data"));
  auto test = train::Dataset::fashion_mnist("test", o.at("data"));
  train::Dataset train_set = all;
  std::optional<train::Dataset> val_set;  // none with --validation 0
  if (validation != 0) std::tie(train_set, val_set) = all.split(validation, seed);
  Graph().as_default();
  tgcli::Mlp m = tgcli::build_mlp(spec, o.at("optimizer"), options.learning_rate, seed);
  std::cerr << "training " << spec.str() << " on " << train_set.size() << " images, validating on "
            << (val_set ? val_set->size() : 0) << "\n";
  Session s;
  // The run's state after every epoch, and at Ctrl-C, for --resume.
  tgcli::TrainingCheckpoint checkpoint{dir + "/checkpoint.safetensors", Graph::get_default().variables(),
                                       m.model.variables, {}};
  for (const char* k : {"model", "optimizer", "learning-rate", "batch-size", "seed", "validation", "dropout", "data"})
    checkpoint.options[k] = o.at(k);
  fit.on_checkpoint = [&](const train::FitState& st) { checkpoint.write(s, st); };
  std::optional<train::FitState> resumed;
  if (o.at("resume") == "1") {
    resumed = checkpoint.read(s);
    fit.resume = &*resumed;
    std::cerr << "resuming at epoch " << resumed->epoch << ", step " << resumed->step << " from " << checkpoint.path
              << "\n";
  }
  g_stop = false;
  struct sigaction on_int {};
  on_int.sa_handler = [](int) { g_stop = true; };
  on_int.sa_flags = SA_RESETHAND | SA_RESTART;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &on_int, nullptr);
  fit.stop = &g_stop;
  const train::History h = train::fit(s, m.model, train_set, val_set ? &*val_set : nullptr, fit);
  signal(SIGINT, SIG_DFL);
  if (h.interrupted) {
    std::cerr << "tensorgraph: interrupted; " << checkpoint.path << " holds the run: continue it with the same "
              << "command and --resume\n";
    return 130;
  }
  const train::Evaluation t = train::evaluate(s, m.model, test);
  tgcli::Report r{spec, o, h, t.loss, t.accuracy.value_or(NAN)};
  tgcli::save_checkpoint(s, m, r, dir + "/model.safetensors");
  tgcli::write_metrics(r, dir);
  tgcli::plot_curves(h, dir);
  tgcli::plot_samples(s, m, test, dir + "/samples.png");
  std::cout << "test loss: " << tgcli::metric_text(t.loss, 6) << "\ntest accuracy: "
            << tgcli::metric_text(r.test_accuracy, 4, true) << "\nwrote " << dir << "/{model.safetensors, metrics.csv, metrics.json, "
            << "loss.png, accuracy.png, samples.png, checkpoint.safetensors}\n";
  if (h.non_finite) {
    std::cerr << "tensorgraph: training diverged: the loss was not finite from epoch " << h.non_finite->epoch
              << ", step " << h.non_finite->step << " (try a smaller --learning-rate); the model is not usable\n";
    return 3;
  }
  return 0;
}

struct Loaded {
  tgcli::Mlp m;
  std::unique_ptr<Session> s;
};

// NOTE: the file is intact (its checksums held), but a diverged run saves NaN or Inf weights, and
// evaluating them would print a meaningless loss with exit status 0.
void check_finite(Session& s, const std::vector<Node>& vars, const std::string& path) {
  for (const Node& v : vars) {
    const Tensor w = s.value(v);
    if (!is_floating(w.dtype())) continue;
    std::int64_t bad = 0;
    for (std::int64_t i = 0; i < w.size(); ++i) bad += !std::isfinite(w.flat(i));
    if (bad)
      throw IoError("'" + path + "': weight '" + v.name() + "' holds " + std::to_string(bad) + " NaN or infinite " +
                    "value" + (bad > 1 ? "s" : "") + " of " + std::to_string(w.size()) +
                    ": the checkpoint comes from a diverged run");
  }
}

// Restores the weights; a checkpoint written before the layers took TensorFlow's names holds
// "<scope>/W" and "<scope>/b" for "<scope>/kernel" and "<scope>/bias", and restores the same.
void restore_weights(Session& s, const std::vector<Node>& vars, const std::string& path) {
  auto old_name = [](const std::string& name) {
    for (auto [now, then] : {std::pair{"/kernel", "/W"}, {"/bias", "/b"}}) {
      const std::string tail = now;
      if (name.size() > tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0)
        return name.substr(0, name.size() - tail.size()) + then;
    }
    return name;
  };
  std::map<std::string, Tensor> file;
  for (auto& [name, t] : load_safetensors(path)) file.emplace(name, std::move(t));
  const bool renamed = std::any_of(vars.begin(), vars.end(), [&](const Node& v) {
    return !file.count(v.name()) && file.count(old_name(v.name()));
  });
  if (!renamed) {
    train::Saver(vars).restore(s, path);
    return;
  }
  std::vector<std::pair<Node, Tensor>> values;
  for (const Node& v : vars) {
    auto it = file.find(old_name(v.name()));
    if (it == file.end() || it->second.dtype() != v.dtype() || !(it->second.shape() == v.shape()))
      throw IoError("'" + path + "': no " + dtype_name(v.dtype()) + " " + v.shape().str() + " tensor '" +
                    old_name(v.name()) + "' for '" + v.name() + "'");
    values.emplace_back(v, it->second);
  }
  s.assign(values);
}

// A model written by export_model (from Python or C++): <prefix>.json and <prefix>.safetensors. Its
// one non-bool placeholder takes the images; its first output gives the class scores (logits, or a
// softmax's probabilities); a bool scalar placeholder (a dropout's training flag) is fed false.
Loaded load_exported(const std::string& prefix) {
  LoadedModel lm = import_model(prefix);
  lm.graph.as_default();
  Loaded l{{}, std::make_unique<Session>(lm.graph)};
  tgcli::Mlp& m = l.m;
  for (const auto& [name, n] : lm.nodes) {
    if (n.kind() != NodeKind::placeholder) continue;
    if (n.dtype() == DType::boolean && n.shape().rank_known() && n.shape().rank() == 0) {
      Tensor off(DType::boolean, {});
      m.model.eval_feeds.set(n, off);
    } else if (m.model.inputs.valid()) {
      throw IoError("'" + prefix + ".json': two placeholders, '" + m.model.inputs.name() + "' and '" + name +
                    "': the CLI feeds one, the images");
    } else {
      m.model.inputs = n;
    }
  }
  if (!m.model.inputs.valid() || lm.outputs.empty())
    throw IoError("'" + prefix + ".json': the CLI needs a model with one placeholder (the images) and an output");
  const Node out = lm.outputs[0];
  const bool softmaxed = out.type() == "softmax";
  m.logits = softmaxed ? out.input(0) : out;
  m.probabilities = softmaxed ? out : softmax(m.logits);
  m.model.labels = placeholder(DType::i64, {kUnknownDim}, "cli/labels");
  m.model.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.model.labels, m.logits));
  m.model.accuracy = layers::accuracy(m.logits, m.model.labels);
  m.model.variables = lm.graph.variables();
  return l;
}

// Rebuilds the model of a `tensorgraph train` checkpoint, or loads an exported one (a .json path,
// or its .safetensors), and restores its weights.
Loaded load(const Options& o) {
  const std::string path = o.at("checkpoint");
  auto ends_with = [&](const std::string& tail) {
    return path.size() >= tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  std::string exported;
  if (ends_with(".json")) exported = path.substr(0, path.size() - 5);
  else if (ends_with(".safetensors") && std::filesystem::exists(path.substr(0, path.size() - 12) + ".json"))
    exported = path.substr(0, path.size() - 12);
  if (!exported.empty()) {
    Loaded l = load_exported(exported);
    check_finite(*l.s, l.m.model.variables, path);
    return l;
  }
  const auto meta = load_safetensors_metadata(path);
  if (!meta.count("model"))
    throw IoError("'" + path + "' is not a tensorgraph CLI checkpoint (no \"model\" metadata) nor an exported model " +
                  "(a .json written by export_model beside it)");
  Graph().as_default();
  Loaded l{tgcli::build_mlp(tgcli::MlpSpec::parse(meta.at("model")), "sgd", 0.1, 0), std::make_unique<Session>()};
  restore_weights(*l.s, l.m.model.variables, path);
  check_finite(*l.s, l.m.model.variables, path);
  return l;
}

// The test set, its images in the dtype the model's placeholder takes (float64 for a tutorial-style model).
train::Dataset test_set(const Options& o, const tgcli::Mlp& m) {
  train::Dataset test = train::Dataset::fashion_mnist("test", o.at("data"));
  const DType want = m.model.inputs.dtype();
  if (want == DType::unknown || want == test.features().dtype()) return test;
  return train::Dataset(test.features().astype(want), test.labels());
}

int evaluate_command(const Options& o) {
  Loaded l = load(o);
  auto& [m, s] = l;
  const train::Evaluation e = train::evaluate(*s, m.model, test_set(o, m));
  std::cout << "test loss: " << tgcli::metric_text(e.loss, 6) << "\ntest accuracy: "
            << tgcli::metric_text(e.accuracy.value_or(NAN), 4, true) << "\n";
  return 0;
}

int predict_command(const Options& o) {
  Loaded l = load(o);
  auto& [m, s] = l;
  const std::int64_t first = whole(o, "index", 0, 1e9), count = whole(o, "count", 1, 1e9);
  const auto test = test_set(o, m);
  if (first + count > test.size())
    throw std::invalid_argument("--index/--count must select test images within 0.." + std::to_string(test.size() - 1));
  std::vector<std::int64_t> idx;
  for (std::int64_t i = 0; i < count; ++i) idx.push_back(first + i);
  const auto batch = test.subset(idx);
  FeedDict f = m.model.eval_feeds;
  f.set(m.model.inputs, batch.features());
  const Tensor p = s->run(m.probabilities, f);
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t best = 0;
    for (std::int64_t c = 1; c < p.shape()[1]; ++c)
      if (p.flat(i * p.shape()[1] + c) > p.flat(i * p.shape()[1] + best)) best = c;
    std::cout << "image " << first + i << ": predicted " << tgcli::class_name(best) << " ("
              << std::setprecision(3) << std::fixed << p.flat(i * p.shape()[1] + best) << "), label "
              << tgcli::class_name(static_cast<std::int64_t>(batch.labels().flat(i))) << "\n  probabilities:";
    for (std::int64_t c = 0; c < p.shape()[1]; ++c)  // every class, as the help promises
      std::cout << (c ? ", " : " ") << tgcli::class_name(c) << " " << p.flat(i * p.shape()[1] + c);
    std::cout << "\n";
  }
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "--help" || command == "-h" || command == "help") {
    usage(std::cout);
    return 0;
  }
  try {
    const Options o = parse(argc, argv);
    if (const std::int64_t threads = whole(o, "threads", 0, 1024)) set_num_threads(static_cast<int>(threads));
    if (command == "train") return train_command(o);
    if (command == "evaluate") return evaluate_command(o);
    if (command == "predict") return predict_command(o);
    std::cerr << "tensorgraph: unknown command '" << command << "'\n\n";
    usage(std::cerr);
    return 2;
  } catch (const std::invalid_argument& e) {
    if (*e.what()) std::cerr << "tensorgraph: " << e.what() << "\n\n";
    usage(*e.what() ? std::cerr : std::cout);
    return *e.what() ? 2 : 0;
  } catch (const std::exception& e) {
    std::cerr << "tensorgraph: " << e.what() << "\n";
    return 1;
  }
}
