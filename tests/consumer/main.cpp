// Part I through the installed package: prints [2, -1].
#include <iostream>

#include <tensorgraph/tensorgraph.h>

int main() {
  using namespace tg;
  Node A = Variable(Tensor{{1.0, 0.0}, {0.0, -1.0}});
  Node b = Variable(Tensor{1.0, 1.0});
  Node x = placeholder();
  Session session;
  std::cout << session.run(add(matmul(A, x), b), {{x, Tensor{1.0, 2.0}}}) << "\n";
}
