#pragma once
// The CLI's model: an MLP classifier for flattened images, rebuilt from the sizes stored in its
// checkpoint's metadata.
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

namespace tgcli {

struct MlpSpec {
  std::int64_t inputs = 784, classes = 10;
  std::vector<std::int64_t> hidden{256, 128};
  double dropout = 0;  // rate on each hidden layer while training
  std::string str() const;                        // "784-256-128-10"
  static MlpSpec parse(const std::string& sizes); // the inverse of str()
};

struct Mlp {
  tg::train::Model model;
  tg::Node logits, probabilities, training;
};

/// Builds the MLP in the default graph; `optimizer` is sgd, momentum, rmsprop or adam.
Mlp build_mlp(const MlpSpec& spec, const std::string& optimizer, double learning_rate, std::uint64_t seed);

}  // namespace tgcli
