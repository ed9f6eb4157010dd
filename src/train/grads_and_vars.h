#pragma once
// What every optimizer's compute_gradients, apply_gradients and minimize share: the checks of a
// var_list and of (gradient, variable) pairs. Errors name the caller, e.g. "AdamOptimizer.minimize".
#include <string>
#include <vector>

#include "tensorgraph/optimizers.h"

namespace tg::train {

/// var_list (default: the trainable Variables `loss` depends on), checked, with its gradients.
GradsAndVars gradients_of(const std::string& who, const Node& loss, const std::vector<Node>& var_list);

/// The pairs that have a gradient (valid Node), checked, as two lists.
struct Pairs {
  std::vector<Node> grads, vars;
};
/// Each Variable floating and once, in its gradient's graph; each gradient of its Variable's dtype and
/// (where both are known) shape. Throws GraphError when no pair has a gradient.
Pairs checked_pairs(const std::string& who, const GradsAndVars& grads_and_vars);

/// Throws unless `step` is an int64 scalar Variable of `g` (an update's count of steps).
void check_global_step(const std::string& who, const Node& step, const Graph& g);

/// `step`, or group(step, updates...) with the graph's UPDATE_OPS (batch normalization's moving
/// averages) that its run can run: those whose placeholders the gradients already need, so the
/// step asks for no other feed. TensorFlow's users wrap minimize in control_dependencies(
/// get_collection(UPDATE_OPS)); here every optimizer's minimize and apply_gradients do it — unless
/// the step is made under control dependencies that hold an update op already: then the program
/// wired its updates by hand (TensorFlow's way), and exactly those run.
Node with_update_ops(const Node& step, const std::vector<Node>& grads);

/// GradientDescentOptimizer.apply_gradients with a global_step: torch.optim.SGD's update with momentum
/// 0, the same numbers as plain descent, by an op that counts its steps (optimizers.cpp).
Node counted_descent(const std::string& who, double learning_rate, const GradsAndVars& grads_and_vars,
                     const std::string& name, const Node& global_step);

}  // namespace tg::train
