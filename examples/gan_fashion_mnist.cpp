// A GAN for Fashion-MNIST (the model of `tensorgraph train --task gan`): a dense generator
// 64-256-512-784 (leaky relu, sigmoid images) and a dense discriminator 784-512-256-1 (leaky relu,
// 30% dropout), each with its own Adam (2e-4, beta1 0.5) over its own var_list, in alternating
// steps: the discriminator on 64 real images (labelled 0.9, one-sided label smoothing) and 64
// generated ones, then the generator on fresh noise (the non-saturating loss -ln D(G(z))).
// Prints both players' mean losses per epoch (argument 1: epochs, default 30), then the mean grey
// level of 64 samples beside the training images'.
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

using namespace tg;

namespace {
// One layer's W and b from U(+-1/sqrt(in)), shared by every use of the layer.
struct Layer {
  Node W, b;
};
Layer layer(std::int64_t in, std::int64_t out, Rng& rng) {
  const double bound = 1 / std::sqrt(static_cast<double>(in));
  return {Variable(Tensor::uniform({in, out}, rng, DType::f32, -bound, bound)),
          Variable(Tensor::uniform({out}, rng, DType::f32, -bound, bound))};
}
// The layers with leaky relu between them, and dropout at `rate` while `training` (if valid).
Node stack(Node x, const std::vector<Layer>& layers, const Node& training = Node(), double rate = 0) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    x = matmul(x, layers[i].W) + layers[i].b;
    if (i + 1 < layers.size()) x = nn::leaky_relu(x, 0.2);
    if (i + 1 < layers.size() && training.valid()) x = layers::dropout(x, rate, training, 10 + i);
  }
  return x;
}
std::vector<Node> variables(const std::vector<Layer>& layers) {
  std::vector<Node> v;
  for (const Layer& l : layers) v.insert(v.end(), {l.W, l.b});
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::stoi(argv[1]) : 30;
  const auto train_set = train::Dataset::fashion_mnist("train");
  Rng rng(0);
  const std::vector<Layer> G{layer(64, 256, rng), layer(256, 512, rng), layer(512, 784, rng)};
  const std::vector<Layer> D{layer(784, 512, rng), layer(512, 256, rng), layer(256, 1, rng)};
  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node noise = placeholder(DType::f32, {kUnknownDim, 64}, "noise");
  Node training = placeholder(DType::boolean, {}, "training");
  Node generated = sigmoid(stack(noise, G));
  Node real = stack(images, D, training, 0.3), fake = stack(generated, D, training, 0.3);
  auto xent = [](const Node& labels, const Node& logits) {
    return reduce_mean(nn::sigmoid_cross_entropy_with_logits(labels, logits));
  };
  Node d_loss = xent(fill_like(real, 0.9), real) + xent(zeros_like(fake), fake);
  Node g_loss = xent(ones_like(fake), fake);
  Node d_step = train::AdamOptimizer(0.0002, 0.5).minimize(d_loss, variables(D));
  Node g_step = train::AdamOptimizer(0.0002, 0.5).minimize(g_loss, variables(G));

  Tensor on(DType::boolean, {}), off(DType::boolean, {});
  on.data<bool>()[0] = true;
  Session session;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double d = 0, g = 0;
    int batches = 0;
    for (const auto& [x, y] : train_set.batches(64, true, static_cast<std::uint64_t>(epoch), true)) {
      d += session.run({d_loss, d_step}, {{images, x}, {noise, Tensor::randn({64, 64}, rng, DType::f32)}, {training, on}})[0]
               .item<double>();
      g += session.run({g_loss, g_step}, {{noise, Tensor::randn({64, 64}, rng, DType::f32)}, {training, on}})[0].item<double>();
      ++batches;
    }
    std::cout << "epoch " << epoch + 1 << ": discriminator loss " << d / batches << ", generator loss " << g / batches
              << "\n";
  }
  const Tensor samples = session.run(generated, {{noise, Tensor::randn({64, 64}, rng, DType::f32)}, {training, off}});
  double grey = 0, data = 0;
  for (std::int64_t i = 0; i < samples.size(); ++i) grey += samples.flat(i) / static_cast<double>(samples.size());
  for (std::int64_t i = 0; i < 784000; ++i) data += train_set.features().flat(i) / 784000;
  std::cout << "mean grey level of 64 samples " << grey << " (training images: " << data << ")\n";
}
