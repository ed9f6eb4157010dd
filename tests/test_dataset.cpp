// read_csv on hand-written files (good and malformed), Dataset batching and splitting, and the
// real Fashion-MNIST files when installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "tensorgraph/csv.h"
#include "tensorgraph/dataset.h"
#include "temp_dir.h"

using namespace tg;
using tg::train::Dataset;
namespace fs = std::filesystem;

namespace {

std::string write(const std::string& text, const std::string& name = "tg_test.csv") {
  const std::string path = tg::testing::temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

void expect_io_error(const std::string& text, const std::vector<std::string>& needles, bool header = true) {
  const std::string path = write(text, "tg_bad.csv");
  try {
    read_csv(path, header);
    FAIL() << "no error for " << text;
  } catch (const IoError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    for (const auto& n : needles) EXPECT_NE(msg.find(n), std::string::npos) << "'" << n << "' not in: " << msg;
  }
}

std::vector<std::int64_t> labels_of(const Tensor& y) { return y.to_vector<std::int64_t>(); }

Dataset arange_dataset(std::int64_t n) {
  std::vector<double> x(static_cast<std::size_t>(n * 2));
  std::vector<std::int64_t> y(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    x[static_cast<std::size_t>(2 * i)] = static_cast<double>(i);
    x[static_cast<std::size_t>(2 * i + 1)] = -static_cast<double>(i);
    y[static_cast<std::size_t>(i)] = i;
  }
  return Dataset(Tensor::from_vector(x, Shape{n, 2}), Tensor::from_vector(y, Shape{n}));
}

// Labels of every batch concatenated, and the batch sizes.
std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> epoch(const train::Batches& batches) {
  std::vector<std::int64_t> all, sizes;
  for (auto [x, y] : batches) {
    EXPECT_EQ(x.shape()[0], y.shape()[0]);
    const auto lab = labels_of(y);
    for (std::size_t i = 0; i < lab.size(); ++i) EXPECT_EQ(x.flat(static_cast<std::int64_t>(2 * i)), static_cast<double>(lab[i]));
    all.insert(all.end(), lab.begin(), lab.end());
    sizes.push_back(y.shape()[0]);
  }
  return {all, sizes};
}

}  // namespace

TEST(ReadCsv, HeaderValuesAndShape) {
  const Tensor t = read_csv(write("a,b,c\n1,2.5,-3\n4e2, +5 ,6\n"));
  EXPECT_EQ(t.dtype(), DType::f64);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.to_vector<double>(), (std::vector<double>{1, 2.5, -3, 400, 5, 6}));
}

TEST(ReadCsv, NoHeaderCrlfNoTrailingNewlineAndDelimiter) {
  EXPECT_EQ(read_csv(write("1,2\r\n3,4\r\n"), false).to_vector<double>(), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(read_csv(write("1;2\n3;4"), false, ';').shape(), (Shape{2, 2}));
  EXPECT_EQ(read_csv(write("x\n7\n\n"), true).to_vector<double>(), (std::vector<double>{7}));
}

TEST(ReadCsv, MalformedFilesNameLineAndColumn) {
  expect_io_error("a,b\n1,2\n3\n", {"line 3", "column 2", "1 fields", "first has 2"});
  expect_io_error("a,b\n1,2\n3,4,5\n", {"line 3", "column 3"});
  expect_io_error("a,b\n1,2\n3,abc\n", {"line 3", "column 2", "'abc' is not a number"});
  expect_io_error("1,2\n3,4x\n", {"line 2", "column 2", "'4x'"}, false);
  expect_io_error("1,,2\n", {"line 1", "column 2", "empty field"}, false);
  expect_io_error("1\n\n2\n", {"line 2", "empty line"}, false);
  expect_io_error("1,\"2\"\n", {"line 1", "column 2", "'\"2\"'"}, false);
  expect_io_error(std::string("1,\x01\xff\n", 5), {"'\\x01\\xff'"}, false);
  expect_io_error("1,1e999\n", {"out of the float64 range"}, false);
  // A '+' is stripped for from_chars, which then took "+-5" for -5 (found in review).
  expect_io_error("1,+-5\n", {"line 1", "column 2", "'+-5' is not a number"}, false);
  expect_io_error("++5\n", {"line 1", "column 1", "'++5' is not a number"}, false);
  expect_io_error("", {"empty file"});
  expect_io_error("\r\n\n", {"empty file"});
  expect_io_error("a,b\n", {"no data rows"});
  try {
    read_csv("/nonexistent/tg.csv");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tg.csv"), std::string::npos);
  }
  EXPECT_THROW(read_csv(fs::temp_directory_path().string()), IoError);  // a directory
}

TEST(Dataset, ShapesMustAgree) {
  try {
    Dataset(Tensor::zeros({3, 2}), Tensor::zeros({4}));
    FAIL();
  } catch (const ShapeError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("[3, 2]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[4]"), std::string::npos) << msg;
  }
  EXPECT_EQ(arange_dataset(10).size(), 10);
}

TEST(Dataset, BatchesInOrderCoverEveryExample) {
  const Dataset d = arange_dataset(10);
  auto [labels, sizes] = epoch(d.batches(4, false, 0));
  std::vector<std::int64_t> want(10);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(labels, want);
  EXPECT_EQ(sizes, (std::vector<std::int64_t>{4, 4, 2}));
  auto [dropped, dropped_sizes] = epoch(d.batches(4, false, 0, true));
  EXPECT_EQ(dropped_sizes, (std::vector<std::int64_t>{4, 4}));
  EXPECT_EQ(dropped, std::vector<std::int64_t>(want.begin(), want.begin() + 8));
  EXPECT_EQ(d.batches(20, false, 0).size(), 1);
  EXPECT_EQ(d.batches(20, false, 0, true).size(), 0);
  EXPECT_THROW(d.batches(0, false, 0), Error);
  EXPECT_THROW(d.batches(4, false, 0)[3], Error);
}

// Data-parallel shards: rank r's batch i is its part of global batch i of the one seeded order.
TEST(Dataset, ShardsSplitEveryGlobalBatchAndTogetherAreTheEpoch) {
  const Dataset d = arange_dataset(22);  // global batches of 8: 8, 8, 6
  for (int ranks : {1, 2, 3}) {
    auto [global, global_sizes] = epoch(d.batches(8, true, 5));
    std::vector<std::vector<std::int64_t>> parts;
    std::vector<std::vector<std::int64_t>> part_sizes;
    for (int r = 0; r < ranks; ++r) {
      auto [labels, sizes] = epoch(d.shard(8, r, ranks, true, 5));
      parts.push_back(labels);
      part_sizes.push_back(sizes);
    }
    // Batch i of the ranks, in rank order, is global batch i.
    std::vector<std::int64_t> joined;
    std::vector<std::size_t> at(static_cast<std::size_t>(ranks), 0);
    for (std::size_t i = 0; i < global_sizes.size(); ++i)
      for (int r = 0; r < ranks; ++r) {
        const auto ru = static_cast<std::size_t>(r);
        const std::int64_t n = part_sizes[ru][i];
        EXPECT_EQ(n, (r + 1) * global_sizes[i] / ranks - r * global_sizes[i] / ranks) << ranks << " ranks, batch " << i;
        joined.insert(joined.end(), parts[ru].begin() + static_cast<std::ptrdiff_t>(at[ru]),
                      parts[ru].begin() + static_cast<std::ptrdiff_t>(at[ru] + static_cast<std::size_t>(n)));
        at[ru] += static_cast<std::size_t>(n);
      }
    EXPECT_EQ(joined, global) << ranks << " ranks";
  }
  // A last global batch of fewer examples than ranks is left out (a rank would get none).
  const Dataset seven = arange_dataset(7);  // batches of 3: 3, 3, 1
  EXPECT_EQ(seven.shard(3, 0, 2, false, 0).size(), 2);
  EXPECT_EQ(seven.shard(3, 1, 2, false, 0).size(), 2);
  EXPECT_THROW(seven.shard(3, 2, 2, false, 0), Error);   // no rank 2 of 2
  EXPECT_THROW(seven.shard(1, 0, 2, false, 0), Error);   // a global batch of 1 for 2 ranks
}

TEST(Dataset, ShuffledBatchesAreSeededPermutations) {
  const Dataset d = arange_dataset(100);
  auto [a, sizes] = epoch(d.batches(32, true, 7));
  EXPECT_EQ(sizes, (std::vector<std::int64_t>{32, 32, 32, 4}));
  auto sorted = a;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::int64_t> want(100);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(sorted, want);
  EXPECT_NE(a, want);
  EXPECT_EQ(epoch(d.batches(32, true, 7)).first, a);
  EXPECT_NE(epoch(d.batches(32, true, 8)).first, a);
}

TEST(Dataset, SplitIsDisjointAndSized) {
  const Dataset d = arange_dataset(100);
  auto [tr, va] = d.split(0.2, 3);
  EXPECT_EQ(tr.size(), 80);
  EXPECT_EQ(va.size(), 20);
  auto all = labels_of(tr.labels());
  const auto v = labels_of(va.labels());
  all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  std::vector<std::int64_t> want(100);
  std::iota(want.begin(), want.end(), 0);
  EXPECT_EQ(all, want);
  EXPECT_EQ(tr.features().flat(1), -tr.labels().flat(0));  // rows stay paired
  EXPECT_EQ(labels_of(d.split(0.2, 3).second.labels()), v);
  EXPECT_NE(labels_of(d.split(0.2, 4).second.labels()), v);
  EXPECT_THROW(d.split(0.0, 1), Error);
  EXPECT_THROW(d.split(1.0, 1), Error);
}

TEST(Dataset, FashionMnist) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir + "/train-images-idx3-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist not installed";
  for (auto [which, n] : {std::pair{"train", 60000}, {"test", 10000}}) {
    const Dataset d = Dataset::fashion_mnist(which);
    EXPECT_EQ(d.features().shape(), (Shape{n, 784}));
    EXPECT_EQ(d.features().dtype(), DType::f32);
    EXPECT_EQ(d.labels().shape(), (Shape{n}));
    EXPECT_EQ(d.labels().dtype(), DType::i64);
    const auto px = d.features().to_vector<float>();
    EXPECT_EQ(*std::min_element(px.begin(), px.end()), 0.0f);
    EXPECT_EQ(*std::max_element(px.begin(), px.end()), 1.0f);
    const auto lab = labels_of(d.labels());
    EXPECT_EQ(*std::min_element(lab.begin(), lab.end()), 0);
    EXPECT_EQ(*std::max_element(lab.begin(), lab.end()), 9);
  }
  EXPECT_THROW(Dataset::fashion_mnist("train", "/nonexistent"), IoError);
  EXPECT_THROW(Dataset::fashion_mnist("valid"), Error);
}
