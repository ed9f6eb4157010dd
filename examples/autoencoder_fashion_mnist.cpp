// A dense autoencoder 784-64-784 for Fashion-MNIST (the model of `tensorgraph train --task
// autoencoder`): relu code, sigmoid output, mean squared error, Adam 1e-3 on batches of 32. Trains
// for the given number of epochs (argument 1, default 10), printing the training loss and the test
// MSE after each.
#include <cmath>
#include <iostream>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int epochs = argc > 1 ? std::stoi(argv[1]) : 10;
  const auto train_set = train::Dataset::fashion_mnist("train"), test_set = train::Dataset::fashion_mnist("test");
  Rng rng(0);
  // x W + b, both from U(+-1/sqrt(in)) as torch.nn.Linear draws them
  auto dense = [&](const Node& x, std::int64_t in, std::int64_t out) {
    const double bound = 1 / std::sqrt(static_cast<double>(in));
    return matmul(x, Variable(Tensor::uniform({in, out}, rng, DType::f32, -bound, bound))) +
           Variable(Tensor::uniform({out}, rng, DType::f32, -bound, bound));
  };
  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node code = relu(dense(images, 784, 64));             // [n, 64]
  Node reconstruction = sigmoid(dense(code, 64, 784));  // [n, 784]
  Node loss = reduce_mean(square(reconstruction - images));
  Node step = train::AdamOptimizer(0.001).minimize(loss);

  Session session;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double total = 0;
    for (const auto& [x, y] : train_set.batches(32, true, static_cast<std::uint64_t>(epoch)))
      total += session.run({loss, step}, {{images, x}})[0].item<double>() * static_cast<double>(x.shape()[0]);
    const double test = session.run(loss, {{images, test_set.features()}}).item<double>();
    std::cout << "epoch " << epoch + 1 << ": train loss " << total / static_cast<double>(train_set.size())
              << ", test MSE " << test << "\n";
  }
}
