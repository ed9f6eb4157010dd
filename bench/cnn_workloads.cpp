// tensorgraph's side of the CNN workloads of bench/cnn.py, in C++. Each subcommand prints "key value"
// lines that cnn.py reads.
//   train DIR STEPS BATCH LR  the network of cnn.py (initial weights and batch order from DIR) trained
//                             with SGD: ms/step (median), the mean loss of the first and last 10
//                             steps, peak RSS
//   infer DIR CALLS           the same network on one image per call: us/call (median), peak RSS
//   conv REPS                 the forward pass of a 3x3, 64 -> 64 convolution on 56 x 56 inputs at batch
//                             32 (NHWC, SAME): GFLOP/s (median)
#include <algorithm>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "common.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;
using bench::Clock;
using bench::seconds_since;

namespace {

const std::string kData = "/usr/share/datasets/fashion-mnist/";

// 28x28x1 -> conv 3x3 32 SAME + relu -> max pool 2 -> conv 3x3 64 SAME + relu -> max pool 2 -> 3136
// -> dense 128 + relu -> dense 10 (the CLI's "cnn" without its dropout).
struct Cnn {
  Node images, logits;
};
Cnn build(const std::string& dir) {
  auto var = [&](const std::string& name, const Shape& shape) {
    return Variable(bench::read_raw(dir + "/" + name + ".f32", DType::f32, shape), name);
  };
  Cnn m;
  m.images = placeholder(DType::f32, {kUnknownDim, 28, 28, 1}, "images");
  Node h = m.images;
  std::int64_t in = 1;
  for (int block = 1; block <= 2; ++block) {
    const std::int64_t out = 32 * block;
    const std::string k = std::to_string(block);
    h = relu(nn::bias_add(nn::conv2d(h, var("W" + k, {3, 3, in, out}), {1, 1, 1, 1}, "SAME"), var("b" + k, {out})));
    h = nn::max_pool(h, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
    in = out;
  }
  h = relu(add(matmul(reshape(h, {kUnknownDim, 7 * 7 * 64}), var("W3", {3136, 128})), var("b3", {128})));
  m.logits = add(matmul(h, var("W4", {128, 10})), var("b4", {10}));
  return m;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Images [n, 28, 28, 1] in [0, 1] gathered from bytes.
void gather(const std::vector<std::uint8_t>& x, const std::int64_t* idx, std::int64_t n, Tensor& out) {
  float* p = out.data<float>();
  for (std::int64_t i = 0; i < n; ++i)
    for (int j = 0; j < 784; ++j) p[i * 784 + j] = static_cast<float>(x[static_cast<std::size_t>(idx[i] * 784 + j)]) / 255.f;
}

int train_cnn(const std::string& dir, int steps, std::int64_t batch, double lr) {
  const auto x = bench::read_idx_bytes(kData + "train-images-idx3-ubyte.gz");
  const auto y = bench::read_idx_bytes(kData + "train-labels-idx1-ubyte.gz");
  Cnn m = build(dir);
  Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  Node loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(labels, m.logits));
  Node step = train::GradientDescentOptimizer(lr).minimize(loss);
  Tensor order = bench::read_raw(dir + "/order.i64", DType::i64, {steps * batch});
  Tensor xb(DType::f32, {batch, 28, 28, 1}), yb(DType::i64, {batch});
  Session s;
  std::vector<double> times, losses;
  for (int i = 0; i < steps; ++i) {
    const std::int64_t* idx = order.data<std::int64_t>() + i * batch;
    auto t0 = Clock::now();  // the step's own time, gathering the batch included (as on the other sides)
    gather(x, idx, batch, xb);
    for (std::int64_t j = 0; j < batch; ++j) yb.data<std::int64_t>()[j] = y[static_cast<std::size_t>(idx[j])];
    losses.push_back(s.run({loss, step}, {{m.images, xb}, {labels, yb}})[0].item<double>());
    times.push_back(seconds_since(t0));
  }
  const auto mean10 = [&](std::size_t from) { return std::accumulate(losses.begin() + from, losses.begin() + from + 10, 0.0) / 10; };
  times.erase(times.begin(), times.begin() + std::min<std::size_t>(5, times.size() - 1));  // warm-up
  std::cout << "ms_per_step " << median(times) * 1e3 << "\nfirst_loss " << mean10(0) << "\nlast_loss "
            << mean10(losses.size() - 10) << "\npeak_rss_mib " << bench::peak_rss_mib() << "\n";
  return 0;
}

int infer_cnn(const std::string& dir, int calls) {
  const auto x = bench::read_idx_bytes(kData + "t10k-images-idx3-ubyte.gz");
  Cnn m = build(dir);
  Session s;
  Tensor xb(DType::f32, {1, 28, 28, 1});
  std::vector<double> times;
  double checksum = 0;
  for (int i = 0; i < calls + 20; ++i) {  // 20 untimed calls: plans and primitives made, caches warm
    const std::int64_t idx = i % 10000;
    auto t0 = Clock::now();
    gather(x, &idx, 1, xb);
    Tensor logits = s.run(m.logits, {{m.images, xb}});
    if (i >= 20) times.push_back(seconds_since(t0));
    checksum += logits.data<float>()[0];
  }
  std::cout << "us_per_call " << median(times) * 1e6 << "\nchecksum " << checksum << "\npeak_rss_mib "
            << bench::peak_rss_mib() << "\n";
  return 0;
}

int conv_bench(int reps) {
  Rng rng(5);
  const Tensor a = Tensor::randn({32, 56, 56, 64}, rng, DType::f32), w = Tensor::randn({3, 3, 64, 64}, rng, DType::f32);
  Node A = placeholder(DType::f32, {32, 56, 56, 64}), W = Variable(w);
  Node y = nn::conv2d(A, W, {1, 1, 1, 1}, "SAME");
  Session s;
  FeedDict f{{A, a}};
  for (int r = 0; r < 3; ++r) s.run(y, f);
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    auto t0 = Clock::now();
    s.run(y, f);
    t.push_back(seconds_since(t0));
  }
  const double flops = 2.0 * 32 * 56 * 56 * 64 * 64 * 9;
  std::cout << "gflops " << flops / median(t) / 1e9 << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if (a.size() == 5 && a[0] == "train") return train_cnn(a[1], std::stoi(a[2]), std::stoll(a[3]), std::stod(a[4]));
    if (a.size() == 3 && a[0] == "infer") return infer_cnn(a[1], std::stoi(a[2]));
    if (a.size() == 2 && a[0] == "conv") return conv_bench(std::stoi(a[1]));
  } catch (const std::exception& e) {
    std::cerr << "cnn_workloads: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: bench_cnn train DIR STEPS BATCH LR | infer DIR CALLS | conv REPS\n";
  return 2;
}
