// A data-parallel training job in which rank 1 fails at a given step; run under mpirun by
// run_failure_cases.py, which checks that the whole job ends within seconds with a non-zero status
// and a message naming rank 1, and that rank 0's checkpoint is a whole file.
//
//   failure_child MODE STEP CHECKPOINT
//   MODE: raise  (rank 1 throws an exception nobody catches)
//         return (rank 1 returns 3 from main, as a program that stops early would)
//         kill   (rank 1 is killed by SIGKILL)
//         none   (no failure: trains 40 steps and exits 0)
// Rank 0 saves every Variable to CHECKPOINT after every step (tg::train::Saver, atomic); its
// "step" Variable says which step a checkpoint holds.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "tensorgraph/tensorgraph.h"

using namespace tg;
namespace dist = tg::distributed;

// NOTE: under ASan (scripts/sanitize.sh) the leaks Open MPI leaves at exit are suppressed by library
// (scripts/lsan.supp), which needs whole stacks: Open MPI's libraries have no frame pointers, so
// the fast unwinder stops one frame short of them. (A weak hook: used by ASan builds only.)
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: failure_child raise|return|kill|none STEP CHECKPOINT\n";
    return 2;
  }
  const std::string mode = argv[1];
  const int fail_at = std::atoi(argv[2]);
  dist::init();
  Node x = placeholder(DType::f32, Shape{-1, 64}, "x");
  Node w = Variable(Tensor(DType::f32, Shape{64, 64}), "w");
  Node count = Variable(Tensor::scalar<std::int64_t>(0), "step");
  Node loss = reduce_mean(square(matmul(x, w) - x));
  Node step = dist::DistributedOptimizer(train::GradientDescentOptimizer(0.01)).minimize(loss);
  Node tick = assign(count, count + constant(Tensor::scalar<std::int64_t>(1)));
  Session s;
  train::Saver saver;
  Tensor batch(DType::f32, Shape{16, 64});
  for (std::int64_t i = 0; i < batch.size(); ++i) batch.data<float>()[i] = static_cast<float>((i * 7 + dist::rank()) % 13) / 13;
  for (int i = 1; i <= 40; ++i) {
    if (dist::rank() == 1 && i == fail_at) {
      if (mode == "raise") throw std::runtime_error("rank 1 fails on purpose at step " + std::to_string(i));
      if (mode == "return") return 3;
      if (mode == "kill") std::raise(SIGKILL);
    }
    s.run(step, {{x, batch}});
    s.run(tick);
    if (dist::rank() == 0) saver.save(s, argv[3]);
  }
  return 0;
}
