#pragma once
// Optimizers with state, following PyTorch's update rules (torch.optim) behind TensorFlow 1.x's
// interface: minimize() returns one fused update node, and the state (momentum buffers, Adam's
// moments, and "<update>/step", the int64 count of updates that schedules and Adam read) lives in
// non-trainable Variables that minimize creates, zero-filled, so each Session has its own and a
// Saver saves it.
//
//   auto lr = tg::train::schedules::cosine(0.01, 1000);
//   tg::Node step = tg::train::AdamOptimizer(lr).minimize(loss);   // Variables "w/Adam_m", ...
//   for (int i = 0; i < 1000; ++i) session.run(step, {{x, batch(i)}});
//
// Between the two halves of minimize, gradients can be clipped, scaled or averaged:
//   auto pairs = opt.compute_gradients(loss);             // [(gradient, variable)]
//   for (auto& [g, v] : pairs) g = g * 0.5;              // any graph of the gradient
//   tg::Node step = opt.apply_gradients(pairs);
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/schedule.h"

namespace tg::train {

/// (gradient, variable) pairs: what compute_gradients returns and apply_gradients takes.
using GradsAndVars = std::vector<std::pair<Node, Node>>;

/// SGD with momentum as torch.optim.SGD (not TF's MomentumOptimizer, which scales differently
/// under a changing rate): buf = momentum buf + g; p -= lr buf; with Nesterov p -= lr (g + momentum buf).
/// State: "<var>/Momentum".
class MomentumOptimizer {
 public:
  /// momentum in [0, 1); use_nesterov needs momentum > 0. Throws GraphError on a bad value.
  MomentumOptimizer(Schedule learning_rate, double momentum, bool use_nesterov = false);
  /// One update of `var_list` (default: every trainable Variable the loss depends on) from the
  /// gradients of that same run's feeds.
  Node minimize(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// [(gradient, variable)] for var_list (default: every trainable Variable the loss depends on);
  /// as tg::gradients, a zero-filled gradient where the loss does not reach a Variable.
  GradsAndVars compute_gradients(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// One update node from (gradient, variable) pairs; a pair whose gradient is an invalid Node (TF's
  /// None) is skipped. `name` names the update node (default "Momentum"); `global_step`, an int64
  /// scalar Variable, then counts its updates in place of "<update>/step": the schedule reads it
  /// and each run of the update adds 1 to it. minimize(loss, l) is apply_gradients(compute_gradients(loss, l)).
  Node apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name = "",
                       const Node& global_step = {}) const;
  const Schedule& learning_rate() const { return lr_; }
  double momentum() const { return momentum_; }
  bool use_nesterov() const { return nesterov_; }

 private:
  Schedule lr_;
  double momentum_;
  bool nesterov_;
};

/// RMSProp as torch.optim.RMSprop(alpha=decay, eps=epsilon, momentum): ms = decay ms + (1-decay) g^2;
/// d = g / (sqrt(ms) + epsilon) (epsilon outside the root, unlike TF); buf = momentum buf + d and
/// p -= lr buf (p -= lr d when momentum is 0). ms starts at 0 (TF starts at 1); epsilon defaults
/// to torch's 1e-8. State: "<var>/RMSProp_ms", "<var>/RMSProp_momentum" (always made, as TF does).
class RMSPropOptimizer {
 public:
  /// decay and momentum in [0, 1), epsilon > 0. Throws GraphError on a bad value.
  explicit RMSPropOptimizer(Schedule learning_rate, double decay = 0.9, double epsilon = 1e-8,
                            double momentum = 0);
  /// As MomentumOptimizer::minimize.
  Node minimize(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// [(gradient, variable)] for var_list (default: every trainable Variable the loss depends on);
  /// as tg::gradients, a zero-filled gradient where the loss does not reach a Variable.
  GradsAndVars compute_gradients(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// One update node from (gradient, variable) pairs; a pair whose gradient is an invalid Node (TF's
  /// None) is skipped. `name` names the update node (default "RMSProp"); `global_step`, an int64
  /// scalar Variable, then counts its updates in place of "<update>/step": the schedule reads it
  /// and each run of the update adds 1 to it. minimize(loss, l) is apply_gradients(compute_gradients(loss, l)).
  Node apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name = "",
                       const Node& global_step = {}) const;
  const Schedule& learning_rate() const { return lr_; }
  double decay() const { return decay_; }
  double epsilon() const { return epsilon_; }
  double momentum() const { return momentum_; }

 private:
  Schedule lr_;
  double decay_, epsilon_, momentum_;
};

/// Adam as torch.optim.Adam, bias-corrected: with t the update number (from 1),
/// m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr/(1-b1^t) m / (sqrt(v)/sqrt(1-b2^t) + epsilon).
/// State: "<var>/Adam_m", "<var>/Adam_v".
class AdamOptimizer {
 public:
  /// beta1 and beta2 in [0, 1), epsilon > 0. Throws GraphError on a bad value.
  explicit AdamOptimizer(Schedule learning_rate = 0.001, double beta1 = 0.9, double beta2 = 0.999,
                         double epsilon = 1e-8);
  /// As MomentumOptimizer::minimize.
  Node minimize(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// [(gradient, variable)] for var_list (default: every trainable Variable the loss depends on);
  /// as tg::gradients, a zero-filled gradient where the loss does not reach a Variable.
  GradsAndVars compute_gradients(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// One update node from (gradient, variable) pairs; a pair whose gradient is an invalid Node (TF's
  /// None) is skipped. `name` names the update node (default "Adam"); `global_step`, an int64
  /// scalar Variable, then counts its updates in place of "<update>/step": the schedule reads it
  /// and each run of the update adds 1 to it. minimize(loss, l) is apply_gradients(compute_gradients(loss, l)).
  Node apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name = "",
                       const Node& global_step = {}) const;
  const Schedule& learning_rate() const { return lr_; }
  double beta1() const { return beta1_; }
  double beta2() const { return beta2_; }
  double epsilon() const { return epsilon_; }

 private:
  Schedule lr_;
  double beta1_, beta2_, epsilon_;
};

}  // namespace tg::train
