#pragma once
// A small training loop: epochs over a Dataset, train and validation loss and accuracy per
// epoch, early stopping on validation loss (restoring the best epoch's weights), and a progress
// bar on a terminal that becomes one log line per epoch otherwise.
#include <cstdint>
#include <functional>
#include <atomic>
#include <iosfwd>
#include <limits>
#include <optional>
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

struct FitState;

struct FitOptions {
  int epochs = 10;
  std::int64_t batch_size = 64;
  std::uint64_t seed = 0;        // epoch e shuffles with seed + e
  int patience = 0;              // stop after this many epochs without a better validation loss (0: never; needs validation data)
  bool restore_best = true;      // on stopping early, restore the best epoch's weights
  bool stop_on_non_finite = false;  // stop at the first NaN or infinite training loss (always reported)
  const FitState* resume = nullptr;  // continue a run from this state (see FitState)
  std::function<void(const FitState&)> on_checkpoint;  // after every epoch, and when stopped by `stop`
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by a SIGINT handler): stop after the current step
  std::ostream* log = nullptr;   // progress, epoch and warning lines (default std::cerr; null stream to silence)
  bool quiet = false;
};

struct EpochMetrics {
  int epoch = 0;  // 1-based
  double train_loss = 0, seconds = 0;
  std::optional<double> train_accuracy;        // absent when the model has no accuracy node
  std::optional<double> val_loss, val_accuracy;  // absent without validation data (accuracy: and node)
};

/// The first training step whose loss was NaN or infinite: a diverging step size, or a NaN in the data.
struct NonFinite {
  int epoch = 0;           // 1-based
  std::int64_t step = 0;   // 1-based, within the epoch
  double loss = 0;
};

struct History {
  std::vector<EpochMetrics> epochs;
  int best_epoch = 0;        // the epoch with the lowest finite validation loss (1-based; 0: none)
  bool stopped_early = false;
  std::optional<NonFinite> non_finite;  // set when a training loss was NaN or infinite
  bool stopped_non_finite = false;      // FitOptions::stop_on_non_finite ended training there
  bool interrupted = false;             // FitOptions::stop ended training (mid-epoch)
};

/// Where a run stands, to checkpoint and resume it: continuing from a state reproduces the run
/// that was not interrupted (each epoch's batch order comes from its number; the optimizer's
/// state lives in Variables). A checkpoint needs the state and every Variable of the graph.
struct FitState {
  History history;           // the epochs done
  int epoch = 1;             // the epoch to run next (1-based)
  std::int64_t step = 0;     // the batches of it already trained
  double best = std::numeric_limits<double>::infinity();  // early stopping: the best validation loss
  int since_best = 0;        // ... and the epochs since
  std::vector<Tensor> best_values;  // the best epoch's values of Model::variables (empty: none yet)
  std::uint64_t runs = 0;    // the session's run count: random ops (dropout) continue from it
};

/// A model's mean loss and accuracy over a dataset.
struct Evaluation {
  double loss = 0;
  std::optional<double> accuracy;  // absent when the model has no accuracy node
};

/// Mean loss and accuracy of `model` over `data` (batch-size weighted), without training. An empty
/// dataset is an Error. Over several ranks (distributed.h) each rank evaluates every size()-th
/// batch and the sums are reduced: every rank must call it, and gets the whole set's figures.
Evaluation evaluate(Session& session, const Model& model, const Dataset& data, std::int64_t batch_size = 256);
/// Trains `model` on `train`, validating on `validation` when given. Refused up front (Error): an
/// empty training or validation set, patience without validation data, epochs or batch_size < 1.
/// A NaN or infinite training loss is reported on the log (epoch and step) and in the History.
/// Over several ranks (distributed.h; the train_op from a DistributedOptimizer) it trains
/// data-parallel: rank r takes its part of every global batch of batch_size (Dataset::shard), the
/// ranks agree after each step on the loss and on stopping, the metrics are reduced, and only rank
/// 0 logs and calls on_checkpoint.
History fit(Session& session, const Model& model, const Dataset& train, const Dataset* validation, const FitOptions& options);

}  // namespace tg::train
