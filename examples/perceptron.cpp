// Parts II-IV of the tutorial: a perceptron softmax(X·W + b) separating red points around
// (-2, -2) from blue points around (2, 2), trained by gradient descent on the cross-entropy loss
// (learning rate 0.01, 100 steps, the loss printed every 10 steps).
#include <iostream>
#include <vector>

#include "tensorgraph/tensorgraph.h"

int main() {
  using namespace tg;
  Rng rng(7);
  std::vector<double> points, labels;
  for (int i = 0; i < 100; ++i) {  // 50 red, then 50 blue
    const double centre = i < 50 ? -2.0 : 2.0;
    points.push_back(centre + rng.normal());
    points.push_back(centre + rng.normal());
    labels.push_back(i < 50 ? 1.0 : 0.0);
    labels.push_back(i < 50 ? 0.0 : 1.0);
  }
  Graph().as_default();
  Node X = placeholder();
  Node c = placeholder();
  Node W = Variable(Tensor::randn({2, 2}, rng));
  Node b = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(X, W), b));
  Node J = negative(reduce_sum(reduce_sum(multiply(c, log(p)), 1)));
  Node minimization_op = train::GradientDescentOptimizer(0.01).minimize(J);
  FeedDict feed_dict{{X, Tensor::from_vector(points, {100, 2})}, {c, Tensor::from_vector(labels, {100, 2})}};
  Session session;
  for (int step = 0; step < 100; ++step) {
    Tensor J_value = session.run(J, feed_dict);
    if (step % 10 == 0) std::cout << "Step: " << step << "  Loss: " << J_value << "\n";
    session.run(minimization_op, feed_dict);
  }
  std::cout << "Weight matrix:\n" << session.run(W) << "\nBias:\n" << session.run(b) << "\n";
}
