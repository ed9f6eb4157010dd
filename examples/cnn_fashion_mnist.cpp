// A convolutional network for Fashion-MNIST built by hand from the tf.nn ops (the network of
// `tensorgraph train --model cnn`, without its dropout): conv 3x3 (32) + relu, max pool 2x2, conv 3x3
// (64) + relu, max pool 2x2, dense 128 + relu, dense 10. Trains with Adam on batches of 128 for the
// given number of steps (argument 1, default 1000), printing the mean loss every 100 steps, then
// prints the test accuracy.
#include <cmath>
#include <iostream>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int steps = argc > 1 ? std::stoi(argv[1]) : 1000;
  const auto train_set = train::Dataset::fashion_mnist("train"), test_set = train::Dataset::fashion_mnist("test");
  Rng rng(1);
  // He-normal kernels [kh, kw, in, out] (TensorFlow's HWIO), zero biases.
  auto kernel = [&](const Shape& s, std::int64_t fan_in) {
    return Variable(Tensor::randn(s, rng, DType::f32, 0, std::sqrt(2.0 / static_cast<double>(fan_in))));
  };
  auto bias = [](std::int64_t n) { return Variable(Tensor::zeros({n}, DType::f32)); };

  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  Node h = reshape(images, {kUnknownDim, 28, 28, 1});                                    // [n, 28, 28, 1]
  h = relu(nn::bias_add(nn::conv2d(h, kernel({3, 3, 1, 32}, 9), {1, 1, 1, 1}, "SAME"), bias(32)));
  h = nn::max_pool(h, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");                             // [n, 14, 14, 32]
  h = relu(nn::bias_add(nn::conv2d(h, kernel({3, 3, 32, 64}, 288), {1, 1, 1, 1}, "SAME"), bias(64)));
  h = nn::max_pool(h, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");                             // [n, 7, 7, 64]
  h = relu(matmul(reshape(h, {kUnknownDim, 7 * 7 * 64}), kernel({3136, 128}, 3136)) + bias(128));
  Node logits = matmul(h, kernel({128, 10}, 128)) + bias(10);
  Node loss = reduce_mean(nn::sparse_softmax_cross_entropy_with_logits(labels, logits));
  Node step = train::AdamOptimizer(0.001).minimize(loss);
  Node accuracy = layers::accuracy(logits, labels);

  Session session;
  double total = 0;
  int done = 0;
  for (std::uint64_t epoch = 0; done < steps; ++epoch)
    for (const auto& [x, y] : train_set.batches(128, true, epoch, true)) {
      total += session.run({loss, step}, {{images, x}, {labels, y}})[0].item<double>();
      if (++done % 100 == 0) {
        std::cout << "step " << done << ": loss " << total / 100 << "\n";
        total = 0;
      }
      if (done == steps) break;
    }
  // NOTE: the test set in batches of 1000: at once, the first convolution's output alone would take 1 GB.
  double correct = 0;
  for (const auto& [x, y] : test_set.batches(1000, false, 0))
    correct += session.run(accuracy, {{images, x}, {labels, y}}).item<double>() * static_cast<double>(y.size());
  std::cout << "test accuracy " << correct / static_cast<double>(test_set.size()) << "\n";
}
