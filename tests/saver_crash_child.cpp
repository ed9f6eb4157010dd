// Helper for test_saver: saves checkpoint k = 1, 2, ... over the same path forever, each holding
// "step" = k and "weights" (a large float32 vector) filled with k, and prints "k\n" after each
// save completes. The test SIGKILLs it in the middle of a save.
//   saver_crash_child PATH NUM_WEIGHTS
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const std::string path = argv[1];
  const std::int64_t n = std::atoll(argv[2]);
  const pid_t parent = ::getppid();
  tg::Node weights = tg::Variable(tg::Tensor::zeros({n}, tg::DType::f32), "weights");
  tg::Node step = tg::Variable(tg::Tensor::scalar<std::int64_t>(0), "step");
  tg::Session session;
  const tg::train::Saver saver;
  for (std::int64_t k = 1; ::getppid() == parent; ++k) {  // stop if the test died
    session.assign(weights, tg::Tensor::full({n}, static_cast<double>(k), tg::DType::f32));
    session.assign(step, tg::Tensor::scalar(k));
    saver.save(session, path);
    const std::string line = std::to_string(k) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) return 1;
  }
  return 0;
}
