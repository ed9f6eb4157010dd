#include "model.h"

#include <sstream>

namespace tgcli {
using namespace tg;

std::string MlpSpec::str() const {
  std::ostringstream os;
  os << inputs;
  for (auto h : hidden) os << '-' << h;
  os << '-' << classes;
  return os.str();
}

MlpSpec MlpSpec::parse(const std::string& sizes) {
  std::vector<std::int64_t> v;
  std::istringstream is(sizes);
  std::string part;
  while (std::getline(is, part, '-')) {
    std::size_t used = 0;
    const long long n = std::stoll(part, &used);
    if (used != part.size() || n < 1) throw Error("model sizes '" + sizes + "': '" + part + "' is not a positive integer");
    v.push_back(n);
  }
  if (v.size() < 2) throw Error("model sizes '" + sizes + "': need at least inputs-classes");
  MlpSpec s;
  s.inputs = v.front();
  s.classes = v.back();
  s.hidden.assign(v.begin() + 1, v.end() - 1);
  return s;
}

Mlp build_mlp(const MlpSpec& spec, const std::string& optimizer, double learning_rate, std::uint64_t seed) {
  Rng rng(seed);
  Mlp m;
  m.model.inputs = placeholder(DType::f32, {kUnknownDim, spec.inputs}, "images");
  m.model.labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  m.training = placeholder(DType::boolean, {}, "training");
  Node h = m.model.inputs;
  for (std::size_t i = 0; i < spec.hidden.size(); ++i) {
    h = layers::dense(h, spec.hidden[i], rng, layers::Activation::relu, layers::Init::automatic,
                      "hidden" + std::to_string(i + 1));
    if (spec.dropout > 0) h = layers::dropout(h, spec.dropout, m.training, seed + i, "dropout" + std::to_string(i + 1));
  }
  m.logits = layers::dense(h, spec.classes, rng, layers::Activation::none, layers::Init::automatic, "output");
  m.probabilities = softmax(m.logits, "probabilities");
  m.model.loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(m.model.labels, m.logits), {.name = "loss"});
  m.model.accuracy = layers::accuracy(m.logits, m.model.labels);
  if (optimizer == "adam") m.model.train_op = train::AdamOptimizer(learning_rate).minimize(m.model.loss);
  else if (optimizer == "sgd") m.model.train_op = train::GradientDescentOptimizer(learning_rate).minimize(m.model.loss);
  else if (optimizer == "momentum") m.model.train_op = train::MomentumOptimizer(learning_rate, 0.9).minimize(m.model.loss);
  else if (optimizer == "rmsprop") m.model.train_op = train::RMSPropOptimizer(learning_rate).minimize(m.model.loss);
  else throw Error("unknown optimizer '" + optimizer + "' (sgd, momentum, rmsprop or adam)");
  m.model.variables = Graph::get_default().trainable_variables();
  Tensor on(DType::boolean, {}), off(DType::boolean, {});
  on.data<bool>()[0] = true;
  m.model.train_feeds.set(m.training, on);
  m.model.eval_feeds.set(m.training, off);
  return m;
}

}  // namespace tgcli
