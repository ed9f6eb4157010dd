// `tensorgraph train --task autoencoder|vae|gan` and `tensorgraph generate`.
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "charlm.h"
#include "generative.h"
#include "pictures.h"
#include "report.h"
#include "tensorgraph/file.h"

namespace tgcli {
using namespace tg;

namespace {

using Clock = std::chrono::steady_clock;

// The first `n` test images from `first`.
Tensor test_images(const train::Dataset& test, std::int64_t first, std::int64_t n) {
  std::vector<std::int64_t> idx;
  for (std::int64_t i = 0; i < n; ++i) idx.push_back(first + i);
  return test.subset(idx).features();
}

// The model's loss over the whole test set, in batches of 1000 (the mean of the per-batch means:
// every batch holds 1000 images).
double test_metric(Session& s, const GenerativeModel& m, const train::Dataset& test) {
  double sum = 0;
  std::int64_t batches = 0;
  for (auto [x, y] : test.batches(1000, false, 0)) {
    sum += s.run(m.loss, {{m.images, x}}).item<double>();
    ++batches;
  }
  return sum / static_cast<double>(batches);
}

// The training flag fed true (a dcgan's batch normalisation), or nothing.
FeedDict train_feeds(const GenerativeModel& m) {
  FeedDict f;
  if (m.training.valid()) {
    Tensor on(DType::boolean, {});
    on.data<bool>()[0] = true;
    f.set(m.training, on);
  }
  return f;
}
// The images decoded from `z` (a dcgan's batch normalisation on its moving statistics).
// NOTE: decoding with the statistics of batches of 64 instead, as PyTorch's DCGAN example samples,
// changed nothing measurable (a classifier's mean top probability 0.686 against 0.689).
Tensor decode(Session& s, const GenerativeModel& m, const Tensor& z) {
  FeedDict f{{m.z, z}};
  if (m.training.valid()) f.set(m.training, Tensor(DType::boolean, {}));
  return s.run(m.decoded, f);
}

std::string metric_name(const GenerativeSpec& spec) {
  return spec.task == GenerativeSpec::Task::autoencoder ? "test MSE" : "test -ELBO (nats per image)";
}

void save_model(Session& s, const GenerativeModel& m, const CommandLine& c, int epochs_done, const std::string& path) {
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const Node& v : m.variables) tensors.emplace_back(v.name(), s.value(v));
  std::map<std::string, std::string> meta{
      {"task", m.spec.task_name()}, {"model", m.spec.str()}, {"epochs_done", std::to_string(epochs_done)}};
  for (const auto& [k, v] : c.text) meta["option." + k] = v;
  save_safetensors(path, tensors, meta);
}

// The pictures of a trained model (each task's own; see the README).
void draw_pictures(Session& s, const GenerativeModel& m, const train::Dataset& test, const std::string& dir,
                   std::uint64_t seed) {
  using Task = GenerativeSpec::Task;
  if (m.spec.task != Task::gan) {
    const Tensor originals = test_images(test, 0, 32);
    const Tensor codes = s.run(m.code, {{m.images, originals}});
    const Tensor decoded = s.run(m.decoded, {{m.z, codes}});  // the VAE decodes its means
    reconstruction_grid(originals, decoded, 16, "First 32 test images and their reconstructions (" + m.spec.task_name() +
                        " " + m.spec.str() + ")", dir + "/reconstructions.png");
  }
  if (m.spec.task == Task::autoencoder) return;
  Rng rng(seed);
  const Tensor noise = Tensor::randn({64, m.spec.latent()}, rng, DType::f32);
  image_grid(decode(s, m, noise), 8, 2, "64 samples from the prior z ~ N(0, I)", dir + "/samples.png");
  if (m.spec.task != Task::vae || m.spec.latent() != 2) return;
  const int side = 20;
  const double span = 3;
  Tensor plane(DType::f32, {side * side, 2});
  for (int r = 0; r < side; ++r)
    for (int col = 0; col < side; ++col) {
      plane.data<float>()[2 * (r * side + col)] = static_cast<float>(-span + 2 * span * col / (side - 1));
      plane.data<float>()[2 * (r * side + col) + 1] = static_cast<float>(span - 2 * span * r / (side - 1));
    }
  latent_plane(s.run(m.decoded, {{m.z, plane}}), side, span, dir + "/latent_plane.png");
  latent_scatter(s.run(m.code, {{m.images, test.features()}}), test.labels(), dir + "/latent_means.png");
}

}  // namespace

int train_generative(const CommandLine& c) {
  if (c.optimizer != "adam" || c.text.at("schedule") != "constant" || c.dropout != 0 || c.patience != 0 || c.resume)
    throw std::invalid_argument("--task " + c.task + " trains with Adam at a constant --learning-rate, without "
                                "--dropout, --patience or --resume");
  const GenerativeSpec spec = GenerativeSpec::parse(c.task, c.model);
  const std::string& dir = c.output;
  check_output_folder(dir);
  const auto train_set = train::Dataset::fashion_mnist("train", c.data);
  const auto test_set = train::Dataset::fashion_mnist("test", c.data);
  Graph().as_default();
  const GenerativeModel m = build_generative(spec, c.learning_rate, c.seed);
  const bool gan = spec.task == GenerativeSpec::Task::gan;
  std::cerr << "training the " << spec.task_name() << " " << spec.str() << " on " << train_set.size()
            << " images (Adam " << c.learning_rate << ", batch " << c.batch_size << ", " << c.epochs << " epochs)\n";
  Session s;
  Rng rng(c.seed + 1);  // the GAN's noise
  const Tensor fixed_noise = gan ? Tensor::randn({64, spec.latent()}, rng, DType::f32) : Tensor();
  const std::vector<std::string> names = gan ? std::vector<std::string>{"d_loss", "g_loss"}
                                             : std::vector<std::string>{"train_loss", "test_metric"};
  std::vector<std::vector<double>> columns(2);
  std::vector<double> seconds;
  std::optional<StopOnInterrupt> interrupt{std::in_place};
  double test = NAN;
  bool diverged = false;
  for (int e = 1; e <= c.epochs && !interrupt->stopped() && !diverged; ++e) {
    const auto t0 = Clock::now();
    double sum[2] = {0, 0};
    std::int64_t seen = 0;
    for (auto [x, y] : train_set.batches(c.batch_size, true, c.seed + static_cast<std::uint64_t>(e))) {
      const std::int64_t n = x.shape()[0];
      if (gan) {  // the discriminator's step, then the generator's, each on fresh noise
        FeedDict d_feed = train_feeds(m), g_feed = train_feeds(m);
        d_feed.set(m.images, x);
        d_feed.set(m.z, Tensor::randn({n, spec.latent()}, rng, DType::f32));
        g_feed.set(m.z, Tensor::randn({n, spec.latent()}, rng, DType::f32));
        sum[0] += static_cast<double>(n) * s.run({m.loss, m.train_op}, d_feed)[0].item<double>();
        sum[1] += static_cast<double>(n) * s.run({m.g_loss, m.g_train_op}, g_feed)[0].item<double>();
      } else {
        sum[0] += static_cast<double>(n) * s.run({m.loss, m.train_op}, {{m.images, x}})[0].item<double>();
      }
      seen += n;
      if (interrupt->stopped()) break;
    }
    if (interrupt->stopped()) break;
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    columns[0].push_back(sum[0] / static_cast<double>(seen));
    columns[1].push_back(gan ? sum[1] / static_cast<double>(seen) : (test = test_metric(s, m, test_set)));
    diverged = !std::isfinite(columns[0].back()) || !std::isfinite(columns[1].back());
    std::cerr << "epoch " << e << "/" << c.epochs << ": " << (gan ? "discriminator loss " : "train loss ")
              << metric_text(columns[0].back(), 6) << (gan ? ", generator loss " : ", " + metric_name(spec) + " ")
              << metric_text(columns[1].back(), 6) << " (" << metric_text(seconds.back(), 3) << " s)\n";
    save_model(s, m, c, e, dir + "/model.safetensors");
    if (gan) {
      std::ostringstream name;
      name << dir << "/samples_epoch_" << std::setw(3) << std::setfill('0') << e << ".png";
      image_grid(decode(s, m, fixed_noise), 8, 2, "GAN samples after epoch " + std::to_string(e) +
                 " (the same noise every epoch)", name.str());
    }
  }
  const bool interrupted = interrupt->stopped();
  interrupt.reset();
  if (interrupted) return StopOnInterrupt::report_stop(dir + "/model.safetensors", seconds.size());
  nlohmann::ordered_json result;
  if (!gan) result = std::isfinite(test) ? nlohmann::ordered_json(test) : nlohmann::ordered_json();
  write_epoch_metrics(m.spec.task_name(), m.spec.str(), c, names, columns, seconds, dir,
                      gan ? "" : spec.task == GenerativeSpec::Task::vae ? "test_neg_elbo" : "test_mse", result);
  if (gan) curves("Losses per epoch", "loss (mean cross-entropy, nats)", {"discriminator", "generator"}, columns,
                  dir + "/loss.png");
  else curves("Loss per epoch", spec.task == GenerativeSpec::Task::vae ? "-ELBO (nats per image)" : "MSE per pixel",
              {"train", "test"}, columns, dir + "/loss.png");
  if (diverged) {
    std::cerr << "tensorgraph: training diverged: a loss was not finite in epoch " << seconds.size()
              << " (try a smaller --learning-rate); the model is not usable\n";
    return 3;
  }
  draw_pictures(s, m, test_set, dir, c.seed);
  if (!gan) std::cout << metric_name(spec) << ": " << metric_text(test, 6) << "\n";
  std::cout << "wrote " << dir << "/{model.safetensors, metrics.csv, metrics.json, loss.png, "
            << (gan ? "samples.png, samples_epoch_*.png" : spec.task == GenerativeSpec::Task::vae
                                                           ? "reconstructions.png, samples.png" +
                                                                 std::string(spec.latent() == 2 ? ", latent_plane.png, latent_means.png" : "")
                                                           : "reconstructions.png")
            << "}\n";
  return 0;
}

int generate_command(const CommandLine& c, const Classify& classify) {
  const auto meta = load_safetensors_metadata(c.checkpoint);
  if (meta.count("task") && meta.at("task") == "charlm") return generate_text(c, meta);
  if (!meta.count("task"))
    throw IoError("'" + c.checkpoint + "' is not a generative model's checkpoint (train --task autoencoder, vae, gan or "
                  "charlm writes one)");
  const GenerativeSpec spec = GenerativeSpec::parse(meta.at("task"), meta.at("model"));
  Graph g;
  g.as_default();
  const GenerativeModel m = build_generative(spec, 0.001, 0);
  Session s(g);
  train::Saver(m.variables).restore(s, c.checkpoint);
  check_finite(s, m.variables, c.checkpoint);
  Tensor images;
  if (spec.task == GenerativeSpec::Task::autoencoder) {
    const auto test = train::Dataset::fashion_mnist("test", c.data);
    const std::int64_t n = std::min<std::int64_t>(c.samples, test.size() - c.index);
    const Tensor originals = test_images(test, c.index, n);
    images = s.run(m.decoded, {{m.images, originals}});
    reconstruction_grid(originals, images, 16, "Test images " + std::to_string(c.index) + " to " +
                        std::to_string(c.index + n - 1) + " and their reconstructions", c.image);
  } else {
    Rng rng(c.seed);
    images = decode(s, m, Tensor::randn({c.samples, spec.latent()}, rng, DType::f32));
    const int cols = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(c.samples))));
    image_grid(images, cols, c.samples <= 100 ? 2 : 1, std::to_string(c.samples) + " samples of the " +
               spec.task_name() + " " + spec.str() + " (seed " + std::to_string(c.seed) + ")", c.image);
  }
  std::cout << "wrote " << c.image << "\n";
  if (!c.classifier.empty()) {
    const Tensor p = classify(images);
    std::vector<std::int64_t> counts(10);
    double top = 0;
    for (std::int64_t i = 0; i < p.shape()[0]; ++i) {
      std::int64_t best = 0;
      for (std::int64_t k = 1; k < 10; ++k)
        if (p.flat(i * 10 + k) > p.flat(i * 10 + best)) best = k;
      ++counts[static_cast<std::size_t>(best)];
      top += p.flat(i * 10 + best) / static_cast<double>(p.shape()[0]);
    }
    int present = 0;
    std::cout << "classes the classifier gives the " << p.shape()[0] << " images:";
    for (int k = 0; k < 10; ++k) {
      std::cout << (k ? ", " : " ") << class_name(k) << " " << counts[static_cast<std::size_t>(k)];
      present += counts[static_cast<std::size_t>(k)] > 0;
    }
    std::cout << "\nclasses present: " << present << " of 10\nmean top-class probability: " << std::fixed
              << std::setprecision(4) << top << "\n";
  }
  return 0;
}

}  // namespace tgcli
