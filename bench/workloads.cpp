// tensorgraph's side of the bench/ workloads, in C++. Each subcommand prints "key value" lines
// that bench/run.py reads; bench/run.py runs the Python and PyTorch sides in the same run.
//   part5_train STEPS            part V: loss run + minimize run per step (us/step, final loss)
//   boundary CALLS               part V decision boundary: single-point runs (us/call)
//   mlp DIR EPOCHS BATCH LR      Fashion-MNIST MLP 784-256-128-10 from DIR (initial weights and
//                                the shuffled order written by run.py): s/epoch, test accuracy
//   matmul N REPS tg|sgemm       float32 N x N matmul through a Session, or through cblas_sgemm
//   elementwise N REPS           float32 add of N elements through a Session, and a memcpy
//   info                         the code paths in use (BLAS build, core, threads)
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "common.h"
#include "kernels/gemm.h"
#include "kernels/vexp.h"
#include "tensorgraph/tensorgraph.h"

#ifdef TG_HAVE_BLAS
#include <cblas.h>
#endif

using namespace tg;
using bench::Clock;
using bench::peak_rss_mib;
using bench::read_idx_bytes;
using bench::read_raw;
using bench::seconds_since;

namespace {
using kernels::blas_available;

// Part V's data and network (the example's seed), trained as the tutorial does.
int part5_train(int steps) {
  Rng rng(3);
  const double centres[4][2] = {{0, 1}, {1, 0}, {0, 0}, {1, 1}};
  std::vector<double> points, labels;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 25; ++i) {
      points.push_back(0.2 * rng.normal() + centres[k][0]);
      points.push_back(0.2 * rng.normal() + centres[k][1]);
      labels.push_back(k < 2 ? 1.0 : 0.0);
      labels.push_back(k < 2 ? 0.0 : 1.0);
    }
  Node X = placeholder(), c = placeholder();
  Node W1 = Variable(Tensor::randn({2, 2}, rng)), b1 = Variable(Tensor::randn({2}, rng));
  Node W2 = Variable(Tensor::randn({2, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
  Node J = negative(reduce_sum(reduce_sum(multiply(c, log(p)), 1)));
  Node step = train::GradientDescentOptimizer(0.03).minimize(J);
  FeedDict feed{{X, Tensor::from_vector(points, {100, 2})}, {c, Tensor::from_vector(labels, {100, 2})}};
  double first = 0, last = 0, seconds = 0;
  // NOTE: the whole training runs twice, each in a fresh Session (fresh Variables), and the second
  // is timed: a new process starts cold (code, caches), where run.py's Python and PyTorch sides
  // run warm in their long-lived interpreter.
  for (int pass = 0; pass < 2; ++pass) {
    Session s;
    auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i) {
      last = s.run(J, feed).item<double>();
      if (i == 0) first = last;
      s.run(step, feed);
    }
    seconds = seconds_since(t0);
  }
  std::cout << "us_per_step " << seconds / steps * 1e6 << "\nfirst_loss " << first << "\nlast_loss " << last << "\n";
  return 0;
}

int boundary(int calls) {
  Rng rng(3);
  Node X = placeholder();
  Node W1 = Variable(Tensor::randn({2, 2}, rng)), b1 = Variable(Tensor::randn({2}, rng));
  Node W2 = Variable(Tensor::randn({2, 2}, rng)), b2 = Variable(Tensor::randn({2}, rng));
  Node p = softmax(add(matmul(sigmoid(add(matmul(X, W1), b1)), W2), b2));
  Session s;
  double sum = 0, seconds = 0;
  for (int i = 0; i < 100; ++i) s.run(p, {{X, Tensor{{0.1 * i, 0.0}}}});  // untimed, as run.py's WARMUP_CALLS
  // NOTE: as part5_train, the whole loop runs twice and the second is timed: 2500 calls take under
  // a millisecond, and the first pass of a fresh process still pays for cold code and page faults.
  for (int pass = 0; pass < 2; ++pass) {
    sum = 0;
    auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i) {
      const double x = -2 + 4.0 * (i % 50) / 49, y = -2 + 4.0 * (i / 50 % 50) / 49;
      Tensor probs = s.run(p, {{X, Tensor{{x, y}}}});
      sum += probs.data<double>()[0] + probs.data<double>()[1];
    }
    seconds = seconds_since(t0);
  }
  std::cout << "us_per_call " << seconds / calls * 1e6 << "\nprob_sum_per_call " << sum / calls << "\n";
  return 0;
}

int mlp(const std::string& dir, int epochs, int batch, double lr) {
  const std::string data = "/usr/share/datasets/fashion-mnist/";
  const std::vector<std::uint8_t> train_x = read_idx_bytes(data + "train-images-idx3-ubyte.gz");
  const std::vector<std::uint8_t> train_y = read_idx_bytes(data + "train-labels-idx1-ubyte.gz");
  const std::vector<std::uint8_t> test_x = read_idx_bytes(data + "t10k-images-idx3-ubyte.gz");
  const std::vector<std::uint8_t> test_y = read_idx_bytes(data + "t10k-labels-idx1-ubyte.gz");
  const auto n = static_cast<std::int64_t>(train_y.size()), nt = static_cast<std::int64_t>(test_y.size());
  auto scale = [](const std::uint8_t* src, std::int64_t count, float* dst) {
    for (std::int64_t j = 0; j < count; ++j) dst[j] = static_cast<float>(src[j]) / 255.f;
  };
  Node X = placeholder(DType::f32, {kUnknownDim, 784}), Y = placeholder(DType::f32, {kUnknownDim, 10});
  const std::int64_t sizes[4] = {784, 256, 128, 10};
  Node h = X;
  for (int l = 0; l < 3; ++l) {
    Node W = Variable(read_raw(dir + "/W" + std::to_string(l) + ".f32", DType::f32, {sizes[l], sizes[l + 1]}));
    Node b = Variable(read_raw(dir + "/b" + std::to_string(l) + ".f32", DType::f32, {sizes[l + 1]}));
    h = add(matmul(h, W), b);
    if (l < 2) h = relu(h);
  }
  Node loss = reduce_mean(softmax_cross_entropy_with_logits(Y, h));
  Node step = train::GradientDescentOptimizer(lr).minimize(loss);
  Node correct = reduce_sum(cast(equal(argmax(h, 1), argmax(Y, 1)), DType::f32));
  Tensor order = read_raw(dir + "/order.i64", DType::i64, {epochs, n});
  Tensor xb(DType::f32, {batch, 784}), yb(DType::f32, {batch, 10});
  Session s;
  std::vector<double> epoch_seconds;
  for (int e = 0; e < epochs; ++e) {
    auto t0 = Clock::now();
    const std::int64_t* idx = order.data<std::int64_t>() + e * n;
    for (std::int64_t start = 0; start + batch <= n; start += batch) {  // the last partial batch is dropped
      float* xp = xb.data<float>();
      float* yp = yb.data<float>();
      std::fill(yp, yp + batch * 10, 0.f);
      for (int i = 0; i < batch; ++i) {
        const std::int64_t k = idx[start + i];
        scale(train_x.data() + k * 784, 784, xp + i * 784);
        yp[i * 10 + train_y[static_cast<std::size_t>(k)]] = 1.f;
      }
      s.run(step, {{X, xb}, {Y, yb}});
    }
    epoch_seconds.push_back(seconds_since(t0));
  }
  Tensor ty(DType::f32, {nt, 10}), tx(DType::f32, {nt, 784});
  for (std::int64_t i = 0; i < nt; ++i) ty.data<float>()[i * 10 + test_y[static_cast<std::size_t>(i)]] = 1.f;
  scale(test_x.data(), nt * 784, tx.data<float>());
  const double acc = s.run(correct, {{X, tx}, {Y, ty}}).item<double>() / static_cast<double>(nt);
  std::sort(epoch_seconds.begin(), epoch_seconds.end());
  const double peak_mib = peak_rss_mib();
  std::cout << "s_per_epoch " << epoch_seconds[epoch_seconds.size() / 2] << "\ntest_accuracy " << acc
            << "\npeak_rss_mib " << peak_mib << "\n";
  return 0;
}

// One side per process (`side` "tg" or "sgemm"): oneDNN's OpenMP threads and OpenBLAS's threads
// both spin a while after a call, so timing them alternately in one process would measure their
// contention, not either library. The tg side first checks its product against one sgemm call.
int matmul_bench(std::int64_t n, int reps, const std::string& side) {
  Rng rng(1);
  Tensor a = Tensor::randn({n, n}, rng, DType::f32), b = Tensor::randn({n, n}, rng, DType::f32);
  Node A = placeholder(DType::f32, {n, n}), B = placeholder(DType::f32, {n, n});
  Node C = matmul(A, B);
  Session s;
  FeedDict f{{A, a}, {B, b}};
  Tensor c(DType::f32, {n, n});
  auto sgemm = [&] {
#ifdef TG_HAVE_BLAS
    const int ni = static_cast<int>(n);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, ni, ni, 1.f, a.data<float>(), ni, b.data<float>(), ni,
                0.f, c.data<float>(), ni);
#endif
  };
  double diff = 0;
  if (side == "tg") {
    Tensor out = s.run(C, f);
    sgemm();
    diff = blas_available() ? max_abs_diff(c, out) : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // OpenBLAS's threads go idle
  }
  auto once = [&] { side == "tg" ? static_cast<void>(s.run(C, f)) : sgemm(); };
  once();
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    once();
    t.push_back(seconds_since(t0));
  }
  std::sort(t.begin(), t.end());
  const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  std::cout << "gflops " << flops / t[t.size() / 2] / 1e9 << "\nmax_abs_diff " << diff << "\n";
  return 0;
}

int elementwise_bench(std::int64_t n, int reps) {
  Rng rng(2);
  Tensor a = Tensor::randn({n}, rng, DType::f32), b = Tensor::randn({n}, rng, DType::f32);
  Node A = placeholder(DType::f32, {n}), B = placeholder(DType::f32, {n});
  Node C = add(A, B);
  Session s;
  FeedDict f{{A, a}, {B, b}};
  Tensor out, dst(DType::f32, {n});
  // Steady state: the first runs allocate the fetched value's two buffers (see Step::fetched).
  for (int r = 0; r < 3; ++r) out = s.run(C, f);
  std::memcpy(dst.raw(), a.raw(), a.nbytes());
  std::vector<double> add_t, copy_t;  // alternated, medians
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    out = s.run(C, f);
    add_t.push_back(seconds_since(t0));
    t0 = Clock::now();
    std::memcpy(dst.raw(), a.raw(), a.nbytes());
    copy_t.push_back(seconds_since(t0));
  }
  std::sort(add_t.begin(), add_t.end());
  std::sort(copy_t.begin(), copy_t.end());
  const double add_s = add_t[add_t.size() / 2], copy_s = copy_t[copy_t.size() / 2];
  const double bytes = 4.0 * static_cast<double>(n);
  bool ok = out.data<float>()[n - 1] == a.data<float>()[n - 1] + b.data<float>()[n - 1];
  std::cout << "add_gbs " << 3 * bytes / add_s / 1e9 << "\ncopy_gbs " << 2 * bytes / copy_s / 1e9 << "\nresult_ok " << ok << "\n";
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() == 1 && a[0] == "info") {  // which code paths run (a line of text)
      std::cout << kernels::gemm_backends() << "; tensorgraph's own kernels: portable x86-64 build"
                << " (exp/log: " << kernels::exp_path() << ")\n";
      return 0;
    }
    if (a.size() == 2 && a[0] == "part5_train") return part5_train(std::stoi(a[1]));
    if (a.size() == 2 && a[0] == "boundary") return boundary(std::stoi(a[1]));
    if (a.size() == 5 && a[0] == "mlp") return mlp(a[1], std::stoi(a[2]), std::stoi(a[3]), std::stod(a[4]));
    if (a.size() == 4 && a[0] == "matmul") return matmul_bench(std::stoll(a[1]), std::stoi(a[2]), a[3]);
    if (a.size() == 3 && a[0] == "elementwise") return elementwise_bench(std::stoll(a[1]), std::stoi(a[2]));
  } catch (const std::exception& e) {
    std::cerr << "workloads: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: workloads part5_train STEPS | boundary CALLS | mlp DIR EPOCHS BATCH LR | matmul N REPS tg|sgemm | "
               "elementwise N REPS\n";
  return 2;
}
