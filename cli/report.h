#pragma once
// What `tensorgraph train` writes: the checkpoint (safetensors, with the model's sizes in its
// metadata), metrics as CSV and JSON, and PNG plots.
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.h"
#include "options.h"

namespace tgcli {

struct Report {
  ModelSpec spec;
  std::map<std::string, std::string> options;
  tg::train::History history;
  double test_loss, test_accuracy;
};

/// Ctrl-C during training: from construction until destruction the first SIGINT sets the flag
/// (training stops after the current step and keeps what it has), a second one ends the process.
class StopOnInterrupt {
 public:
  StopOnInterrupt();
  ~StopOnInterrupt();
  StopOnInterrupt(const StopOnInterrupt&) = delete;
  StopOnInterrupt& operator=(const StopOnInterrupt&) = delete;
  /// Whether Ctrl-C was pressed.
  bool stopped() const;
  /// The flag itself, for train::FitOptions::stop.
  const std::atomic<bool>* flag() const;
  /// After a run that Ctrl-C stopped: says that `model` holds the last whole epoch's weights; 130,
  /// the exit status of an interrupted command.
  static int report_stop(const std::string& model, std::size_t epochs);
};
/// Creates `dir` and proves it writable before any work is done (a model is never trained only
/// to be lost for want of a place to write it); throws IoError naming it.
void check_output_folder(const std::string& dir);
/// Throws IoError naming `path` when a weight in `vars` holds NaN or Inf: the file is intact (its
/// checksums held), but a diverged run saves such weights, and using them would print meaningless
/// results with exit status 0.
void check_finite(tg::Session& s, const std::vector<tg::Node>& vars, const std::string& path);
/// A metric for the terminal: `digits` significant digits (decimals when `fixed`), "nan" for every NaN.
std::string metric_text(double v, int digits, bool fixed = false);
/// Fashion-MNIST's class names ("T-shirt/top", ..., "Ankle boot").
std::string class_name(std::int64_t c);
/// The trained weights by node name, and the model's sizes, options and results as metadata.
void save_checkpoint(tg::Session& s, const Classifier& m, const Report& r, const std::string& path);
/// metrics.csv (one row per epoch) and metrics.json (options, epochs, test results; a metric
/// not computed or not finite is null), both written atomically.
void write_metrics(const Report& r, const std::string& dir);
/// The generative and sequence tasks' metrics.csv (epoch, each column, seconds) and metrics.json
/// (task, model, options, epochs, and `result` under `result_name` unless that is empty; a value
/// that is not finite is null), both written atomically.
void write_epoch_metrics(const std::string& task, const std::string& model, const CommandLine& c,
                         const std::vector<std::string>& names, const std::vector<std::vector<double>>& columns,
                         const std::vector<double>& seconds, const std::string& dir, const std::string& result_name,
                         const nlohmann::ordered_json& result);
/// loss.png and accuracy.png: train in blue, validation in orange, one point per epoch, axes
/// fitted to the values (accuracy in %).
void plot_curves(const tg::train::History& h, const std::string& dir);
/// A 4 x 8 grid of the first test images, framed and captioned with the predicted class in green
/// when right; in red, with the true class below it, when wrong.
void plot_samples(tg::Session& s, const Classifier& m, const tg::train::Dataset& test, const std::string& path);

}  // namespace tgcli
