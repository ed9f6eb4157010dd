// A variational autoencoder 784-400-20 for Fashion-MNIST (the model of `tensorgraph train --task
// vae`): an encoder with a mean and a log-variance head, the reparameterization
// z = mean + e^(logvar / 2) eps with eps drawn in the graph by random_normal_like (new on every run),
// a decoder to Bernoulli logits, and the loss -ELBO = cross-entropy summed over the pixels +
// KL(q(z|x) || N(0, I)), per image. Adam 1e-3 on batches of 128 for the given number of epochs
// (argument 1, default 5), printing the test -ELBO in nats per image after each, then the mean grey
// level of 64 samples decoded from the prior beside the training images'.
#include <cmath>
#include <iostream>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int epochs = argc > 1 ? std::stoi(argv[1]) : 5;
  const auto train_set = train::Dataset::fashion_mnist("train"), test_set = train::Dataset::fashion_mnist("test");
  Rng rng(0);
  // x W + b, both from U(+-1/sqrt(in)) as torch.nn.Linear draws them
  auto dense = [&](const Node& x, std::int64_t in, std::int64_t out) {
    const double bound = 1 / std::sqrt(static_cast<double>(in));
    return matmul(x, Variable(Tensor::uniform({in, out}, rng, DType::f32, -bound, bound))) +
           Variable(Tensor::uniform({out}, rng, DType::f32, -bound, bound));
  };
  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node h = relu(dense(images, 784, 400));                                                  // [n, 400]
  Node mean = dense(h, 400, 20), logvar = dense(h, 400, 20);                               // [n, 20]
  Node z = mean + exp(0.5 * logvar) * random_normal_like(mean, 0, 1, 1);                   // [n, 20]
  Node logits = dense(relu(dense(z, 20, 400)), 400, 784);                                   // [n, 784]
  Node cross_entropy = reduce_sum(nn::sigmoid_cross_entropy_with_logits(images, logits), 1);
  Node kl = -0.5 * reduce_sum(1.0 + logvar - square(mean) - exp(logvar), 1);
  Node neg_elbo = reduce_mean(cross_entropy + kl);
  Node step = train::AdamOptimizer(0.001).minimize(neg_elbo);

  Session session;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    for (const auto& [x, y] : train_set.batches(128, true, static_cast<std::uint64_t>(epoch)))
      session.run(step, {{images, x}});
    double test = 0;
    for (const auto& [x, y] : test_set.batches(1000, false, 0)) test += session.run(neg_elbo, {{images, x}}).item<double>() / 10;
    std::cout << "epoch " << epoch + 1 << ": test -ELBO " << test << " nats per image\n";
  }
  // Samples: feed the sampled node z itself with z ~ N(0, I).
  const Tensor samples = session.run(sigmoid(logits), {{z, Tensor::randn({64, 20}, rng, DType::f32)}});
  double grey = 0, data = 0;
  for (std::int64_t i = 0; i < samples.size(); ++i) grey += samples.flat(i) / static_cast<double>(samples.size());
  for (std::int64_t i = 0; i < 784000; ++i) data += train_set.features().flat(i) / 784000;
  std::cout << "mean grey level of 64 samples " << grey << " (training images: " << data << ")\n";
}
