// IDX reader: hand-made files (plain and gzip) of every data type, the malformed ones refused,
// and the real Fashion-MNIST files when installed.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tensorgraph/idx.h"
#include "temp_dir.h"

using namespace tg;
namespace fs = std::filesystem;

namespace {
using Bytes = std::vector<unsigned char>;

Bytes header(int type, std::vector<std::uint32_t> dims) {
  Bytes b{0, 0, static_cast<unsigned char>(type), static_cast<unsigned char>(dims.size())};
  for (auto d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(d >> s));
  return b;
}

std::string write(const std::string& name, const Bytes& b, bool gz) {
  const std::string path = tg::testing::temp_path(name);
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, b.data(), static_cast<unsigned>(b.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  }
  return path;
}

void expect_io_error(const Bytes& b, const std::string& needle) {
  const std::string path = write("tg_bad.idx", b, false);
  try {
    read_idx(path);
    FAIL() << "accepted a malformed file, expected: " << needle;
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tg_bad.idx"), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(Idx, UnsignedBytesPlainAndGzip) {
  Bytes b = header(0x08, {2, 3});
  for (unsigned char v : {0, 1, 2, 253, 254, 255}) b.push_back(v);
  for (bool gz : {false, true}) {
    Tensor t = read_idx(write(gz ? "tg_u8.idx.gz" : "tg_u8.idx", b, gz));
    EXPECT_EQ(t.dtype(), DType::i32);
    EXPECT_EQ(t.shape(), (Shape{2, 3}));
    EXPECT_EQ(t.to_vector<int>(), (std::vector<int>{0, 1, 2, 253, 254, 255}));
  }
}

TEST(Idx, SignedShortsIntsFloatsDoubles) {
  Bytes s = header(0x0B, {2});
  for (unsigned char v : {0xFF, 0xFE, 0x01, 0x00}) s.push_back(v);  // -2, 256
  EXPECT_EQ(read_idx(write("tg_s16.idx", s, false)).to_vector<int>(), (std::vector<int>{-2, 256}));
  Bytes i = header(0x0C, {1});
  for (unsigned char v : {0x80, 0x00, 0x00, 0x01}) i.push_back(v);
  EXPECT_EQ(read_idx(write("tg_i32.idx", i, false)).to_vector<std::int64_t>(), (std::vector<std::int64_t>{-2147483647}));
  Bytes f = header(0x0D, {1});
  for (unsigned char v : {0x3F, 0xC0, 0x00, 0x00}) f.push_back(v);  // 1.5f
  Tensor tf = read_idx(write("tg_f32.idx", f, false));
  EXPECT_EQ(tf.dtype(), DType::f32);
  EXPECT_EQ(tf.flat(0), 1.5);
  Bytes d = header(0x0E, {1});
  for (unsigned char v : {0xC0, 0x04, 0, 0, 0, 0, 0, 0}) d.push_back(v);  // -2.5
  EXPECT_EQ(read_idx(write("tg_f64.idx", d, false)).flat(0), -2.5);
}

TEST(Idx, MalformedFilesAreRefusedWithTheReason) {
  expect_io_error({0, 0, 8}, "truncated header");
  expect_io_error({1, 0, 8, 1, 0, 0, 0, 1, 7}, "not an IDX file");
  expect_io_error({0, 0, 0x42, 1, 0, 0, 0, 1, 7}, "unknown IDX data type");
  expect_io_error({0, 0, 8, 0}, "rank 0");
  expect_io_error({0, 0, 8, 2, 0, 0, 0, 2}, "truncated header (dimensions)");
  Bytes short_data = header(0x08, {2, 2});
  short_data.push_back(1);
  expect_io_error(short_data, "needs 4 bytes of data, the file has 1");
  Bytes long_data = header(0x08, {1});
  long_data.insert(long_data.end(), {1, 2});
  expect_io_error(long_data, "trailing bytes");
  expect_io_error(header(0x0E, {0xFFFFFFFF, 0xFFFFFFFF}), "describe a tensor of more than 4 GiB");
  EXPECT_THROW(read_idx("/nonexistent/file.idx"), IoError);
}

namespace {
long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}
}  // namespace

// Found by fuzz/fuzz_idx (out-of-memory): a 15-byte file claimed 2^32 - 1 bytes of data, and
// the reader allocated (and zeroed) all 4 GiB before finding 6. That file now fails the tensor
// limit below; one within the limit (2^30 float32s: 4 GiB) shows memory follows the data read.
TEST(Idx, HeaderClaimingGigabytesCostsNoMemory) {
  const Bytes crash = {0x00, 0x00, 0x08, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x26, 0x02};
  expect_io_error(crash, "dimensions [4294967295]... describe a tensor of more than 4 GiB");
  const Bytes claims = {0x00, 0x00, 0x0D, 0x01, 0x40, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x01, 0x26, 0x02};
  const long before = peak_rss_kib();
  expect_io_error(claims, "needs 4294967296 bytes of data, the file has 7");
  const std::string gz = write("tg_claims.idx.gz", claims, true);
  try {
    read_idx(gz);
    FAIL() << "accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 4294967296 bytes of data, the file has 7"), std::string::npos) << e.what();
  }
  EXPECT_LT(peak_rss_kib() - before, 256 * 1024) << "KiB of peak memory for a 15-byte file";
}

// Bytes widen to int32, so 2^32 bytes would have made a 16 GiB tensor: the limit counts the
// tensor. 2^30 bytes (a 4 GiB tensor) pass the limit, and only then fail for missing data.
TEST(Idx, SizeLimitCountsTheWidenedTensor) {
  expect_io_error(header(0x08, {0x10000, 0x10000}), "dimensions [65536, 65536]... describe a tensor of more than 4 GiB");
  expect_io_error(header(0x08, {0x8000, 0x8000}), "needs 1073741824 bytes of data, the file has 0");
}

TEST(Idx, FashionMnistWhenInstalled) {
  const std::string dir = "/usr/share/datasets/fashion-mnist/";
  if (!fs::exists(dir + "t10k-labels-idx1-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  Tensor images = read_idx(dir + "t10k-images-idx3-ubyte.gz");
  Tensor labels = read_idx(dir + "t10k-labels-idx1-ubyte.gz");
  EXPECT_EQ(images.shape(), (Shape{10000, 28, 28}));
  EXPECT_EQ(labels.shape(), (Shape{10000}));
  std::vector<int> count(10, 0);
  for (int v : labels.to_vector<int>()) {
    ASSERT_GE(v, 0);
    ASSERT_LT(v, 10);
    ++count[static_cast<std::size_t>(v)];
  }
  for (int c : count) EXPECT_EQ(c, 1000);  // the test set is balanced
}
