// tensorgraph's side of bench/distributed.py, run under mpirun (or alone: one rank). Each rank
// trains on its own batches of Fashion-MNIST with DistributedOptimizer (Adam); rank 0 prints
// "key value" lines.
//   train mlp|cnn STEPS BATCH  ms_per_step (median over the steps after 5 of warm-up; every rank
//                              at the same step), the model's parameter count, the last loss
//   allreduce COUNT REPS       ms_per_allreduce of COUNT float32 values (median): the cost of one
//                              step's packed gradients
// The models: the MLP 784-256-128-10 (ReLU) and the CNN of bench/cnn.py (conv 3x3 32, pool, conv
// 3x3 64, pool, dense 128, dense 10), He-uniform weights from one seed (every rank the same).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "common.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;
using bench::Clock;
using bench::seconds_since;
namespace dist = tg::distributed;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Node he(const Shape& shape, std::int64_t fan_in, Rng& rng, const std::string& name) {
  Tensor w(DType::f32, shape);
  const double limit = std::sqrt(6.0 / static_cast<double>(fan_in));
  for (std::int64_t i = 0; i < w.size(); ++i) w.data<float>()[i] = static_cast<float>((2 * rng.uniform() - 1) * limit);
  return Variable(w, name);
}

Node logits_of(const std::string& model, const Node& images, Rng& rng) {
  if (model == "mlp") {
    Node h = images;
    std::int64_t in = 784;
    int k = 0;
    for (std::int64_t out : {256, 128}) {
      h = relu(matmul(h, he({in, out}, in, rng, "W" + std::to_string(++k))) + Variable(Tensor(DType::f32, {out})));
      in = out;
    }
    return matmul(h, he({in, 10}, in, rng, "Wout")) + Variable(Tensor(DType::f32, {10}));
  }
  Node h = reshape(images, {kUnknownDim, 28, 28, 1});
  std::int64_t in = 1;
  for (int block = 1; block <= 2; ++block) {
    const std::int64_t out = 32 * block;
    h = relu(nn::bias_add(nn::conv2d(h, he({3, 3, in, out}, 9 * in, rng, "K" + std::to_string(block)), {1, 1, 1, 1}, "SAME"),
                          Variable(Tensor(DType::f32, {out}))));
    h = nn::max_pool(h, {1, 2, 2, 1}, {1, 2, 2, 1}, "VALID");
    in = out;
  }
  h = relu(matmul(reshape(h, {kUnknownDim, 3136}), he({3136, 128}, 3136, rng, "W3")) + Variable(Tensor(DType::f32, {128})));
  return matmul(h, he({128, 10}, 128, rng, "W4")) + Variable(Tensor(DType::f32, {10}));
}

int train_model(const std::string& model, int steps, std::int64_t batch) {
  const train::Dataset data = train::Dataset::fashion_mnist("train");
  Rng rng(3);
  Node images = placeholder(DType::f32, {kUnknownDim, 784}, "images");
  Node labels = placeholder(DType::i64, {kUnknownDim}, "labels");
  Node loss = reduce_mean(sparse_softmax_cross_entropy_with_logits(labels, logits_of(model, images, rng)));
  std::int64_t params = 0;
  for (const Node& v : Graph::get_default().trainable_variables()) params += v.shape().num_elements();
  // TG_BENCH_BUCKET: DistributedOptimizer's bucket_bytes (0: every gradient reduced alone)
  const char* bucket = std::getenv("TG_BENCH_BUCKET");
  Node step = dist::DistributedOptimizer(train::AdamOptimizer(0.001), bucket ? std::stoull(bucket) : 64u << 20)
                  .minimize(loss);
  Session s;
  dist::broadcast_variables(s, 0);
  // Each rank its own batches: rank r's part of global batches of size() * batch.
  const train::Batches batches = data.shard(batch * dist::size(), dist::rank(), dist::size(), true, 1);
  std::vector<double> times;
  double last = 0;
  for (int i = 0; i < steps; ++i) {
    auto [x, y] = batches[i % batches.size()];
    const auto t0 = Clock::now();
    last = s.run({loss, step}, {{images, x}, {labels, y}})[0].item<double>();
    times.push_back(seconds_since(t0));
  }
  times.erase(times.begin(), times.begin() + std::min<std::size_t>(5, times.size() - 1));
  // NOTE: the slowest rank's median: a step ends when every rank's gradients are in.
  Tensor ms{median(times) * 1e3};
  dist::allreduce(ms, dist::ReduceOp::sum, "bench");
  if (dist::rank() == 0)
    std::cout << "ms_per_step " << ms.flat(0) / dist::size() << "\nparameters " << params << "\nlast_loss " << last
              << "\nranks " << dist::size() << "\nthreads " << num_threads() << "\n";
  return 0;
}

int allreduce_bench(std::int64_t count, int reps) {
  Tensor t(DType::f32, {count});
  std::vector<double> times;
  for (int i = 0; i < reps + 5; ++i) {
    const auto t0 = Clock::now();
    dist::allreduce(t, dist::ReduceOp::mean, "bench");
    if (i >= 5) times.push_back(seconds_since(t0));
  }
  if (dist::rank() == 0) std::cout << "ms_per_allreduce " << median(times) * 1e3 << "\nvalues " << count << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  try {
    dist::init();
    set_num_threads(1);  // NOTE: the benchmark's setting: N ranks x 1 thread against 1 rank x 1 thread
    if (a.size() == 4 && a[0] == "train" && (a[1] == "mlp" || a[1] == "cnn"))
      return train_model(a[1], std::stoi(a[2]), std::stoll(a[3]));
    if (a.size() == 3 && a[0] == "allreduce") return allreduce_bench(std::stoll(a[1]), std::stoi(a[2]));
  } catch (const std::exception& e) {
    dist::abort(std::string("distributed_workloads: ") + e.what());
  }
  std::cerr << "usage: bench_distributed train mlp|cnn STEPS BATCH | allreduce COUNT REPS\n";
  return 2;
}
