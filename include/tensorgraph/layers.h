#pragma once
// Graph pieces for models: layers create their Variables (named "<name>/kernel", "<name>/bias", as TensorFlow) with a
// seeded initialiser; losses and metrics are ordinary nodes.
#include <string>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/random.h"

namespace tg::layers {

enum class Activation { none, relu, sigmoid, tanh };
/// Glorot (Xavier) uniform: U(±sqrt(6 / (fan_in + fan_out))); He normal: N(0, 2 / fan_in);
/// automatic: He before a relu, Glorot otherwise.
enum class Init { automatic, glorot_uniform, he_normal };

/// activation(x · W + b) with W [in, units] and b [units] (zeros); x's last dimension must be known.
Node dense(const Node& x, std::int64_t units, Rng& rng, Activation activation = Activation::none,
           Init init = Init::automatic, const std::string& name = "dense");
/// dense's optional arguments by name: dense(x, 64, rng, {.activation = Activation::relu, .name = "hidden"}).
struct DenseOptions {
  Activation activation = Activation::none;
  Init init = Init::automatic;
  std::string name = "dense";
};
Node dense(const Node& x, std::int64_t units, Rng& rng, const DenseOptions& options);
/// Inverted dropout: while `training` (a bool scalar node fed per run) each element of x is zeroed
/// with probability `rate` and the others scaled by 1 / (1 - rate); otherwise x passes unchanged.
/// The mask's random node is named "<name>/random".
Node dropout(const Node& x, double rate, const Node& training, std::uint64_t seed = 0,
             const std::string& name = "dropout");
/// dropout's optional arguments by name.
struct DropoutOptions {
  std::uint64_t seed = 0;
  std::string name = "dropout";
};
Node dropout(const Node& x, double rate, const Node& training, const DropoutOptions& options);
/// TensorFlow's l2_loss summed over `weights`: sum(w^2) / 2.
Node l2_loss(const std::vector<Node>& weights);
/// The fraction of rows whose argmax of `logits` equals the integer label (a float of logits' dtype).
Node accuracy(const Node& logits, const Node& labels);

}  // namespace tg::layers
