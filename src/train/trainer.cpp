#include "tensorgraph/trainer.h"
// Under mpirun (tensorgraph/distributed.h, world size > 1) fit trains data-parallel: each rank
// trains on its shard of every global batch (Dataset::shard), the train_op averages the gradients
// (DistributedOptimizer), one small allreduce per step makes every rank agree on the loss and on
// stopping, the metrics are reduced over the ranks, and only rank 0 prints and checkpoints.

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

#include "tensorgraph/distributed.h"
#include "tensorgraph/op_def.h"

namespace tg::train {
namespace {

using Clock = std::chrono::steady_clock;

FeedDict with_batch(const FeedDict& extra, const Model& m, const Tensor& x, const Tensor& y) {
  FeedDict f = extra;
  f.set(m.inputs, x);
  f.set(m.labels, y);
  return f;
}

// Progress on a terminal: one line rewritten in place; elsewhere nothing until the epoch ends.
class Progress {
 public:
  Progress(std::ostream& out, bool tty, int epoch, int epochs, std::int64_t batches)
      : out_(out), tty_(tty), epoch_(epoch), epochs_(epochs), batches_(batches), start_(Clock::now()) {}
  void update(std::int64_t done, std::int64_t examples, double running_loss) {
    if (!tty_) return;
    const auto now = Clock::now();
    if (done < batches_ && now - last_ < std::chrono::milliseconds(100)) return;  // ~10 redraws a second
    last_ = now;
    const double s = std::chrono::duration<double>(now - start_).count();
    const double rate = s > 0 ? static_cast<double>(examples) / s : 0;
    const double eta = done ? s / static_cast<double>(done) * static_cast<double>(batches_ - done) : 0;
    const int width = 24, filled = static_cast<int>(width * done / std::max<std::int64_t>(batches_, 1));
    std::ostringstream line;
    line << "\repoch " << epoch_ << "/" << epochs_ << " [" << std::string(static_cast<std::size_t>(filled), '=')
         << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << batches_ << "  "
         << std::fixed << std::setprecision(0) << rate << " ex/s  ETA " << std::setprecision(1) << eta << " s  loss "
         << std::setprecision(4) << running_loss << "   ";
    out_ << line.str() << std::flush;
  }
  void finish() {
    if (tty_) out_ << "\r" << std::string(100, ' ') << "\r";
  }

 private:
  std::ostream& out_;
  bool tty_;
  int epoch_, epochs_;
  std::int64_t batches_;
  Clock::time_point start_, last_{};
};

// The ranks of a data-parallel run (a world of 1 otherwise).
struct Ranks {
  int rank = 0, size = 1;
  bool many() const { return size > 1; }
};
Ranks ranks() {
  if (!distributed::initialized()) return {};
  return {distributed::rank(), distributed::size()};
}

// Refuses a data-parallel fit whose train_op would let the ranks drift apart.
void check_averages(const Model& m) {
  for (const Node& n : m.train_op.graph().nodes())
    if (n.op() && std::string(n.op()->name) == "allreduce") return;
  throw Error("fit: this process is rank " + std::to_string(distributed::rank()) + " of " +
              std::to_string(distributed::size()) + ", but the train_op does not average gradients over the ranks "
              "(build it with distributed::DistributedOptimizer), so the ranks' weights would drift apart");
}

// A number for the log: "nan" for every NaN (a stream may print "-nan"), 4 significant digits.
std::string number(double v) {
  if (std::isnan(v)) return "nan";
  std::ostringstream os;
  os << std::setprecision(4) << v;
  return os.str();
}

}  // namespace

Evaluation evaluate(Session& session, const Model& model, const Dataset& data, std::int64_t batch_size) {
  if (data.size() == 0) throw Error("evaluate: the dataset is empty");
  double loss = 0, acc = 0;
  std::int64_t n = 0;
  const Ranks world = ranks();
  const Batches batches = data.batches(batch_size, false, 0);
  // NOTE: over several ranks, rank r evaluates batches r, r + size, ...; the sums are reduced.
  for (std::int64_t i = world.rank; i < batches.size(); i += world.size) {
    auto [x, y] = batches[i];
    const FeedDict f = with_batch(model.eval_feeds, model, x, y);
    const std::int64_t b = x.shape()[0];
    if (model.accuracy.valid()) {
      auto v = session.run(std::vector<Node>{model.loss, model.accuracy}, f);
      loss += v[0].item<double>() * static_cast<double>(b);
      acc += v[1].item<double>() * static_cast<double>(b);
    } else {
      loss += session.run(model.loss, f).item<double>() * static_cast<double>(b);
    }
    n += b;
  }
  if (world.many()) {
    Tensor sums{loss, acc, static_cast<double>(n)};
    distributed::allreduce(sums, distributed::ReduceOp::sum, "evaluate");
    loss = sums.flat(0), acc = sums.flat(1), n = static_cast<std::int64_t>(sums.flat(2));
  }
  Evaluation e{loss / static_cast<double>(n), std::nullopt};
  if (model.accuracy.valid()) e.accuracy = acc / static_cast<double>(n);
  return e;
}

History fit(Session& session, const Model& model, const Dataset& train, const Dataset* validation, const FitOptions& o) {
  if (o.epochs < 1 || o.batch_size < 1) throw Error("fit: epochs and batch_size must be at least 1");
  if (train.size() == 0)
    throw Error("fit: the training set is empty (0 examples" +
                (validation ? ", validation set " + std::to_string(validation->size()) : std::string()) + ")");
  if (validation && validation->size() == 0)
    throw Error("fit: the validation set is empty (training set " + std::to_string(train.size()) +
                " examples): pass no validation data, or a larger validation fraction");
  if (o.patience > 0 && !validation)
    throw Error("fit: patience " + std::to_string(o.patience) + " needs validation data (early stopping watches the "
                "validation loss)");
  const Ranks world = ranks();
  if (world.many()) check_averages(model);
  const bool quiet = o.quiet || world.rank != 0;  // NOTE: one rank speaks for all
  std::ostream& out = o.log ? *o.log : std::cerr;
  const bool tty = !quiet && &out == &std::cerr && isatty(fileno(stderr));
  if (world.many() && o.batch_size % world.size != 0 && !quiet)
    out << "warning: a global batch of " << o.batch_size << " does not split evenly over " << world.size
        << " ranks: each step averages the ranks' mean gradients, so an example of a smaller part weighs a little "
        << "more than in one process (a batch size divisible by " << world.size << " trains exactly as one process)\n";
  const std::vector<Node> vars = model.variables.empty() ? model.loss.graph().variables() : model.variables;
  FitState st = o.resume ? *o.resume : FitState{};
  History& h = st.history;
  h.interrupted = false;
  if (o.resume && !st.best_values.empty() && st.best_values.size() != vars.size())
    throw Error("fit: the state to resume holds " + std::to_string(st.best_values.size()) + " best values for " +
                std::to_string(vars.size()) + " variables");
  if (o.resume) session.set_run_count(st.runs);  // dropout's masks continue where they stopped
  if (world.many()) distributed::broadcast_variables(session, 0, model.loss.graph().variables());
  // The callback's own runs (reading Variables to save them) leave the random streams where they were.
  auto checkpoint = [&](FitState& state) {
    if (world.rank != 0) return;  // NOTE: every rank holds the same state; rank 0 writes it
    state.runs = session.stats().runs;
    o.on_checkpoint(state);
    session.set_run_count(state.runs);
  };
  for (; st.epoch <= o.epochs && !h.stopped_non_finite; ++st.epoch, st.step = 0) {
    const int e = st.epoch;
    const auto t0 = Clock::now();
    const std::uint64_t seed = o.seed + static_cast<std::uint64_t>(e);
    const Batches batches = world.many() ? train.shard(o.batch_size, world.rank, world.size, true, seed)
                                         : train.batches(o.batch_size, true, seed);
    Progress progress(out, tty, e, o.epochs, batches.size());
    double running = 0;
    std::int64_t examples = 0;
    bool agreed_stop = false;  // over several ranks: the stop every rank saw after the last step
    for (std::int64_t& done = st.step; done < batches.size();) {
      if (world.many() ? agreed_stop : o.stop && o.stop->load(std::memory_order_relaxed)) {
        progress.finish();
        if (o.on_checkpoint) checkpoint(st);  // resuming it trains batch `st.step` next
        h.interrupted = true;
        return h;
      }
      auto [x, y] = batches[done];
      const FeedDict f = with_batch(model.train_feeds, model, x, y);
      double l = session.run(std::vector<Node>{model.loss, model.train_op}, f)[0].item<double>();
      if (world.many()) {  // the mean loss of the global batch, and whether any rank was asked to stop
        Tensor agree{l / world.size, o.stop && o.stop->load(std::memory_order_relaxed) ? 1.0 : 0.0};
        distributed::allreduce(agree, distributed::ReduceOp::sum, "fit (the step's loss)");
        l = agree.flat(0);
        agreed_stop = agree.flat(1) > 0;
      }
      running = examples ? 0.98 * running + 0.02 * l : l;
      examples += x.shape()[0];
      progress.update(++done, examples, running);
      if (!std::isfinite(l) && !h.non_finite) {
        h.non_finite = NonFinite{e, done, l};
        progress.finish();
        if (!quiet)
          out << "warning: the training loss is " << number(l) << " at epoch " << e << ", step " << done << " of "
              << batches.size() << ": training diverged (a smaller learning rate?) or the data holds a NaN or "
              << "Inf; " << (o.stop_on_non_finite ? "stopping here" : "the weights are no longer usable") << "\n"
              << std::flush;
        if (o.stop_on_non_finite) {
          h.stopped_non_finite = true;
          break;
        }
      }
    }
    progress.finish();
    EpochMetrics m;
    m.epoch = e;
    const Evaluation on_train = evaluate(session, model, train);
    m.train_loss = on_train.loss;
    m.train_accuracy = on_train.accuracy;
    if (validation) {
      const Evaluation v = evaluate(session, model, *validation);
      m.val_loss = v.loss;
      m.val_accuracy = v.accuracy;
    }
    m.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    h.epochs.push_back(m);
    if (!quiet) {
      out << "epoch " << e << "/" << o.epochs << "  train loss " << number(m.train_loss);
      if (m.train_accuracy) out << " acc " << number(*m.train_accuracy);
      if (m.val_loss) out << "  val loss " << number(*m.val_loss);
      if (m.val_accuracy) out << " acc " << number(*m.val_accuracy);
      out << "  (" << std::setprecision(3) << m.seconds << " s)\n" << std::flush;
    }
    if (validation && *m.val_loss < st.best) {  // NOTE: false for NaN: a non-finite epoch is never the best
      st.best = *m.val_loss;
      h.best_epoch = e;
      st.since_best = 0;
      st.best_values = session.values(vars);
    } else if (validation && o.patience > 0 && ++st.since_best >= o.patience) {
      h.stopped_early = true;
      if (!quiet) {
        out << "early stop: no better validation loss for " << o.patience << " epochs; ";
        if (h.best_epoch) out << "best was epoch " << h.best_epoch << "\n";
        else out << "no epoch had a finite validation loss, so the last epoch's weights stay\n";
      }
    }
    if (o.on_checkpoint) {
      FitState next = st;  // the state after this epoch: resuming it starts the next one
      ++next.epoch;
      next.step = 0;
      checkpoint(next);
    }
    if (h.stopped_early) break;
  }
  if (h.stopped_early && o.restore_best && !st.best_values.empty()) {
    std::vector<std::pair<Node, Tensor>> restored;
    for (std::size_t i = 0; i < vars.size(); ++i) restored.emplace_back(vars[i], st.best_values[i]);
    session.assign(restored);
  }
  return h;
}

}  // namespace tg::train
