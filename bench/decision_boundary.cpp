// Cost of one Session::run of part V's decision-boundary call in C++: a single point in, the
// class probabilities out, with the tutorial's 2-2-2 network. Prints the median of several
// repeats in microseconds per call (bench/decision_boundary.py runs it beside Python and PyTorch).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <vector>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const int calls = argc > 1 ? std::atoi(argv[1]) : 20000, repeats = argc > 2 ? std::atoi(argv[2]) : 7;
  Rng rng(3);
  Node X = placeholder();
  Node W1 = Variable(Tensor::randn({2, 2}, rng)), b1 = Variable(Tensor::randn({2}, rng));
  Node W2 = Variable(Tensor::randn({2, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
  Session session;
  std::vector<double> per_call;
  double checksum = 0;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
      const double x = -2 + 4.0 * (i % 50) / 49, y = -2 + 4.0 * (i / 50 % 50) / 49;
      Tensor probs = session.run(p, {{X, Tensor{{x, y}}}});
      checksum += probs.data<double>()[0];
    }
    auto t1 = std::chrono::steady_clock::now();
    per_call.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / calls);
  }
  std::sort(per_call.begin(), per_call.end());
  // The probabilities of each call sum to 1: checksum / calls lies in (0, 1).
  std::cout << "cpp_us_per_call " << per_call[per_call.size() / 2] << "\n";
  std::cout << "cpp_mean_p0 " << checksum / (static_cast<double>(calls) * repeats) << "\n";
}
