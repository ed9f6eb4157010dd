#pragma once
// A small training loop: epochs over a Dataset, train and validation loss and accuracy per
// epoch, early stopping on validation loss (restoring the best epoch's weights), and a progress
// bar on a terminal that becomes one log line per epoch otherwise.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <vector>

#include "tensorgraph/dataset.h"
#include "tensorgraph/session.h"

namespace tg::train {

/// The nodes a Trainer runs: inputs and labels are fed from the Dataset's batches.
struct Model {
  Node inputs, labels;
  Node loss;       // scalar: the mean loss of a batch
  Node accuracy;   // scalar: the fraction of a batch classified right (optional)
  Node train_op;   // one optimizer step
  FeedDict train_feeds;  // extra feeds while training (e.g. dropout's training flag = true)
  FeedDict eval_feeds;   // extra feeds while evaluating
  std::vector<Node> variables;  // restored on early stopping (default: the graph's Variables)
};

struct FitOptions {
  int epochs = 10;
  std::int64_t batch_size = 64;
  std::uint64_t seed = 0;        // epoch e shuffles with seed + e
  int patience = 0;              // stop after this many epochs without a better validation loss (0: never)
  bool restore_best = true;      // on stopping early, restore the best epoch's weights
  std::ostream* log = nullptr;   // progress and epoch lines (default std::cerr; null stream to silence)
  bool quiet = false;
};

struct EpochMetrics {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_accuracy = 0, val_loss = 0, val_accuracy = 0, seconds = 0;
};

struct History {
  std::vector<EpochMetrics> epochs;
  int best_epoch = 0;        // the epoch with the lowest validation loss (1-based; 0 without validation)
  bool stopped_early = false;
};

/// Mean loss and accuracy of `model` over `data` (batch-size weighted), without training.
std::pair<double, double> evaluate(Session& session, const Model& model, const Dataset& data, std::int64_t batch_size = 256);
/// Trains `model` on `train`, validating on `validation` when given.
History fit(Session& session, const Model& model, const Dataset& train, const Dataset* validation, const FitOptions& options);

}  // namespace tg::train
