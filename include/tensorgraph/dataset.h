#pragma once
// In-memory datasets: (features, labels) pairs indexed by their first dimension, split and
// iterated in seeded, reproducible minibatches.
//
//   auto [train, valid] = tg::train::Dataset::fashion_mnist().split(0.1, 42);
//   for (auto [x, y] : train.batches(128, true, epoch)) session.run(step, {{X, x}, {Y, y}});
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/tensor.h"

namespace tg::train {

class Dataset;

/// One epoch of minibatches: batch i is a gather of the examples order[i*b, (i+1)*b) (a rank's
/// shard: of its own ranges of order).
class Batches {
 public:
  using Batch = std::pair<Tensor, Tensor>;
  /// Number of batches in the epoch.
  std::int64_t size() const { return num_batches_; }
  /// Batch i (0 <= i < size()): features [n, ...] and labels [n, ...], freshly gathered.
  Batch operator[](std::int64_t i) const;

  class iterator {
   public:
    iterator(const Batches* b, std::int64_t i) : b_(b), i_(i) {}
    Batch operator*() const { return (*b_)[i_]; }
    iterator& operator++() { ++i_; return *this; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
   private:
    const Batches* b_;
    std::int64_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, num_batches_}; }

 private:
  friend class Dataset;
  Batches(Tensor features, Tensor labels, std::vector<std::int64_t> order, std::int64_t batch_size, bool drop_last);
  Batches(Tensor features, Tensor labels, std::vector<std::int64_t> order, std::vector<std::int64_t> bounds);
  Tensor features_, labels_;
  std::vector<std::int64_t> order_;
  std::vector<std::int64_t> bounds_;  // a shard's batch i is order_[bounds_[i], bounds_[i+1]) (empty: uniform)
  std::int64_t batch_size_ = 1, num_batches_ = 0;
};

class Dataset {
 public:
  /// Pairs features[i] with labels[i]; throws ShapeError unless both have rank >= 1 and the same
  /// first dimension. The tensors are shared, not copied.
  Dataset(Tensor features, Tensor labels);
  /// Number of examples.
  std::int64_t size() const { return features_.shape()[0]; }
  const Tensor& features() const { return features_; }
  const Tensor& labels() const { return labels_; }
  /// The examples at `indices`, in that order (copied); throws Error on an index out of range.
  Dataset subset(const std::vector<std::int64_t>& indices) const;
  /// (train, validation) after a seeded shuffle; validation gets round(fraction * size())
  /// examples. Throws Error unless 0 < validation_fraction < 1.
  std::pair<Dataset, Dataset> split(double validation_fraction, std::uint64_t seed) const;
  /// Every example once, in order or in a permutation fixed by `seed`; the last partial batch
  /// is kept unless drop_last. Throws Error unless batch_size >= 1.
  Batches batches(std::int64_t batch_size, bool shuffle, std::uint64_t seed, bool drop_last = false) const;
  /// Rank `rank`'s part of each global minibatch for data-parallel training over `ranks`
  /// processes: the epoch's global batches are those of batches(batch_size, shuffle, seed,
  /// drop_last) (one order, which every rank derives from the same seed), and of a global batch of
  /// n examples rank r takes rows [floor(r n / ranks), floor((r+1) n / ranks)): the ranks' batches
  /// together are the whole epoch, and equal when ranks divides n. A last batch of fewer than
  /// `ranks` examples is dropped (some rank would get none). Throws Error unless
  /// 0 <= rank < ranks and batch_size >= ranks.
  Batches shard(std::int64_t batch_size, int rank, int ranks, bool shuffle, std::uint64_t seed,
                bool drop_last = false) const;
  /// Fashion-MNIST ("train": 60000, "test": 10000): images float32 in [0, 1], [N, 784]; labels
  /// int64 [N] in 0..9. Throws IoError if the files are missing.
  static Dataset fashion_mnist(const std::string& which = "train",
                               const std::string& dir = "/usr/share/datasets/fashion-mnist");

 private:
  Tensor features_, labels_;
};

/// A permutation of 0..n-1 fixed by `seed` (Fisher-Yates; the same on every platform).
std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t seed);

}  // namespace tg::train
