// Part I of the tutorial: z = A·x + b, with A = [[1, 0], [0, -1]], b = [1, 1] and x fed [1, 2].
#include <iostream>

#include "tensorgraph/tensorgraph.h"

int main() {
  using namespace tg;
  Graph().as_default();
  Node A = Variable(Tensor{{1.0, 0.0}, {0.0, -1.0}});
  Node b = Variable(Tensor{1.0, 1.0});
  Node x = placeholder();
  Node y = matmul(A, x);
  Node z = add(y, b);
  Session session;
  std::cout << session.run(z, {{x, Tensor{1.0, 2.0}}}) << "\n";
}
