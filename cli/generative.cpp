#include "generative.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace tgcli {
using namespace tg;

std::string GenerativeSpec::task_name() const {
  return task == Task::autoencoder ? "autoencoder" : task == Task::vae ? "vae" : "gan";
}

std::string GenerativeSpec::str() const {
  std::ostringstream os;
  for (std::size_t i = 0; i < sizes.size(); ++i) os << (i ? "-" : "") << sizes[i];
  return os.str();
}

GenerativeSpec GenerativeSpec::parse(const std::string& task, const std::string& model) {
  GenerativeSpec s;
  if (task == "autoencoder") s.task = Task::autoencoder;
  else if (task == "vae") s.task = Task::vae;
  else if (task == "gan") s.task = Task::gan;
  else throw std::invalid_argument("unknown task '" + task + "' (classifier, autoencoder, vae or gan)");
  const std::string m = !model.empty() ? model
                        : s.task == Task::autoencoder ? "784-64"
                        : s.task == Task::vae         ? "784-400-20"
                                                      : "64-256-512-784";
  std::istringstream is(m);
  std::string part;
  while (std::getline(is, part, '-')) {
    std::size_t used = 0;
    long long n = 0;
    try {
      n = std::stoll(part, &used);
    } catch (const std::logic_error&) {
      used = 0;
    }
    if (used != part.size() || n < 1 || n > 100000)
      throw std::invalid_argument("--model " + m + ": '" + part + "' is not a layer size from 1 to 100000");
    s.sizes.push_back(n);
  }
  const bool gan = s.task == Task::gan;
  if (s.sizes.size() < 2 || (gan ? s.sizes.back() : s.sizes.front()) != 784)
    throw std::invalid_argument("--model " + m + " for --task " + task + ": " +
                                (gan ? "the generator's sizes, the noise first and 784 (28 x 28 pixels) last, e.g. "
                                       "64-256-512-784"
                                     : "the encoder's sizes, 784 (28 x 28 pixels) first and the code last, e.g. " +
                                           std::string(s.task == Task::vae ? "784-400-20" : "784-64")));
  return s;
}

namespace {

// x W + b with its own Variables "<name>/kernel" [in, out] and "<name>/bias" [out], applicable to
// several inputs (the discriminator judges real and generated images alike). Both drawn from
// U(+-1/sqrt(in)), torch.nn.Linear's default, with which issue 14's targets were measured.
// NOTE: Glorot-uniform weights and zero biases (the classifiers' dense layers) left the VAE at 248.1
// nats after 5 epochs, against 247.3 with these (its logvar head started twice as wide).
struct Dense {
  Node W, b;
  Dense(std::int64_t in, std::int64_t out, Rng& rng, const std::string& name) {
    const double bound = 1 / std::sqrt(static_cast<double>(in));
    W = Variable(Tensor::uniform({in, out}, rng, DType::f32, -bound, bound), name + "/kernel");
    b = Variable(Tensor::uniform({out}, rng, DType::f32, -bound, bound), name + "/bias");
  }
  Node operator()(const Node& x) const { return add(matmul(x, W), b); }
};

// A stack of Dense layers through `sizes`; `hidden` is applied between them, not after the last.
struct Stack {
  std::vector<Dense> layers;
  Stack(const std::vector<std::int64_t>& sizes, Rng& rng, const std::string& name) {
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i)
      layers.emplace_back(sizes[i], sizes[i + 1], rng, name + std::to_string(i + 1));
  }
  template <class F> Node operator()(Node x, F hidden) const {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      x = layers[i](x);
      if (i + 1 < layers.size()) x = hidden(x);
    }
    return x;
  }
};

std::vector<std::int64_t> reversed(std::vector<std::int64_t> v) { return {v.rbegin(), v.rend()}; }

}  // namespace

GenerativeModel build_generative(const GenerativeSpec& spec, double learning_rate, std::uint64_t seed) {
  Rng rng(seed);
  GenerativeModel m;
  m.spec = spec;
  m.images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  const auto relu_ = [](const Node& x) { return relu(x); };
  const auto leaky = [](const Node& x) { return nn::leaky_relu(x, 0.2); };
  if (spec.task == GenerativeSpec::Task::autoencoder) {
    const Stack encoder(spec.sizes, rng, "encoder"), decoder(reversed(spec.sizes), rng, "decoder");
    m.code = m.z = relu(encoder(m.images, relu_), "code");
    m.decoded = sigmoid(decoder(m.z, relu_), "decoded");
    m.loss = reduce_mean(square(m.decoded - m.images), {.name = "loss"});  // per pixel, as torch's MSELoss
  } else if (spec.task == GenerativeSpec::Task::vae) {
    // q(z|x) = N(mean, e^logvar); z = mean + e^(logvar / 2) eps, eps ~ N(0, I) drawn in the graph
    std::vector<std::int64_t> trunk(spec.sizes.begin(), spec.sizes.end() - 1);
    const std::int64_t latent = spec.sizes.back(), last = trunk.back();
    const Stack encoder(trunk, rng, "encoder"), decoder(reversed(spec.sizes), rng, "decoder");
    const Node h = trunk.size() > 1 ? relu(encoder(m.images, relu_)) : m.images;
    const Dense mean_head(last, latent, rng, "mean"), logvar_head(last, latent, rng, "logvar");
    const Node mean = m.code = identity(mean_head(h), "mean"), logvar = logvar_head(h);
    m.z = add(mean, exp(0.5 * logvar) * random_normal_like(mean, 0, 1, seed, "eps"), "z");
    const Node logits = decoder(m.z, relu_);
    m.decoded = sigmoid(logits, "decoded");
    // -ELBO = Bernoulli cross-entropy summed over the pixels + KL(N(mean, e^logvar) || N(0, I))
    const Node bce = reduce_sum(nn::sigmoid_cross_entropy_with_logits(m.images, logits), 1);
    const Node kl = -0.5 * reduce_sum(1.0 + logvar - square(mean) - exp(logvar), 1);
    m.loss = reduce_mean(bce + kl, {.name = "loss"});
  } else {
    const std::int64_t latent = spec.sizes.front();
    const Stack generator(spec.sizes, rng, "generator");
    auto d_sizes = reversed(spec.sizes);
    d_sizes.back() = 1;  // the discriminator: 784 -> ... -> one logit (real or generated)
    const Stack discriminator(d_sizes, rng, "discriminator");
    m.z = placeholder(DType::f32, {kUnknownDim, latent}, "noise");
    m.decoded = sigmoid(generator(m.z, leaky), "generated");
    const Node real = discriminator(m.images, leaky), fake = discriminator(m.decoded, leaky);
    const auto xent = [](const Node& labels, const Node& logits) {
      return reduce_mean(nn::sigmoid_cross_entropy_with_logits(labels, logits));
    };
    m.loss = add(xent(ones_like(real), real), xent(zeros_like(fake), fake), "d_loss");
    m.g_loss = identity(xent(ones_like(fake), fake), "g_loss");
  }
  m.variables = Graph::get_default().variables();
  if (spec.task != GenerativeSpec::Task::gan) {
    m.train_op = train::AdamOptimizer(learning_rate).minimize(m.loss);
  } else {
    std::vector<Node> d_vars, g_vars;
    for (const Node& v : m.variables) (v.name().rfind("generator", 0) == 0 ? g_vars : d_vars).push_back(v);
    m.train_op = train::AdamOptimizer(learning_rate, 0.5).minimize(m.loss, d_vars);
    m.g_train_op = train::AdamOptimizer(learning_rate, 0.5).minimize(m.g_loss, g_vars);
  }
  return m;
}

}  // namespace tgcli
