// A row-by-row LSTM classifier of Fashion-MNIST: each image is a sequence of 28 rows of 28 pixels,
// read by an LSTM cell of 128 units through nn::dynamic_rnn; the last output goes to a dense layer of
// 10. Adam 1e-3 on batches of 64 for the given number of steps (argument 1, default one epoch: 937),
// printing the mean loss every 200 steps, then the test accuracy.
#include <iostream>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int steps = argc > 1 ? std::stoi(argv[1]) : 937;
  const auto train_set = train::Dataset::fashion_mnist("train"), test_set = train::Dataset::fashion_mnist("test");
  Rng rng(2);

  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  Node rows = reshape(images, {kUnknownDim, 28, 28});  // [batch, time = 28 rows, 28 pixels]
  auto cell = nn::lstm_cell(128, {.seed = 1});
  auto [outputs, state] = nn::dynamic_rnn(*cell, rows);
  Node logits = layers::dense(state[1], 10, rng, {.name = "logits"});  // state {c, h}: the last output h
  Node loss = reduce_mean(nn::sparse_softmax_cross_entropy_with_logits(labels, logits));
  Node step = train::AdamOptimizer(0.001).minimize(loss);
  Node accuracy = layers::accuracy(logits, labels);

  Session session;
  double total = 0;
  int done = 0;
  for (std::uint64_t epoch = 0; done < steps; ++epoch)
    for (const auto& [x, y] : train_set.batches(64, true, epoch, true)) {
      total += session.run({loss, step}, {{images, x}, {labels, y}})[0].item<double>();
      if (++done % 200 == 0) {
        std::cout << "step " << done << ": loss " << total / 200 << std::endl;
        total = 0;
      }
      if (done == steps) break;
    }
  double correct = 0;
  for (const auto& [x, y] : test_set.batches(1000, false, 0))
    correct += session.run(accuracy, {{images, x}, {labels, y}}).item<double>() * static_cast<double>(y.size());
  std::cout << "test accuracy " << correct / static_cast<double>(test_set.size()) << "\n";
}
