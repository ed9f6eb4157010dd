#pragma once
// Training: the tutorial's optimizer and gradient table.
#include <map>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/optimizers.h"  // Momentum, RMSProp, Adam and learning-rate schedules

namespace tg::train {

class GradientDescentOptimizer {
 public:
  /// Plain gradient descent: v -= learning_rate * dloss/dv. Throws GraphError unless
  /// learning_rate is a positive finite number.
  explicit GradientDescentOptimizer(double learning_rate);
  /// An operation whose run performs one step on `var_list` (default: every trainable Variable
  /// the loss depends on), with gradients computed from that same run's feeds.
  Node minimize(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// As MomentumOptimizer::compute_gradients.
  GradsAndVars compute_gradients(const Node& loss, const std::vector<Node>& var_list = {}) const;
  /// As MomentumOptimizer::apply_gradients (update "GradientDescent"). NOTE: with a global_step the
  /// update is torch.optim.SGD's with momentum 0 (the same numbers, one buffer per Variable, no fused
  /// GEMM): the gradient-descent op keeps no step count.
  Node apply_gradients(const GradsAndVars& grads_and_vars, const std::string& name = "",
                       const Node& global_step = {}) const;
  double learning_rate() const { return learning_rate_; }

 private:
  double learning_rate_;
};

/// The gradient of sum(loss) w.r.t. every node the loss depends on (the tutorial's table).
std::map<Node, Node> compute_gradients(const Node& loss);
/// The trainable Variables `loss` depends on, in creation order.
std::vector<Node> trainable_variables_of(const Node& loss);

}  // namespace tg::train
