// tensorgraph: the command-line main job.
//   tensorgraph train     trains an MLP on Fashion-MNIST; writes a checkpoint, metrics and plots
//   tensorgraph evaluate  the test accuracy of a checkpoint
//   tensorgraph predict   the class probabilities of test images
//   tensorgraph train --task autoencoder|vae|gan, tensorgraph generate: generative models (generative.h)
// `mpirun -np N tensorgraph train` trains the classifier data-parallel over N processes (each rank a
// shard of every global batch of --batch-size; rank 0 alone prints and writes the outputs).
#include <csignal>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <variant>

#include "tensorgraph/file.h"
#include "checkpoint.h"
#include "charlm.h"
#include "generative.h"
#include "model.h"
#include "options.h"
#include "report.h"

namespace {
using namespace tg;


// What `train` runs with: its options checked beyond their types and ranges (the model's sizes,
// patience with validation data) before any data is read.
struct TrainOptions {
  tgcli::ModelSpec spec;
  train::FitOptions fit;
};

TrainOptions train_options(const tgcli::CommandLine& c) {
  TrainOptions t;
  t.spec = tgcli::ModelSpec::parse(c.model);
  if (t.spec.inputs != 784 || t.spec.classes != 10)
    throw std::invalid_argument("--model " + c.model + ": Fashion-MNIST has 784 inputs (28 x 28 pixels) and 10 " +
                                "classes, so the sizes must start with 784 and end with 10");
  t.spec.dropout = c.dropout;
  t.fit.epochs = c.epochs;
  t.fit.batch_size = c.batch_size;
  t.fit.patience = c.patience;
  t.fit.seed = c.seed;
  if (t.fit.patience > 0 && c.validation == 0)
    throw std::invalid_argument("--patience needs validation data: a --validation fraction above 0");
  return t;
}

int train_command(const tgcli::CommandLine& c) {
  TrainOptions options = train_options(c);
  const tgcli::ModelSpec& spec = options.spec;
  const std::uint64_t seed = c.seed;
  const double validation = c.validation;
  train::FitOptions& fit = options.fit;
  const std::string& dir = c.output;
  const bool writer = distributed::rank() == 0;  // NOTE: every rank trains; rank 0 writes for all
  if (writer) tgcli::check_output_folder(dir);
  auto all = train::Dataset::fashion_mnist("train", c.data);
  auto test = train::Dataset::fashion_mnist("test", c.data);
  train::Dataset train_set = all;
  std::optional<train::Dataset> val_set;  // none with --validation 0
  if (validation != 0) std::tie(train_set, val_set) = all.split(validation, seed);
  Graph().as_default();
  // cosine: from --learning-rate at the first step down to 0 at the last one of --epochs (a resume
  // that raises --epochs stretches the rest of the curve).
  const std::int64_t steps = fit.epochs * ((train_set.size() + fit.batch_size - 1) / fit.batch_size);
  const train::Schedule lr = c.schedule == "cosine" ? train::schedules::cosine(c.learning_rate, steps)
                                                    : train::Schedule(c.learning_rate);
  tgcli::Classifier m = tgcli::build_model(spec, c.optimizer, lr, seed);
  if (writer) {
    std::cerr << "training " << spec.str() << " on " << train_set.size() << " images, validating on "
              << (val_set ? val_set->size() : 0);
    if (distributed::size() > 1)
      std::cerr << ", data-parallel over " << distributed::size() << " processes (" << num_threads()
                << " thread" << (num_threads() == 1 ? "" : "s") << " each)";
    std::cerr << "\n";
  }
  Session s;
  // The run's state after every epoch, and at Ctrl-C, for --resume.
  tgcli::TrainingCheckpoint checkpoint{dir + "/checkpoint.safetensors", Graph::get_default().variables(),
                                       m.model.variables, {}};
  for (const char* k : {"model", "optimizer", "learning-rate", "schedule", "batch-size", "seed", "validation", "dropout",
                        "data"})
    checkpoint.options[k] = c.text.at(k);
  fit.on_checkpoint = [&](const train::FitState& st) { checkpoint.write(s, st); };
  std::optional<train::FitState> resumed;
  if (c.resume) {
    resumed = checkpoint.read(s);
    fit.resume = &*resumed;
    if (writer) std::cerr << "resuming at epoch " << resumed->epoch << ", step " << resumed->step << " from " << checkpoint.path
              << "\n";
  }
  std::optional<tgcli::StopOnInterrupt> interrupt{std::in_place};
  fit.stop = interrupt->flag();
  const train::History h = train::fit(s, m.model, train_set, val_set ? &*val_set : nullptr, fit);
  interrupt.reset();
  if (h.interrupted) {
    if (writer) std::cerr << "tensorgraph: interrupted; " << checkpoint.path << " holds the run: continue it with the same "
              << "command and --resume\n";
    return 130;
  }
  const train::Evaluation t = train::evaluate(s, m.model, test);  // over several ranks: each a part
  if (!writer) return h.non_finite ? 3 : 0;
  tgcli::Report r{spec, c.text, h, t.loss, t.accuracy.value_or(NAN)};
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
  tgcli::Classifier m;
  std::unique_ptr<Session> s;
};

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
  tgcli::Classifier& m = l.m;
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
Loaded load(const tgcli::CommandLine& c) {
  const std::string& path = c.checkpoint;
  auto ends_with = [&](const std::string& tail) {
    return path.size() >= tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0;
  };
  std::string exported;
  if (ends_with(".json")) exported = path.substr(0, path.size() - 5);
  else if (ends_with(".safetensors") && std::filesystem::exists(path.substr(0, path.size() - 12) + ".json"))
    exported = path.substr(0, path.size() - 12);
  if (!exported.empty()) {
    Loaded l = load_exported(exported);
    tgcli::check_finite(*l.s, l.m.model.variables, path);
    return l;
  }
  const auto meta = load_safetensors_metadata(path);
  if (!meta.count("model"))
    throw IoError("'" + path + "' is not a tensorgraph CLI checkpoint (no \"model\" metadata) nor an exported model " +
                  "(a .json written by export_model beside it)");
  Graph().as_default();
  Loaded l{tgcli::build_model(tgcli::ModelSpec::parse(meta.at("model")), "sgd", 0.1, 0), std::make_unique<Session>()};
  restore_weights(*l.s, l.m.model.variables, path);
  tgcli::check_finite(*l.s, l.m.model.variables, path);
  return l;
}

// The test set, its images in the dtype the model's placeholder takes (float64 for a tutorial-style model).
train::Dataset test_set(const tgcli::CommandLine& c, const tgcli::Classifier& m) {
  train::Dataset test = train::Dataset::fashion_mnist("test", c.data);
  const DType want = m.model.inputs.dtype();
  if (want == DType::unknown || want == test.features().dtype()) return test;
  return train::Dataset(test.features().astype(want), test.labels());
}

int evaluate_command(const tgcli::CommandLine& c) {
  Loaded l = load(c);
  auto& [m, s] = l;
  const train::Evaluation e = train::evaluate(*s, m.model, test_set(c, m));
  std::cout << "test loss: " << tgcli::metric_text(e.loss, 6) << "\ntest accuracy: "
            << tgcli::metric_text(e.accuracy.value_or(NAN), 4, true) << "\n";
  return 0;
}

int predict_command(const tgcli::CommandLine& c) {
  Loaded l = load(c);
  auto& [m, s] = l;
  const std::int64_t first = c.index, count = c.count;
  const auto test = test_set(c, m);
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
  const auto parsed = tgcli::parse_command_line(argc, argv);
  if (const int* status = std::get_if<int>(&parsed)) return *status;
  const auto& c = std::get<tgcli::CommandLine>(parsed);
  try {
    distributed::init();  // a world of one unless started by mpirun
    // NOTE: ranks on one machine share its cores: by default each takes its part of them.
    if (c.threads) set_num_threads(c.threads);
    else if (distributed::local_size() > 1)
      set_num_threads(std::max(1, num_threads() / distributed::local_size()));
    if (distributed::size() > 1 && !(c.command == "train" && c.task == "classifier"))
      throw std::invalid_argument("under mpirun, only `train` of the classifier runs data-parallel (" +
                                  std::to_string(distributed::size()) + " processes were started)");
    if (c.command == "train" && c.task == "charlm") return tgcli::train_charlm(c);
    if (c.command == "train" && c.task != "classifier") return tgcli::train_generative(c);
    if (c.command == "train") return train_command(c);
    if (c.command == "generate")
      return tgcli::generate_command(c, [&](const Tensor& images) {
        tgcli::CommandLine with = c;
        with.checkpoint = c.classifier;
        Loaded l = load(with);
        FeedDict f = l.m.model.eval_feeds;
        const DType want = l.m.model.inputs.dtype();
        f.set(l.m.model.inputs, want == DType::unknown || want == images.dtype() ? images : images.astype(want));
        return l.s->run(l.m.probabilities, f);
      });
    if (c.command == "evaluate") return evaluate_command(c);
    return predict_command(c);
  } catch (const std::invalid_argument& e) {  // options that do not fit together
    const std::string help = std::string(e.what()) + "\nRun 'tensorgraph " + c.command + " --help' for the options.";
    if (distributed::size() > 1) distributed::abort(help, 2);  // NOTE: ends every rank, not only this one
    std::cerr << "tensorgraph: " << help << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (distributed::size() > 1) distributed::abort(e.what(), 1);
    std::cerr << "tensorgraph: " << e.what() << "\n";
    return 1;
  }
}
