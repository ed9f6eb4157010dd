// Tensor: construction, dtypes, alignment, views, random initialisers, printing.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "tensorgraph/tensor.h"

using namespace tg;

TEST(Tensor, NestedInitializerListsGiveShapeDtypeAndRowMajorData) {
  Tensor t{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
  EXPECT_EQ(t.dtype(), DType::f64);
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.to_vector<double>(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  Tensor f{1.f, 2.f};
  EXPECT_EQ(f.dtype(), DType::f32);
  Tensor i{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
  EXPECT_EQ(i.dtype(), DType::i32);
  EXPECT_EQ(i.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(i.flat(7), 8);
}

TEST(Tensor, BoolListsAreOneBytePerElement) {
  Tensor b{true, false, true};
  EXPECT_EQ(b.dtype(), DType::boolean);
  EXPECT_EQ(b.nbytes(), 3u);
  EXPECT_EQ(b.str(), "[true, false, true]");
}

TEST(Tensor, RaggedListsAreRefused) {
  EXPECT_THROW((Tensor{{1.0, 2.0}, {3.0}}), ShapeError);
}

TEST(Tensor, StorageIs64ByteAlignedAndZeroFilled) {
  for (std::int64_t n : {1, 3, 17, 1000}) {
    Tensor t(DType::f32, {n});
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw()) % 64, 0u);
    for (std::int64_t k = 0; k < n; ++k) EXPECT_EQ(t.data<float>()[k], 0.f);
  }
}

// Up to 64 bytes live inside the Storage object; larger buffers are allocated apart. Both are
// aligned, zero-filled by the Tensor constructor, and reused by the executor's reset_into.
TEST(Tensor, SmallAndLargeBuffersAreAlignedAndHoldTheirValues) {
  for (std::int64_t n : {1, 2, 7, 8, 9, 100}) {
    Tensor z(DType::f64, {n});
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(z.raw()) % 64, 0u) << n;
    for (std::int64_t i = 0; i < n; ++i) EXPECT_EQ(z.data<double>()[i], 0.0);
    std::vector<double> v(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = 0.5 * static_cast<double>(i) - 3;
    Tensor t = Tensor::from_vector(v, {n}), c = t.clone();
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.raw()) % 64, 0u) << n;
    EXPECT_NE(t.raw(), c.raw());
    EXPECT_EQ(c.to_vector<double>(), v);
  }
}

TEST(Tensor, ResetDropsTheStorageAndLeavesAnUndefinedTensor) {
  auto owner = std::make_shared<std::vector<float>>(6, 1.5f);
  Tensor t = Tensor::view_of(DType::f32, {2, 3}, owner->data(), owner);
  EXPECT_EQ(owner.use_count(), 2);
  t.reset();
  EXPECT_EQ(owner.use_count(), 1);  // the view no longer holds the memory
  EXPECT_FALSE(t.defined());
  EXPECT_EQ(t.size(), 0);
  EXPECT_EQ(t.shape(), Shape{});
  EXPECT_EQ(t.raw(), nullptr);
}

TEST(Tensor, ViewOfExternalMemoryIsZeroCopy) {
  auto buf = std::make_shared<std::vector<double>>(std::vector<double>{1, 2, 3, 4});
  Tensor v = Tensor::view_of(DType::f64, {2, 2}, buf->data(), buf);
  EXPECT_EQ(v.raw(), buf->data());
  (*buf)[3] = 40;
  EXPECT_EQ(v.flat(3), 40);
  Tensor c = v.clone();
  EXPECT_NE(c.raw(), v.raw());
  EXPECT_EQ(c.to_vector<double>(), (std::vector<double>{1, 2, 3, 40}));
}

TEST(Tensor, CopiesShareStorageCloneDoesNot) {
  Tensor a{1.0, 2.0};
  Tensor b = a;
  b.data<double>()[0] = 9;
  EXPECT_EQ(a.flat(0), 9);
  EXPECT_TRUE(a.shares_storage(b));
  EXPECT_FALSE(a.shares_storage(a.clone()));
}

TEST(Tensor, WrongTypedAccessThrows) {
  Tensor a{1.0, 2.0};
  EXPECT_THROW(a.data<float>(), DTypeError);
}

TEST(Tensor, SeededRandomIsReproducibleAndHasTheRightMoments) {
  Rng r1(42), r2(42), r3(43);
  Tensor a = Tensor::randn({10000}, r1), b = Tensor::randn({10000}, r2), c = Tensor::randn({10000}, r3);
  EXPECT_EQ(max_abs_diff(a, b), 0.0);
  EXPECT_GT(max_abs_diff(a, c), 0.0);
  double mean = 0, var = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) mean += a.flat(i) / 10000;
  for (std::int64_t i = 0; i < a.size(); ++i) var += (a.flat(i) - mean) * (a.flat(i) - mean) / 10000;
  EXPECT_NEAR(mean, 0.0, 0.05);
  EXPECT_NEAR(var, 1.0, 0.05);
  Tensor u = Tensor::uniform({1000}, r1, DType::f32, -1, 1);
  for (std::int64_t i = 0; i < u.size(); ++i) {
    EXPECT_GE(u.flat(i), -1);
    EXPECT_LT(u.flat(i), 1);
  }
}

TEST(Tensor, PrintsLikeNumpy) {
  EXPECT_EQ((Tensor{2.0, -1.0}).str(), "[2, -1]");
  EXPECT_EQ((Tensor{{1.0, 0.0}, {0.0, -1.0}}).str(), "[[1, 0],\n [0, -1]]");
  EXPECT_EQ(Tensor::scalar(2.5).str(), "2.5");
  EXPECT_EQ((Tensor{{{1, 2}}, {{3, 4}}}).str(), "[[[1, 2]],\n\n [[3, 4]]]");
}

TEST(Tensor, AstypeConverts) {
  Tensor a{1.7, -2.2};
  Tensor i = a.astype(DType::i64);
  EXPECT_EQ(i.dtype(), DType::i64);
  EXPECT_EQ(i.to_vector<std::int64_t>(), (std::vector<std::int64_t>{1, -2}));
}

TEST(Shape, BroadcastRules) {
  Shape out;
  ASSERT_TRUE(broadcast_shapes({2, 3}, {3}, out));
  EXPECT_EQ(out, (Shape{2, 3}));
  ASSERT_TRUE(broadcast_shapes({2, 1}, {1, 3}, out));
  EXPECT_EQ(out, (Shape{2, 3}));
  ASSERT_TRUE(broadcast_shapes({kUnknownDim, 2}, {2}, out));
  EXPECT_EQ(out, (Shape{kUnknownDim, 2}));
  EXPECT_FALSE(broadcast_shapes({2, 3}, {4}, out));
  EXPECT_EQ((Shape{kUnknownDim, 3}).str(), "[?, 3]");
  EXPECT_EQ(Shape::unknown_rank().str(), "<unknown rank>");
}

TEST(Shape, OverflowAndRankLimitsAreErrors) {
  Shape big{1LL << 40, 1LL << 40};
  EXPECT_THROW(big.num_elements(), ShapeError);
  Shape s;
  for (int i = 0; i < kMaxRank; ++i) s.push_back(1);
  EXPECT_THROW(s.push_back(1), ShapeError);
  EXPECT_THROW(normalize_axis(2, 2, "test"), ShapeError);
  EXPECT_EQ(normalize_axis(-1, 2, "test"), 1);
}
