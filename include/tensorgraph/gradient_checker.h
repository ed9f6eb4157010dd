#pragma once
// Gradient checking, as TensorFlow's compute_gradient_error: the Jacobian that autodiff builds
// against a finite-difference one. Both are computed through a Session.
#include "tensorgraph/session.h"

namespace tg {

struct GradientCheck {
  Tensor theoretical;  // [size(y), size(x)] from gradients()
  Tensor numerical;    // [size(y), size(x)] from 5-point central differences
  double max_abs_error = 0;
  /// max |t - n| / max(|t|, |n|, 1e-3): relative, entries below 1e-3 compared at that scale.
  double max_rel_error = 0;
};

/// Checks dy/dx at the point given by `feeds` (x is fed there, or is a Variable of `session`).
GradientCheck check_gradient(Session& session, const Node& y, const Node& x, const FeedDict& feeds = {},
                             double delta = 1e-4);
/// max_rel_error of check_gradient in a new Session on y's graph.
double compute_gradient_error(const Node& y, const Node& x, const FeedDict& feeds = {}, double delta = 1e-4);

}  // namespace tg
