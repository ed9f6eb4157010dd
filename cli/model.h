#pragma once
// The CLI's models, classifiers of 28 x 28 Fashion-MNIST images fed flattened (784 values): an
// MLP of any sizes, or the convolutional network "cnn" (and "cnn-bn", batch-normalised). Rebuilt
// from the name stored in the checkpoint's metadata.
#include <optional>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

namespace tgcli {

struct ModelSpec {
  enum class Kind { mlp, cnn, cnn_bn };
  Kind kind = Kind::mlp;
  std::int64_t inputs = 784, classes = 10;
  std::vector<std::int64_t> hidden{256, 128};  // the MLP's hidden layers
  double dropout = 0;  // rate on each hidden dense layer while training
  std::string str() const;                           // "784-256-128-10", "cnn" or "cnn-bn"
  static ModelSpec parse(const std::string& model);  // the inverse of str()
};

/// The sizes of a model string such as "784-256-10", or the first part that is not a whole number
/// from 1 to `most` (the sizes then empty).
std::vector<std::int64_t> layer_sizes(const std::string& model, std::int64_t most, std::optional<std::string>& bad);

struct Classifier {
  tg::train::Model model;
  tg::Node logits, probabilities, training;
};

/// Builds the model in the default graph; `optimizer` is sgd, momentum, rmsprop or adam.
Classifier build_model(const ModelSpec& spec, const std::string& optimizer, const tg::train::Schedule& learning_rate,
                       std::uint64_t seed);

}  // namespace tgcli
