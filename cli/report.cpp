#include "report.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace tgcli {
using namespace tg;

std::string metric_text(double v, int digits, bool fixed) {
  if (std::isnan(v)) return "nan";  // NOTE: a stream prints "-nan" for a NaN with its sign bit set
  std::ostringstream os;
  if (fixed) os << std::fixed;
  os << std::setprecision(digits) << v;
  return os.str();
}

std::string class_name(std::int64_t c) {
  static const char* names[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return c >= 0 && c < 10 ? names[c] : "class " + std::to_string(c);
}

void save_checkpoint(Session& s, const Mlp& m, const Report& r, const std::string& path) {
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const Node& v : m.model.variables) tensors.emplace_back(v.name(), s.value(v));
  std::map<std::string, std::string> meta{{"model", r.spec.str()}, {"test_accuracy", std::to_string(r.test_accuracy)}};
  for (const auto& [k, v] : r.options) meta["option." + k] = v;
  save_safetensors(path, tensors, meta);
}

namespace {
// A metric in the CSV: empty when it was not computed, "nan"/"inf" as such.
std::string csv_value(std::optional<double> v) {
  if (!v) return "";
  if (std::isnan(*v)) return "nan";
  std::ostringstream os;
  os << std::setprecision(8) << *v;
  return os.str();
}
// A metric in the JSON: null when not computed or not finite (JSON has no NaN).
std::string json_value(std::optional<double> v) { return v && std::isfinite(*v) ? csv_value(v) : "null"; }
}  // namespace

void write_metrics(const Report& r, const std::string& dir) {
  std::ofstream csv(dir + "/metrics.csv");
  csv << "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds\n" << std::setprecision(8);
  for (const auto& e : r.history.epochs)
    csv << e.epoch << ',' << csv_value(e.train_loss) << ',' << csv_value(e.train_accuracy) << ','
        << csv_value(e.val_loss) << ',' << csv_value(e.val_accuracy) << ',' << e.seconds << '\n';
  std::ofstream json(dir + "/metrics.json");
  json << std::setprecision(8) << "{\n  \"model\": \"" << r.spec.str() << "\",\n  \"options\": {";
  bool first = true;
  for (const auto& [k, v] : r.options) {
    json << (first ? "" : ", ") << '"' << k << "\": \"" << v << '"';  // option values are paths and numbers
    first = false;
  }
  json << "},\n  \"epochs\": [\n";
  for (std::size_t i = 0; i < r.history.epochs.size(); ++i) {
    const auto& e = r.history.epochs[i];
    json << "    {\"epoch\": " << e.epoch << ", \"train_loss\": " << json_value(e.train_loss)
         << ", \"train_accuracy\": " << json_value(e.train_accuracy) << ", \"val_loss\": " << json_value(e.val_loss)
         << ", \"val_accuracy\": " << json_value(e.val_accuracy) << ", \"seconds\": " << e.seconds << "}"
         << (i + 1 < r.history.epochs.size() ? "," : "") << "\n";
  }
  json << "  ],\n  \"best_epoch\": " << r.history.best_epoch << ",\n  \"stopped_early\": "
       << (r.history.stopped_early ? "true" : "false") << ",\n  \"diverged\": "
       << (r.history.non_finite ? "true" : "false") << ",\n  \"test_loss\": " << json_value(r.test_loss)
       << ",\n  \"test_accuracy\": " << json_value(r.test_accuracy) << "\n}\n";
  if (!csv || !json) throw IoError("cannot write the metrics to '" + dir + "'");
}

void plot_curves(const train::History& h, const std::string& dir) {
  const auto& ep = h.epochs;
  const double n = static_cast<double>(std::max<std::size_t>(ep.size(), 2));
  using Metric = std::optional<double> (*)(const train::EpochMetrics&);
  auto curve = [&](const std::string& file, const std::string& title, Metric train_metric, Metric val_metric) {
    // NOTE: a metric not computed (no validation) or not finite (a diverged run) is not drawn.
    auto drawn = [](std::optional<double> v) { return v && std::isfinite(*v); };
    auto train = [&](const train::EpochMetrics& e) { return drawn(train_metric(e)) ? *train_metric(e) : NAN; };
    auto val = [&](const train::EpochMetrics& e) { return drawn(val_metric(e)) ? *val_metric(e) : NAN; };
    double hi = 0;
    for (const auto& e : ep)
      for (double v : {train(e), val(e)})
        if (std::isfinite(v)) hi = std::max(hi, v);
    Plot p(640, 400, 1, n, 0, hi > 0 ? hi * 1.05 : 1);
    p.text(Plot::kMargin, 14, title + " PER EPOCH", colors::black, 2);
    p.text(640 - Plot::kMargin - 150, 14, "TRAIN", colors::blue, 2);
    p.text(640 - Plot::kMargin - 90, 14, "VALIDATION", colors::red, 2);
    auto segment = [&](double x0, double y0, double x1, double y1, Color color) {
      if (std::isfinite(y0) && std::isfinite(y1)) p.line(x0, y0, x1, y1, color);
    };
    auto point = [&](double x, double y, Color color) {
      if (std::isfinite(y)) p.scatter(x, y, color);
    };
    for (std::size_t i = 0; i < ep.size(); ++i) {
      const double x = static_cast<double>(i + 1);
      if (i) {
        segment(x - 1, train(ep[i - 1]), x, train(ep[i]), colors::blue);
        segment(x - 1, val(ep[i - 1]), x, val(ep[i]), colors::red);
      }
      point(x, train(ep[i]), colors::blue);
      point(x, val(ep[i]), colors::red);
    }
    p.save_png(dir + "/" + file);
  };
  curve("loss.png", "LOSS", [](const train::EpochMetrics& e) { return std::optional<double>(e.train_loss); },
        [](const train::EpochMetrics& e) { return e.val_loss; });
  curve("accuracy.png", "ACCURACY", [](const train::EpochMetrics& e) { return e.train_accuracy; },
        [](const train::EpochMetrics& e) { return e.val_accuracy; });
}

void plot_samples(Session& s, const Mlp& m, const train::Dataset& test, const std::string& path) {
  const int rows = 4, cols = 8, cell = 64, scale = 2, caption = 16;  // 28 x 28 images at 2x, captions below
  std::vector<std::int64_t> idx;
  for (int i = 0; i < rows * cols; ++i) idx.push_back(i);
  const auto batch = test.subset(idx);
  FeedDict f = m.model.eval_feeds;
  f.set(m.model.inputs, batch.features());
  const Tensor predicted = s.run(argmax(m.logits, 1), f);
  Canvas c(cols * cell, rows * (cell + caption), colors::white);
  for (int i = 0; i < rows * cols; ++i) {
    const int x0 = (i % cols) * cell, y0 = (i / cols) * (cell + caption);
    const bool right = predicted.flat(i) == batch.labels().flat(i);
    c.fill_rect(x0 + 2, y0 + 2, x0 + cell - 2, y0 + cell - 2, right ? Color{44, 160, 44} : colors::red);
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) {
        const auto v = static_cast<std::uint8_t>(255 - 255 * batch.features().flat(i * 784 + y * 28 + x));
        c.fill_rect(x0 + 4 + scale * x, y0 + 4 + scale * y, x0 + 4 + scale * (x + 1), y0 + 4 + scale * (y + 1), Color{v, v, v});
      }
    // The predicted class, and the true one when they differ.
    const auto guess = static_cast<std::int64_t>(predicted.flat(i)), truth = static_cast<std::int64_t>(batch.labels().flat(i));
    auto shorten = [](std::string s) { return s.substr(0, s.find('/')).substr(0, 15); };
    c.draw_text(x0 + 3, y0 + cell, shorten(class_name(guess)), right ? Color{44, 160, 44} : colors::red);
    if (!right) c.draw_text(x0 + 3, y0 + cell + 7, shorten(class_name(truth)), colors::black);
  }
  c.save_png(path);
}

}  // namespace tgcli
