// Dataset: shuffles are index permutations; a batch or subset is one row gather per tensor.
#include "tensorgraph/dataset.h"

#include <cmath>
#include <cstring>
#include <filesystem>

#include "../io/idx_data.h"
#include "tensorgraph/idx.h"
#include "tensorgraph/random.h"

namespace tg::train {
namespace {

// rows[indices] of t (any dtype, rank >= 1): [indices.size(), t.shape[1:]...].
Tensor gather_rows(const Tensor& t, const std::int64_t* indices, std::size_t count) {
  Shape shape = t.shape();
  const std::int64_t n = shape[0];
  shape[0] = static_cast<std::int64_t>(count);
  Tensor out = Tensor::uninitialized(t.dtype(), shape);
  const std::size_t row = n == 0 ? 0 : t.nbytes() / static_cast<std::size_t>(n);
  const auto* src = static_cast<const unsigned char*>(t.raw());
  auto* dst = static_cast<unsigned char*>(out.raw());
  for (std::size_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || indices[i] >= n)
      throw Error("Dataset: index " + std::to_string(indices[i]) + " is out of range for " + std::to_string(n) + " examples");
    std::memcpy(dst + i * row, src + static_cast<std::size_t>(indices[i]) * row, row);
  }
  return out;
}

}  // namespace

std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> p(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) p[static_cast<std::size_t>(i)] = i;
  Rng rng(seed);
  auto& engine = rng.engine();
  // NOTE: own Fisher-Yates with rejection sampling: std::shuffle and uniform_int_distribution
  // differ between standard libraries, and a seed must give the same order everywhere.
  for (std::uint64_t i = static_cast<std::uint64_t>(n); i > 1; --i) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % i);
    std::uint64_t r;
    do r = engine(); while (r >= limit);
    std::swap(p[i - 1], p[r % i]);
  }
  return p;
}

Batches::Batches(Tensor features, Tensor labels, std::vector<std::int64_t> order, std::int64_t batch_size, bool drop_last)
    : features_(std::move(features)), labels_(std::move(labels)), order_(std::move(order)), batch_size_(batch_size) {
  const auto n = static_cast<std::int64_t>(order_.size());
  num_batches_ = drop_last ? n / batch_size : (n + batch_size - 1) / batch_size;
}

Batches::Batches(Tensor features, Tensor labels, std::vector<std::int64_t> order, std::vector<std::int64_t> bounds)
    : features_(std::move(features)), labels_(std::move(labels)), order_(std::move(order)), bounds_(std::move(bounds)) {
  num_batches_ = static_cast<std::int64_t>(bounds_.size()) - 1;
}

Batches::Batch Batches::operator[](std::int64_t i) const {
  if (i < 0 || i >= num_batches_)
    throw Error("Batches: batch " + std::to_string(i) + " is out of range (" + std::to_string(num_batches_) + " batches)");
  const std::size_t u = static_cast<std::size_t>(i);
  const std::int64_t first = bounds_.empty() ? i * batch_size_ : bounds_[u];
  const auto count = static_cast<std::size_t>(
      bounds_.empty() ? std::min(batch_size_, static_cast<std::int64_t>(order_.size()) - first) : bounds_[u + 1] - first);
  const std::int64_t* idx = order_.data() + first;
  return {gather_rows(features_, idx, count), gather_rows(labels_, idx, count)};
}

Dataset::Dataset(Tensor features, Tensor labels) : features_(std::move(features)), labels_(std::move(labels)) {
  if (!features_.defined() || !labels_.defined()) throw ShapeError("Dataset: features and labels must be defined tensors");
  if (features_.rank() < 1 || labels_.rank() < 1 || features_.shape()[0] != labels_.shape()[0])
    throw ShapeError("Dataset: features " + features_.shape().str() + " and labels " + labels_.shape().str() +
                     " must have the same first dimension (one label per example)");
}

Dataset Dataset::subset(const std::vector<std::int64_t>& indices) const {
  return Dataset(gather_rows(features_, indices.data(), indices.size()), gather_rows(labels_, indices.data(), indices.size()));
}

std::pair<Dataset, Dataset> Dataset::split(double validation_fraction, std::uint64_t seed) const {
  if (!(validation_fraction > 0 && validation_fraction < 1))
    throw Error("Dataset::split: validation_fraction must be in (0, 1), got " + std::to_string(validation_fraction));
  const std::vector<std::int64_t> p = permutation(size(), seed);
  const auto n_valid = static_cast<std::ptrdiff_t>(std::llround(validation_fraction * static_cast<double>(size())));
  const auto cut = p.end() - n_valid;
  return {subset({p.begin(), cut}), subset({cut, p.end()})};
}

Batches Dataset::batches(std::int64_t batch_size, bool shuffle, std::uint64_t seed, bool drop_last) const {
  if (batch_size < 1) throw Error("Dataset::batches: batch_size must be >= 1, got " + std::to_string(batch_size));
  std::vector<std::int64_t> order;
  if (shuffle) {
    order = permutation(size(), seed);
  } else {
    order.resize(static_cast<std::size_t>(size()));
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
  }
  return Batches(features_, labels_, std::move(order), batch_size, drop_last);
}

Batches Dataset::shard(std::int64_t batch_size, int rank, int ranks, bool shuffle, std::uint64_t seed,
                       bool drop_last) const {
  if (ranks < 1 || rank < 0 || rank >= ranks)
    throw Error("Dataset::shard: rank " + std::to_string(rank) + " is not one of " + std::to_string(ranks) + " ranks");
  if (batch_size < ranks)
    throw Error("Dataset::shard: a global batch of " + std::to_string(batch_size) + " examples does not reach " +
                std::to_string(ranks) + " ranks (each needs at least one)");
  const Batches global = batches(batch_size, shuffle, seed, drop_last);
  std::vector<std::int64_t> order, bounds{0};
  const auto total = static_cast<std::int64_t>(global.order_.size());
  for (std::int64_t i = 0; i < global.size(); ++i) {
    const std::int64_t first = i * batch_size, n = std::min(batch_size, total - first);
    if (n < ranks) break;  // only the last batch can be this short
    const std::int64_t lo = first + rank * n / ranks, hi = first + (rank + 1) * n / ranks;
    order.insert(order.end(), global.order_.begin() + lo, global.order_.begin() + hi);
    bounds.push_back(static_cast<std::int64_t>(order.size()));
  }
  return Batches(features_, labels_, std::move(order), std::move(bounds));
}

Dataset Dataset::fashion_mnist(const std::string& which, const std::string& dir) {
  if (which != "train" && which != "test")
    throw Error("Dataset::fashion_mnist: which must be \"train\" or \"test\", got \"" + which + "\"");
  const std::string prefix = dir + "/" + (which == "train" ? "train" : "t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz", labels_path = prefix + "-labels-idx1-ubyte.gz";
  for (const auto& p : {images_path, labels_path})
    if (!std::filesystem::exists(p))
      throw IoError("Dataset::fashion_mnist: '" + p + "' not found (install Debian's dataset-fashion-mnist, or pass dir)");
  // NOTE: the bytes go straight to float32 (no int32 tensor between): 3x less memory touched.
  const detail::IdxData images = detail::read_idx_data(images_path), labels = detail::read_idx_data(labels_path);
  if (images.type != 0x08 || labels.type != 0x08 || images.shape.rank() != 3 || images.shape[1] != 28 ||
      images.shape[2] != 28 || labels.shape.rank() != 1 || labels.shape[0] != images.shape[0])
    throw IoError("Dataset::fashion_mnist: '" + images_path + "' " + images.shape.str() + " and '" + labels_path + "' " +
                  labels.shape.str() + " are not [N, 28, 28] images with [N] labels, of unsigned bytes");
  const std::int64_t n = images.shape[0];
  Tensor x = Tensor::uninitialized(DType::f32, Shape{n, 784});
  Tensor y = Tensor::uninitialized(DType::i64, Shape{n});
  const unsigned char* px = images.bytes.get();
  float* out = x.data<float>();
  for (std::int64_t i = 0; i < x.size(); ++i) out[i] = static_cast<float>(px[i]) / 255.0f;
  const unsigned char* py = labels.bytes.get();
  std::int64_t* label = y.data<std::int64_t>();
  for (std::int64_t i = 0; i < n; ++i) label[i] = py[i];
  return Dataset(x, y);
}

}  // namespace tg::train
