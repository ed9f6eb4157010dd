// tensorgraph's side of the generative workloads of bench/generative.py, in C++. Each subcommand
// prints "key value" lines that generative.py reads.
//   ae DIR EPOCHS   the autoencoder 784-64-784 (initial weights and each epoch's batch order from
//                   DIR), Adam 1e-3, batch 32: s/epoch (median), the test MSE
//   vae DIR EPOCHS  the VAE 784-400-20, Adam 1e-3, batch 128: s/epoch (median), the test negative
//                   ELBO in nats per image
//   SEED            (optional, after EPOCHS) the seed of the VAE's noise (default 1)
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "common.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;
using bench::Clock;
using bench::seconds_since;

namespace {

const std::string kData = "/usr/share/datasets/fashion-mnist/";

// x W + b with W [in, out] and b [out] read from DIR/<name>_W.f32 and DIR/<name>_b.f32.
Node linear(const Node& x, const std::string& dir, const std::string& name, std::int64_t in, std::int64_t out) {
  Node W = Variable(bench::read_raw(dir + "/" + name + "_W.f32", DType::f32, {in, out}), name + "/kernel");
  Node b = Variable(bench::read_raw(dir + "/" + name + "_b.f32", DType::f32, {out}), name + "/bias");
  return add(matmul(x, W), b);
}

// The model's loss per image averaged over the batch (the AE: the mean squared error per pixel).
Node loss_of(const std::string& model, const Node& x, const std::string& dir, std::uint64_t seed) {
  if (model == "ae") {
    Node y = sigmoid(linear(relu(linear(x, dir, "enc", 784, 64)), dir, "dec", 64, 784));
    return reduce_mean(square(y - x));
  }
  Node h = relu(linear(x, dir, "enc", 784, 400));
  Node mean = linear(h, dir, "mean", 400, 20), logvar = linear(h, dir, "logvar", 400, 20);
  Node z = mean + exp(0.5 * logvar) * random_normal_like(mean, 0, 1, seed, "eps");
  Node logits = linear(relu(linear(z, dir, "dec1", 20, 400)), dir, "dec2", 400, 784);
  Node bce = reduce_sum(nn::sigmoid_cross_entropy_with_logits(x, logits), 1);
  Node kl = -0.5 * reduce_sum(1.0 + logvar - square(mean) - exp(logvar), 1);
  return reduce_mean(bce + kl);
}

// Images [n, 784] in [0, 1] gathered from bytes.
void gather(const std::vector<std::uint8_t>& x, const std::int64_t* idx, std::int64_t n, Tensor& out) {
  float* p = out.data<float>();
  for (std::int64_t i = 0; i < n; ++i)
    for (int j = 0; j < 784; ++j) p[i * 784 + j] = static_cast<float>(x[static_cast<std::size_t>(idx[i] * 784 + j)]) / 255.f;
}

int train_model(const std::string& model, const std::string& dir, int epochs, std::uint64_t seed) {
  const std::int64_t batch = model == "ae" ? 32 : 128, n = 60000;
  const auto x = bench::read_idx_bytes(kData + "train-images-idx3-ubyte.gz");
  const auto tx = bench::read_idx_bytes(kData + "t10k-images-idx3-ubyte.gz");
  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node loss = loss_of(model, images, dir, seed);
  Node step = train::AdamOptimizer(1e-3).minimize(loss);
  const Tensor order = bench::read_raw(dir + "/order.i64", DType::i64, {epochs, n});
  Session s;
  std::vector<double> times;
  Tensor full(DType::f32, {batch, 784}), last(DType::f32, {n % batch, 784});
  for (int e = 0; e < epochs; ++e) {
    auto t0 = Clock::now();  // the batches' gathering included, as on PyTorch's side
    for (std::int64_t start = 0; start < n; start += batch) {
      Tensor& xb = start + batch <= n ? full : last;
      gather(x, order.data<std::int64_t>() + e * n + start, xb.shape()[0], xb);
      s.run(step, {{images, xb}});
    }
    times.push_back(seconds_since(t0));
  }
  std::vector<std::int64_t> all(10000);
  for (std::int64_t i = 0; i < 10000; ++i) all[static_cast<std::size_t>(i)] = i;
  Tensor test(DType::f32, {10000, 784});
  gather(tx, all.data(), 10000, test);
  const double metric = s.run(loss, {{images, test}}).item<double>();
  std::sort(times.begin(), times.end());
  std::cout << "s_per_epoch " << times[times.size() / 2] << "\ntest_metric " << metric << "\npeak_rss_mib "
            << bench::peak_rss_mib() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  try {
    if ((a.size() == 3 || a.size() == 4) && (a[0] == "ae" || a[0] == "vae"))
      return train_model(a[0], a[1], std::stoi(a[2]), a.size() == 4 ? std::stoull(a[3]) : 1);
  } catch (const std::exception& e) {
    std::cerr << "generative_workloads: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: bench_generative ae|vae DIR EPOCHS [SEED]\n";
  return 2;
}
