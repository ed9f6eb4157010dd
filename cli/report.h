#pragma once
// What `tensorgraph train` writes: the checkpoint (safetensors, with the model's sizes in its
// metadata), metrics as CSV and JSON, and PNG plots.
#include <map>
#include <string>
#include <vector>

#include "model.h"

namespace tgcli {

struct Report {
  ModelSpec spec;
  std::map<std::string, std::string> options;
  tg::train::History history;
  double test_loss, test_accuracy;
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
/// loss.png and accuracy.png: train in blue, validation in orange, one point per epoch, axes
/// fitted to the values (accuracy in %).
void plot_curves(const tg::train::History& h, const std::string& dir);
/// A 4 x 8 grid of the first test images, framed and captioned with the predicted class in green
/// when right; in red, with the true class below it, when wrong.
void plot_samples(tg::Session& s, const Classifier& m, const tg::train::Dataset& test, const std::string& path);

}  // namespace tgcli
