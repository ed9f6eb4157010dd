#pragma once
// User-defined operations: a C++ (or Python) object computes the value; its gradient rule may add
// graph nodes like a built-in's. The node's output shape is known once the op has run.
#include <memory>
#include <string>
#include <vector>

#include "tensorgraph/graph.h"

namespace tg {

class CustomOp {
 public:
  virtual ~CustomOp() = default;
  /// The operation's type name (shown in errors and DOT).
  virtual std::string type() const = 0;
  /// The output value for these input values. May be called from several threads at once (a
  /// Session runs inference concurrently): keep it free of unsynchronised state.
  virtual Tensor compute(const std::vector<Tensor>& inputs) = 0;
  /// Gradient nodes, one per input (invalid Node: none flows); empty: not differentiable.
  virtual std::vector<Node> gradient(const Node& op, const Node& dy) {
    (void)op;
    (void)dy;
    return {};
  }
};

/// Adds a node computed by `impl` from `inputs`.
Node custom_op(std::shared_ptr<CustomOp> impl, const std::vector<Node>& inputs, const std::string& name = "");

}  // namespace tg
