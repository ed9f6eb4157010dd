// A row-by-row LSTM classifier of Fashion-MNIST: each image is a sequence of 28 rows of 28 pixels,
// read by an LSTM cell of 128 units through nn::dynamic_rnn; the last output goes to a dense layer of
// 10. Adam on batches of 64 for the given number of steps (argument 1, default 10 epochs: 9370), its
// learning rate falling from 2e-3 to 0 on a cosine over the run, the gradients clipped to a global
// norm of 5; prints the mean loss every 200 steps and the test accuracy after every 937 steps (an
// epoch) and at the end. 10 epochs: 90.2% here (the Python twin).
#include <iostream>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int steps = argc > 1 ? std::stoi(argv[1]) : 9370;
  const auto train_set = train::Dataset::fashion_mnist("train"), test_set = train::Dataset::fashion_mnist("test");
  Rng rng(2);

  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  Node rows = reshape(images, {kUnknownDim, 28, 28});  // [batch, time = 28 rows, 28 pixels]
  auto cell = nn::lstm_cell(128, {.seed = 1});
  auto [outputs, state] = nn::dynamic_rnn(*cell, rows);
  Node logits = layers::dense(state[1], 10, rng, {.name = "logits"});  // state {c, h}: the last output h
  Node loss = reduce_mean(nn::sparse_softmax_cross_entropy_with_logits(labels, logits));
  const train::AdamOptimizer adam(train::schedules::cosine(0.002, steps));
  train::GradsAndVars grads = adam.compute_gradients(loss);
  std::vector<Node> g;
  for (const auto& [gradient, variable] : grads) g.push_back(gradient);
  const std::vector<Node> clipped = clip_by_global_norm(g, 5.0).first;
  for (std::size_t i = 0; i < grads.size(); ++i) grads[i].first = clipped[i];
  Node step = adam.apply_gradients(grads);
  Node accuracy = layers::accuracy(logits, labels);
  auto test_accuracy = [&](Session& session) {
    double correct = 0;
    for (const auto& [x, y] : test_set.batches(1000, false, 0))
      correct += session.run(accuracy, {{images, x}, {labels, y}}).item<double>() * static_cast<double>(y.size());
    return correct / static_cast<double>(test_set.size());
  };

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
      if (done % 937 == 0 && done < steps) std::cout << "epoch " << done / 937 << ": test accuracy " << test_accuracy(session) << std::endl;
      if (done == steps) break;
    }
  std::cout << "test accuracy " << test_accuracy(session) << "\n";
}
