#include "model.h"

#include <limits>
#include <sstream>

namespace tgcli {
using namespace tg;

std::string ModelSpec::str() const {
  if (kind == Kind::cnn) return "cnn";
  if (kind == Kind::cnn_bn) return "cnn-bn";
  std::ostringstream os;
  os << inputs;
  for (auto h : hidden) os << '-' << h;
  os << '-' << classes;
  return os.str();
}

std::vector<std::int64_t> layer_sizes(const std::string& model, std::int64_t most, std::optional<std::string>& bad) {
  std::vector<std::int64_t> v;
  std::istringstream is(model);
  std::string part;
  while (std::getline(is, part, '-')) {
    std::size_t used = 0;
    long long n = 0;
    try {
      n = std::stoll(part, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used != part.size() || n < 1 || n > most) {
      bad = part;
      return {};
    }
    v.push_back(n);
  }
  return v;
}

ModelSpec ModelSpec::parse(const std::string& model) {
  ModelSpec s;
  if (model == "cnn" || model == "cnn-bn") {
    s.kind = model == "cnn" ? Kind::cnn : Kind::cnn_bn;
    s.hidden = {128};
    return s;
  }
  std::optional<std::string> bad;
  const std::vector<std::int64_t> v = layer_sizes(model, std::numeric_limits<std::int64_t>::max(), bad);
  if (bad)
    throw Error("model '" + model + "': '" + *bad + "' is not a positive integer (an MLP's sizes, or cnn, cnn-bn)");
  if (v.size() < 2) throw Error("model '" + model + "': need at least inputs-classes (or cnn, cnn-bn)");
  s.inputs = v.front();
  s.classes = v.back();
  s.hidden.assign(v.begin() + 1, v.end() - 1);
  return s;
}

namespace {

// The hidden layers of the MLP: dense + relu, each followed by dropout when asked.
Node mlp_features(const ModelSpec& spec, const Node& images, const Node& training, Rng& rng, std::uint64_t seed) {
  Node h = images;
  for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
    h = layers::dense(h, spec.hidden[i], rng, layers::Activation::relu, layers::Init::automatic,
                      "hidden" + std::to_string(i + 1));
    if (spec.dropout > 0) h = layers::dropout(h, spec.dropout, training, seed + i, "dropout" + std::to_string(i + 1));
  }
  return h;
}

// The convolutional networks (docs in the README). cnn: two blocks of a 3x3 same convolution + relu
// and a 2x2 max pool (32 then 64 channels; 28x28 -> 14x14 -> 7x7), then a dense layer of 128 with
// dropout. cnn-bn: two 3x3 convolutions per block, each without bias and followed by a batch
// normalisation and its relu (VGG's pattern; one convolution per block, normalised, stayed at
// 91.7%, below the plain cnn's 92.3%).
Node cnn_features(const ModelSpec& spec, const Node& images, const Node& training, Rng& rng, std::uint64_t seed) {
  Node h = reshape(images, {kUnknownDim, 28, 28, 1}, "image");
  const bool bn = spec.kind == ModelSpec::Kind::cnn_bn;
  int block = 0, conv = 0;
  for (std::int64_t channels : {32, 64}) {
    ++block;
    for (int k = 0; k < (bn ? 2 : 1); ++k) {
      const std::string name = "conv" + std::to_string(++conv);
      h = layers::conv2d(h, channels, {3}, rng,
                         {.padding = "same", .activation = bn ? layers::Activation::none : layers::Activation::relu,
                          .use_bias = !bn, .init = layers::Init::he_normal, .name = name});
      if (bn) h = relu(layers::batch_normalization(h, training, {.name = name + "_bn"}));
    }
    h = layers::max_pooling2d(h, {2}, {2}, {.name = "pool" + std::to_string(block)});
  }
  h = layers::dense(layers::flatten(h), spec.hidden[0], rng, layers::Activation::relu, layers::Init::automatic,
                    "hidden1");
  if (spec.dropout > 0) h = layers::dropout(h, spec.dropout, training, seed, "dropout1");
  return h;
}

}  // namespace

Classifier build_model(const ModelSpec& spec, const std::string& optimizer, const train::Schedule& learning_rate,
                       std::uint64_t seed) {
  Rng rng(seed);
  Classifier m;
  m.model.inputs = placeholder(DType::f32, {kUnknownDim, spec.inputs}, "images");
  m.model.labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  m.training = placeholder(DType::boolean, {}, "training");
  const Node h = spec.kind == ModelSpec::Kind::mlp ? mlp_features(spec, m.model.inputs, m.training, rng, seed)
                                                  : cnn_features(spec, m.model.inputs, m.training, rng, seed);
  m.logits = layers::dense(h, spec.classes, rng, layers::Activation::none, layers::Init::automatic, "output");
  m.probabilities = softmax(m.logits, "probabilities");
  m.model.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.model.labels, m.logits), {.name = "loss"});
  m.model.accuracy = layers::accuracy(m.logits, m.model.labels);
  // NOTE: the model's Variables are those made before the optimizer's (its slots and step are not the
  // model's): the trainable ones and batch normalisation's moving statistics, which the checkpoint
  // must keep too.
  m.model.variables = Graph::get_default().variables();
  // NOTE: over several ranks (mpirun) each step averages the gradients of the ranks' shards.
  auto minimize = [&](const auto& opt) {
    return distributed::size() > 1 ? distributed::DistributedOptimizer(opt).minimize(m.model.loss)
                                   : opt.minimize(m.model.loss);
  };
  if (optimizer == "adam") m.model.train_op = minimize(train::AdamOptimizer(learning_rate));
  // NOTE: GradientDescentOptimizer (the tutorial's) takes a constant rate; plain SGD on a schedule is
  // momentum 0 (v = g, w -= lr·v: the same steps).
  else if (optimizer == "sgd" && learning_rate.kind == train::Schedule::Kind::constant)
    m.model.train_op = minimize(train::GradientDescentOptimizer(learning_rate.learning_rate));
  else if (optimizer == "sgd") m.model.train_op = minimize(train::MomentumOptimizer(learning_rate, 0));
  else if (optimizer == "momentum") m.model.train_op = minimize(train::MomentumOptimizer(learning_rate, 0.9));
  else if (optimizer == "rmsprop") m.model.train_op = minimize(train::RMSPropOptimizer(learning_rate));
  else throw Error("unknown optimizer '" + optimizer + "' (sgd, momentum, rmsprop or adam)");
  Tensor on(DType::boolean, {}), off(DType::boolean, {});
  on.data<bool>()[0] = true;
  m.model.train_feeds.set(m.training, on);
  m.model.eval_feeds.set(m.training, off);
  return m;
}

}  // namespace tgcli
