#include "report.h"

#include <algorithm>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "plot/line_chart.h"
#include "tensorgraph/file.h"

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

void check_output_folder(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string why = ec ? ": " + ec.message() : std::string();
  if (!ec) {
    // NOTE: written as every output is (a temp file, fsync, rename), so what passes here is
    // what the outputs need.
    const std::string probe = dir + "/.tensorgraph-write-test";
    try {
      write_file_atomically(probe, "ok", "train");
      std::filesystem::remove(probe, ec);
      return;
    } catch (const IoError&) {
    }
  }
  throw IoError("cannot write to the output folder '" + dir + "'" + why + " (choose another with --output)");
}

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

void save_checkpoint(Session& s, const Classifier& m, const Report& r, const std::string& path) {
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
// A metric in the JSON: null when not computed or not finite (JSON has no NaN or Infinity).
nlohmann::ordered_json json_value(std::optional<double> v) {
  return v && std::isfinite(*v) ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
}  // namespace

void write_metrics(const Report& r, const std::string& dir) {
  std::ostringstream csv;
  csv << "epoch,train_loss,train_accuracy,val_loss,val_accuracy,seconds\n" << std::setprecision(8);
  for (const auto& e : r.history.epochs)
    csv << e.epoch << ',' << csv_value(e.train_loss) << ',' << csv_value(e.train_accuracy) << ','
        << csv_value(e.val_loss) << ',' << csv_value(e.val_accuracy) << ',' << e.seconds << '\n';
  write_file_atomically(dir + "/metrics.csv", csv.str(), "train: metrics.csv");
  nlohmann::ordered_json epochs = nlohmann::ordered_json::array();
  for (const auto& e : r.history.epochs)
    epochs.push_back({{"epoch", e.epoch},
                      {"train_loss", json_value(e.train_loss)},
                      {"train_accuracy", json_value(e.train_accuracy)},
                      {"val_loss", json_value(e.val_loss)},
                      {"val_accuracy", json_value(e.val_accuracy)},
                      {"seconds", e.seconds}});
  const nlohmann::ordered_json json{{"model", r.spec.str()},
                                    {"options", r.options},
                                    {"epochs", epochs},
                                    {"best_epoch", r.history.best_epoch},
                                    {"stopped_early", r.history.stopped_early},
                                    {"diverged", r.history.non_finite.has_value()},
                                    {"test_loss", json_value(r.test_loss)},
                                    {"test_accuracy", json_value(r.test_accuracy)}};
  // NOTE: an option's bytes that are not UTF-8 (a path, say) become U+FFFD instead of an
  // exception after the whole training.
  const std::string text = json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  write_file_atomically(dir + "/metrics.json", text, "train: metrics.json");
}

void plot_curves(const train::History& h, const std::string& dir) {
  using Metric = std::optional<double> (*)(const train::EpochMetrics&);
  // NOTE: a metric not computed (no validation) is absent from the chart; one not finite (a
  // diverged run) is a gap in its line.
  auto chart = [&](const std::string& file, plot::LineChart spec, Metric train_metric, Metric val_metric,
                   double scale) {
    plot::Series train{"train", {}, {}, plot::colors::blue, plot::Marker::circle};
    plot::Series val{"validation", {}, {}, plot::colors::orange, plot::Marker::square};
    for (const auto& e : h.epochs) {
      for (auto [series, metric] : {std::pair{&train, train_metric}, {&val, val_metric}})
        if (const auto v = metric(e)) {
          series->x.push_back(e.epoch);
          series->y.push_back(*v * scale);
        }
    }
    for (auto* s : {&train, &val}) {
      if (s->x.empty()) continue;
      for (std::size_t i = 0; i < s->y.size(); ++i)
        if (!std::isfinite(s->y[i])) {
          s->label += " (not finite from epoch " + std::to_string(static_cast<int>(s->x[i])) + ")";
          break;
        }
      spec.series.push_back(std::move(*s));
    }
    plot::draw_line_chart(spec).figure.save_png(dir + "/" + file);
  };
  chart("loss.png",
        {.title = "Loss per epoch", .x_title = "epoch", .y_title = "loss (mean cross-entropy, nats)", .whole_x = true},
        [](const train::EpochMetrics& e) { return std::optional<double>(e.train_loss); },
        [](const train::EpochMetrics& e) { return e.val_loss; }, 1);
  chart("accuracy.png",
        {.title = "Accuracy per epoch", .x_title = "epoch", .y_title = "accuracy (%)", .whole_x = true},
        [](const train::EpochMetrics& e) { return e.train_accuracy; },
        [](const train::EpochMetrics& e) { return e.val_accuracy; }, 100);
}

void plot_samples(Session& s, const Classifier& m, const train::Dataset& test, const std::string& path) {
  // 28 x 28 images at 3x in cells of 104 x 124 px: a frame, the image, two caption lines.
  const int rows = 4, cols = 8, side = 28, scale = 3, cell_w = 104, cell_h = 124, header = 44;
  std::vector<std::int64_t> idx;
  for (int i = 0; i < rows * cols; ++i) idx.push_back(i);
  const auto batch = test.subset(idx);
  FeedDict f = m.model.eval_feeds;
  f.set(m.model.inputs, batch.features());
  const Tensor predicted = s.run(argmax(m.logits, 1), f);
  plot::Figure fig(cols * cell_w, header + rows * cell_h);
  fig.text(12, header / 2.0, "First 32 test images: predicted class (green: right; red: wrong, true class below)",
           {.size = 15, .bold = true, .v = plot::VAlign::middle});
  for (int i = 0; i < rows * cols; ++i) {
    const double x0 = (i % cols) * cell_w, y0 = header + (i / cols) * cell_h;
    const auto guess = static_cast<std::int64_t>(predicted.flat(i));
    const auto truth = static_cast<std::int64_t>(batch.labels().flat(i));
    const plot::Color mark = guess == truth ? plot::colors::green : plot::colors::red;
    const double left = x0 + (cell_w - side * scale) / 2.0, top = y0 + 4;
    fig.fill_rect({left - 3, top - 3, left + side * scale + 3, top + side * scale + 3}, mark);
    std::vector<plot::Color> ink(side * side);
    for (int p = 0; p < side * side; ++p) {
      const double pixel = std::clamp(batch.features().flat(i * 784 + p), 0.0, 1.0);  // 0 paper, 1 ink
      const auto v = static_cast<std::uint8_t>(std::lround(255 * (1 - pixel)));
      ink[p] = {v, v, v};
    }
    fig.pixels(ink, side, side, {left, top, left + side * scale, top + side * scale});
    const double text_y = top + side * scale + 6;
    fig.text(x0 + cell_w / 2.0, text_y, class_name(guess),
             {.size = 12, .color = mark, .bold = true, .h = plot::HAlign::center, .v = plot::VAlign::top});
    if (guess != truth)
      fig.text(x0 + cell_w / 2.0, text_y + 15, "true: " + class_name(truth),
               {.size = 11, .color = plot::colors::dark_gray, .h = plot::HAlign::center, .v = plot::VAlign::top});
  }
  fig.save_png(path);
}

void write_epoch_metrics(const std::string& task, const std::string& model, const CommandLine& c,
                         const std::vector<std::string>& names, const std::vector<std::vector<double>>& columns,
                         const std::vector<double>& seconds, const std::string& dir, const std::string& result_name,
                         const nlohmann::ordered_json& result) {
  std::ostringstream csv;
  csv << "epoch";
  for (const auto& n : names) csv << ',' << n;
  csv << ",seconds\n" << std::setprecision(8);
  nlohmann::ordered_json epochs = nlohmann::ordered_json::array();
  for (std::size_t e = 0; e < seconds.size(); ++e) {
    csv << e + 1;
    nlohmann::ordered_json row{{"epoch", e + 1}};
    for (std::size_t k = 0; k < names.size(); ++k) {
      csv << ',' << columns[k][e];
      row[names[k]] = std::isfinite(columns[k][e]) ? nlohmann::ordered_json(columns[k][e]) : nlohmann::ordered_json();
    }
    csv << ',' << seconds[e] << '\n';
    row["seconds"] = seconds[e];
    epochs.push_back(row);
  }
  tg::write_file_atomically(dir + "/metrics.csv", csv.str(), "train: metrics.csv");
  nlohmann::ordered_json json{{"task", task}, {"model", model}, {"options", c.text}, {"epochs", epochs}};
  if (!result_name.empty()) json[result_name] = result;
  tg::write_file_atomically(dir + "/metrics.json",
                            json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
                            "train: metrics.json");
}

namespace {
std::atomic<bool> g_interrupted{false};
}  // namespace

StopOnInterrupt::StopOnInterrupt() {
  g_interrupted = false;
  struct sigaction on_int {};
  on_int.sa_handler = [](int) { g_interrupted = true; };
  on_int.sa_flags = SA_RESETHAND | SA_RESTART;  // a second Ctrl-C ends the process at once
  sigaction(SIGINT, &on_int, nullptr);
}
StopOnInterrupt::~StopOnInterrupt() { signal(SIGINT, SIG_DFL); }
bool StopOnInterrupt::stopped() const { return g_interrupted; }
const std::atomic<bool>* StopOnInterrupt::flag() const { return &g_interrupted; }
int StopOnInterrupt::report_stop(const std::string& model, std::size_t epochs) {
  std::cerr << "tensorgraph: interrupted; " << model << " holds the model after epoch " << epochs << "\n";
  return 130;
}

}  // namespace tgcli
