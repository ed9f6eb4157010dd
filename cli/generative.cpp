#include "generative.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "model.h"

namespace tgcli {
using namespace tg;

std::string GenerativeSpec::task_name() const {
  return task == Task::autoencoder ? "autoencoder" : task == Task::vae ? "vae" : "gan";
}

std::string GenerativeSpec::str() const {
  if (dcgan) return "dcgan";
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
  if (m == "dcgan") {
    if (s.task != Task::gan) throw std::invalid_argument("--model dcgan is a --task gan model");
    s.dcgan = true;
    return s;
  }
  std::optional<std::string> bad;
  s.sizes = layer_sizes(m, 100000, bad);
  if (bad) throw std::invalid_argument("--model " + m + ": '" + *bad + "' is not a layer size from 1 to 100000");
  const bool gan = s.task == Task::gan;
  if (s.sizes.size() < 2 || (gan ? s.sizes.back() : s.sizes.front()) != 784)
    throw std::invalid_argument("--model " + m + " for --task " + task + ": " +
                                (gan ? "dcgan, or the generator's sizes, the noise first and 784 (28 x 28 pixels) "
                                       "last, e.g. 64-256-512-784"
                                     : "the encoder's sizes, 784 (28 x 28 pixels) first and the code last, e.g. " +
                                           std::string(s.task == Task::vae ? "784-400-20" : "784-64")));
  return s;
}

namespace {

// x W + b with its own Variables "<name>/kernel" [in, out] and "<name>/bias" [out], applicable to
// several inputs (the discriminator judges real and generated images alike). Both drawn from
// U(+-1/sqrt(in)), torch.nn.Linear's default, with which issue 14's targets were measured.
// NOTE: Glorot-uniform weights and zero biases (the classifiers' dense layers) left the VAE at 248.1
// nats after 5 epochs, against 247.3 with these (its logvar head started twice as wide). Of 8
// initialisations compared on a validation split (bench/vae_init.py, bench/RESULTS.md), this one and a
// zero-started logvar head were the best, 0.07 nats apart: no initialisation reaches issue 14's 247.
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

// The discriminator's label for real images: 0.9, one-sided label smoothing (Salimans et al. 2016).
// NOTE: measured on the dense GAN after 30 epochs, with a CNN classifier (92.1%) labelling 1000
// samples: plain labels and no dropout gave 8 classes of 10 (no sandal, no ankle boot) and a mean
// top-class probability of 0.811; smoothing and a 30% dropout in the discriminator gave all 10, 0.830.
constexpr double kRealLabel = 0.9;

// A filter of `shape` (HWIO; a transposed convolution's is [kh, kw, out, in]) from U(+-1/sqrt(fan_in)).
Node filter(const Shape& shape, std::int64_t fan_in, Rng& rng, const std::string& name) {
  const double bound = 1 / std::sqrt(static_cast<double>(fan_in));
  return Variable(Tensor::uniform(shape, rng, DType::f32, -bound, bound), name);
}

// The DCGAN-style discriminator: [n, 784] -> one logit per image.
struct ConvDiscriminator {
  Node k1, b1, k2, b2;
  Dense out;
  explicit ConvDiscriminator(Rng& rng)
      : k1(filter({4, 4, 1, 32}, 16, rng, "discriminator1/kernel")),
        b1(Variable(Tensor::zeros({32}, DType::f32), "discriminator1/bias")),
        k2(filter({4, 4, 32, 64}, 16 * 32, rng, "discriminator2/kernel")),
        b2(Variable(Tensor::zeros({64}, DType::f32), "discriminator2/bias")),
        out(7 * 7 * 64, 1, rng, "discriminator3") {}
  Node operator()(const Node& images) const {
    Node h = reshape(images, {kUnknownDim, 28, 28, 1});
    h = nn::leaky_relu(nn::bias_add(nn::conv2d(h, k1, {1, 2, 2, 1}, "SAME"), b1), 0.2);  // [n, 14, 14, 32]
    h = nn::leaky_relu(nn::bias_add(nn::conv2d(h, k2, {1, 2, 2, 1}, "SAME"), b2), 0.2);  // [n, 7, 7, 64]
    return out(reshape(h, {kUnknownDim, 7 * 7 * 64}));
  }
};

// The DCGAN-style generator: noise [n, 64] -> images [n, 784] in [0, 1].
Node conv_generator(const Node& noise, const Node& training, Rng& rng) {
  const Dense project(64, 7 * 7 * 64, rng, "generator1");
  Node h = reshape(project(noise), {kUnknownDim, 7, 7, 64});
  h = relu(layers::batch_normalization(h, training, {.name = "generator1_bn"}));
  h = nn::conv2d_transpose(h, filter({4, 4, 32, 64}, 4 * 64, rng, "generator2/kernel"), {-1, 14, 14, 32},
                           {1, 2, 2, 1});  // NOTE: fan-in 4 * 64: a stride-2 4x4 transposed tap reads 2x2 inputs
  h = relu(layers::batch_normalization(h, training, {.name = "generator2_bn"}));
  h = nn::conv2d_transpose(h, filter({4, 4, 1, 32}, 4 * 32, rng, "generator3/kernel"), {-1, 28, 28, 1}, {1, 2, 2, 1});
  h = nn::bias_add(h, Variable(Tensor::zeros({1}, DType::f32), "generator3/bias"));
  return sigmoid(reshape(h, {kUnknownDim, 784}), "generated");
}

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
  } else if (spec.dcgan) {
    m.z = placeholder(DType::f32, {kUnknownDim, spec.latent()}, "noise");
    m.training = placeholder(DType::boolean, {}, "training");
    m.decoded = conv_generator(m.z, m.training, rng);
    const ConvDiscriminator discriminator(rng);
    const Node real = discriminator(m.images), fake = discriminator(m.decoded);
    const auto xent = [](const Node& labels, const Node& logits) {
      return reduce_mean(nn::sigmoid_cross_entropy_with_logits(labels, logits));
    };
    m.loss = add(xent(fill_like(real, kRealLabel), real), xent(zeros_like(fake), fake), "d_loss");
    m.g_loss = identity(xent(ones_like(fake), fake), "g_loss");
  } else {
    const std::int64_t latent = spec.sizes.front();
    const Stack generator(spec.sizes, rng, "generator");
    auto d_sizes = reversed(spec.sizes);
    d_sizes.back() = 1;  // the discriminator: 784 -> ... -> one logit (real or generated)
    const Stack discriminator(d_sizes, rng, "discriminator");
    m.z = placeholder(DType::f32, {kUnknownDim, latent}, "noise");
    m.decoded = sigmoid(generator(m.z, leaky), "generated");
    // the discriminator's hidden layers drop 30% of their units while training
    m.training = placeholder(DType::boolean, {}, "training");
    std::uint64_t k = 0;
    const auto d_hidden = [&](const Node& x) {
      return layers::dropout(nn::leaky_relu(x, 0.2), 0.3, m.training, seed + 7 + k++, "discriminator_dropout");
    };
    const Node real = discriminator(m.images, d_hidden), fake = discriminator(m.decoded, d_hidden);
    const auto xent = [](const Node& labels, const Node& logits) {
      return reduce_mean(nn::sigmoid_cross_entropy_with_logits(labels, logits));
    };
    m.loss = add(xent(fill_like(real, kRealLabel), real), xent(zeros_like(fake), fake), "d_loss");
    m.g_loss = identity(xent(ones_like(fake), fake), "g_loss");
  }
  m.variables = Graph::get_default().variables();
  if (spec.task != GenerativeSpec::Task::gan) {
    m.train_op = train::AdamOptimizer(learning_rate).minimize(m.loss);
  } else {
    std::vector<Node> d_vars, g_vars;
    for (const Node& v : Graph::get_default().trainable_variables())
      (v.name().rfind("generator", 0) == 0 ? g_vars : d_vars).push_back(v);
    m.train_op = train::AdamOptimizer(learning_rate, 0.5).minimize(m.loss, d_vars);
    // the generator's batch normalisation: its moving statistics follow the generator's steps
    std::vector<Node> g_step{train::AdamOptimizer(learning_rate, 0.5).minimize(m.g_loss, g_vars)};
    for (const Node& u : Graph::get_default().get_collection(GraphKeys::UPDATE_OPS)) g_step.push_back(u);
    m.g_train_op = g_step.size() == 1 ? g_step[0] : group(g_step, "g_train");
  }
  return m;
}

}  // namespace tgcli
