// PNG round trips, hostile files built by hand (with zlib, independently of the writer), and
// exact-pixel checks of Canvas and Plot.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "tensorgraph/canvas.h"
#include "tensorgraph/error.h"
#include "tensorgraph/png.h"

namespace tg {
void PrintTo(const Color& c, std::ostream* os) {
  *os << '(' << +c.r << ',' << +c.g << ',' << +c.b << ')';
}
}  // namespace tg

namespace {
namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using tg::Color;
namespace colors = tg::colors;

class Png : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("tg_png_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_))
      names.push_back(e.path().filename().string());
    return names;
  }
  fs::path dir_;
};

Bytes read_bytes(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}
void write_bytes(const std::string& p, const Bytes& b) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), b.size());
}
// Rows alternate between smooth gradients and noise, so the writer picks several filters.
Bytes test_image(int w, int h) {
  std::mt19937 rng(w * 1000 + h);
  Bytes rgb(static_cast<std::size_t>(w) * h * 3);
  for (std::size_t i = 0; i < rgb.size(); ++i) rgb[i] = (i / (w * 3)) % 2 ? rng() : i * 7 % 251;
  return rgb;
}

void put32(Bytes& out, std::size_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}
const Bytes kSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
// A PNG file made of `chunks`, each with its length and a correct CRC.
Bytes png_of(const std::vector<std::pair<const char*, Bytes>>& chunks) {
  Bytes out = kSignature;
  for (const auto& [type, data] : chunks) {
    put32(out, data.size());
    const std::size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    put32(out, crc32(0, out.data() + start, static_cast<uInt>(out.size() - start)));
  }
  return out;
}
Bytes ihdr(std::uint32_t w, std::uint32_t h, std::uint8_t depth = 8, std::uint8_t color = 2,
           std::uint8_t interlace = 0) {
  Bytes d;
  put32(d, w);
  put32(d, h);
  d.insert(d.end(), {depth, color, 0, 0, interlace});
  return d;
}
Bytes zip(const Bytes& raw) {
  uLongf n = compressBound(static_cast<uLong>(raw.size()));
  Bytes z(n);
  EXPECT_EQ(compress(z.data(), &n, raw.data(), static_cast<uLong>(raw.size())), Z_OK);
  z.resize(n);
  return z;
}
// The usual file: IHDR, one IDAT holding the filtered scanlines `rows` deflated, IEND.
Bytes png_of(const Bytes& header, const Bytes& rows) {
  return png_of({{"IHDR", header}, {"IDAT", zip(rows)}, {"IEND", {}}});
}
int paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
// Row y filtered with type (y + shift) % 5, straight from the PNG spec's definitions.
Bytes filter_rows(int w, int h, const Bytes& rgb, int shift) {
  const long stride = w * 3;
  auto at = [&](long y, long i) -> int { return y < 0 || i < 0 ? 0 : rgb[y * stride + i]; };
  Bytes out;
  for (long y = 0; y < h; ++y) {
    const int type = static_cast<int>((y + shift) % 5);
    out.push_back(static_cast<std::uint8_t>(type));
    for (long i = 0; i < stride; ++i) {
      const int a = at(y, i - 3), b = at(y - 1, i), c = at(y - 1, i - 3);
      const int pred[5] = {0, a, b, (a + b) / 2, paeth(a, b, c)};
      out.push_back(static_cast<std::uint8_t>(at(y, i) - pred[type]));
    }
  }
  return out;
}

TEST_F(Png, RoundTripsEveryByteOfOddSizes) {
  for (auto [w, h] : {std::pair{1, 1}, {7, 3}, {3, 7}, {2, 1}, {1, 5}, {64, 33}}) {
    const Bytes rgb = test_image(w, h);
    tg::write_png(path("a.png"), w, h, rgb.data());
    const tg::PngImage img = tg::read_png(path("a.png"));
    EXPECT_EQ(img.width, w);
    EXPECT_EQ(img.height, h);
    EXPECT_EQ(img.rgb, rgb) << w << "x" << h;
  }
  EXPECT_EQ(listing(), std::vector<std::string>{"a.png"});  // no temp files left behind
}

TEST_F(Png, FileStartsWithSignatureThenIhdr) {
  const Bytes rgb = test_image(7, 3);
  tg::write_png(path("a.png"), 7, 3, rgb.data());
  const Bytes file = read_bytes(path("a.png"));
  ASSERT_GT(file.size(), 33u);
  EXPECT_EQ(Bytes(file.begin(), file.begin() + 33), png_of({{"IHDR", ihdr(7, 3)}}));
}

TEST_F(Png, DecodesEveryFilterType) {
  const Bytes rgb = test_image(9, 11);
  for (int shift = 0; shift < 5; ++shift) {  // each filter type also gets used on the first row
    write_bytes(path("f.png"), png_of(ihdr(9, 11), filter_rows(9, 11, rgb, shift)));
    EXPECT_EQ(tg::read_png(path("f.png")).rgb, rgb) << "shift " << shift;
  }
}

TEST_F(Png, EveryTruncationAndEveryFlippedByteThrows) {
  const Bytes rgb = test_image(7, 3);
  tg::write_png(path("a.png"), 7, 3, rgb.data());
  const Bytes file = read_bytes(path("a.png"));
  for (std::size_t n = 0; n < file.size(); ++n) {
    write_bytes(path("t.png"), Bytes(file.begin(), file.begin() + static_cast<long>(n)));
    EXPECT_THROW(tg::read_png(path("t.png")), tg::IoError) << "truncated to " << n;
  }
  for (std::size_t i = 0; i < file.size(); ++i) {
    Bytes bad = file;
    bad[i] ^= 0x10;
    write_bytes(path("t.png"), bad);
    EXPECT_THROW(tg::read_png(path("t.png")), tg::IoError) << "byte " << i << " flipped";
  }
}

TEST_F(Png, HostileFilesThrowAndAncillaryChunksAreSkipped) {
  const Bytes rows = filter_rows(4, 2, test_image(4, 2), 0);
  Bytes bad_filter = rows, bad_zlib = zip(rows);
  bad_filter[13] = 5;                     // the second row's filter byte
  bad_zlib[bad_zlib.size() / 2] ^= 0xff;  // under a correct CRC: only zlib can notice
  const Bytes h = ihdr(4, 2), z = zip(rows);
  const std::vector<std::pair<const char*, Bytes>> cases = {
      {"huge", png_of(ihdr(0x7fffffff, 0x7fffffff), rows)},
      {"zero width", png_of(ihdr(0, 2), Bytes(2, 0))},  // data to match: only the header is bad
      {"too wide", png_of(ihdr(tg::kPngMaxSide + 1, 1), Bytes(3 * tg::kPngMaxSide + 4, 0))},
      {"16-bit", png_of(ihdr(4, 2, 16), rows)},
      {"RGBA", png_of(ihdr(4, 2, 8, 6), rows)},
      {"interlaced", png_of(ihdr(4, 2, 8, 2, 1), rows)},
      {"filter 5", png_of(h, bad_filter)},
      {"short data", png_of(ihdr(4, 3), rows)},
      {"long data", png_of(ihdr(4, 1), rows)},
      {"bad deflate", png_of({{"IHDR", h}, {"IDAT", bad_zlib}, {"IEND", {}}})},
      {"no IDAT", png_of({{"IHDR", h}, {"IEND", {}}})},
      {"no IEND", png_of({{"IHDR", h}, {"IDAT", z}})},
      {"IDAT first", png_of({{"IDAT", z}, {"IHDR", h}, {"IEND", {}}})},
      {"two IHDR", png_of({{"IHDR", h}, {"IHDR", h}, {"IDAT", z}, {"IEND", {}}})},
      {"unknown critical chunk", png_of({{"IHDR", h}, {"ZZZZ", {1}}, {"IDAT", z}, {"IEND", {}}})},
  };
  for (const auto& [name, file] : cases) {
    write_bytes(path("h.png"), file);
    EXPECT_THROW(tg::read_png(path("h.png")), tg::IoError) << name;
  }
  write_bytes(path("h.png"), png_of({{"IHDR", h}, {"tEXt", {'a', 0}}, {"IDAT", z}, {"IEND", {}}}));
  EXPECT_EQ(tg::read_png(path("h.png")).rgb, test_image(4, 2));
  EXPECT_THROW(tg::read_png(path("missing.png")), tg::IoError);
}

// Found by fuzz/fuzz_png (UBSan pointer-overflow, on this very file): the decoder reached the row
// above as row[i - stride], an index that wraps around as an unsigned number. Only a sanitizer
// build (scripts/sanitize.sh) sees the difference; the pixels must come out right in both.
TEST_F(Png, RowAboveIsReachedWithoutPointerWraparound) {
  const Bytes file = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
                      0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x36, 0x88, 0x49,
                      0xd6, 0x00, 0x00, 0x00, 0x14, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x3c, 0x71, 0xe2, 0x04,
                      0x03, 0x03, 0x03, 0x13, 0x03, 0x18, 0x40, 0x29, 0x00, 0x2c, 0xdc, 0x02, 0x5e, 0x48, 0x46, 0xdb,
                      0xac, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  write_bytes(path("flat.png"), file);
  const tg::PngImage img = tg::read_png(path("flat.png"));
  EXPECT_EQ(img.width, 2);
  EXPECT_EQ(img.height, 3);
  EXPECT_EQ(img.rgb, Bytes(18, 200));  // up-filtered rows: each is the row above plus 0
}

TEST_F(Png, WriteIntoMissingDirectoryThrowsAndLeavesNothing) {
  const Bytes rgb = test_image(2, 2);
  const std::string target = path("no_such_dir/a.png");
  try {
    tg::write_png(target, 2, 2, rgb.data());
    FAIL() << "expected tg::IoError";
  } catch (const tg::IoError& e) {
    EXPECT_NE(std::string(e.what()).find(target), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(listing().empty());
}

TEST_F(Png, FailedRenameRemovesTheTempFile) {
  fs::create_directory(path("target.png"));  // the temp file can be written, the rename cannot
  const Bytes rgb = test_image(2, 2);
  EXPECT_THROW(tg::write_png(path("target.png"), 2, 2, rgb.data()), tg::IoError);
  EXPECT_EQ(listing(), std::vector<std::string>{"target.png"});
}

TEST_F(Png, OverwritesAnExistingFile) {
  const Bytes first = test_image(3, 3), second = test_image(5, 2);
  tg::write_png(path("a.png"), 3, 3, first.data());
  tg::write_png(path("a.png"), 5, 2, second.data());
  EXPECT_EQ(tg::read_png(path("a.png")).rgb, second);
  EXPECT_EQ(listing(), std::vector<std::string>{"a.png"});
}

TEST_F(Png, RejectsBadArguments) {
  const Bytes rgb(3, 0);
  for (auto [w, h] : {std::pair{0, 1}, {1, 0}, {-3, 2}, {70000, 1}, {10000, 10000}})
    EXPECT_THROW(tg::write_png(path("a.png"), w, h, rgb.data()), tg::Error) << w << "x" << h;
  EXPECT_THROW(tg::write_png(path("a.png"), 1, 1, nullptr), tg::Error);
  EXPECT_TRUE(listing().empty());
}

int count(const tg::Canvas& c, Color color) {
  int n = 0;
  for (int y = 0; y < c.height(); ++y)
    for (int x = 0; x < c.width(); ++x) n += c.pixel(x, y) == color;
  return n;
}

TEST(Canvas, SetPixelAndFillRectClipAndAreHalfOpen) {
  tg::Canvas c(6, 5, colors::blue);
  EXPECT_EQ(c.pixel(5, 4), colors::blue);
  c.set_pixel(-1, 0, colors::red);  // outside: ignored, no throw
  c.set_pixel(6, 0, colors::red);
  EXPECT_EQ(count(c, colors::red), 0);
  EXPECT_THROW(c.pixel(6, 0), tg::Error);
  EXPECT_THROW(c.pixel(0, -1), tg::Error);
  c.fill_rect(3, 4, 1, 1, colors::red);  // corners in either order: columns 1..2, rows 1..3
  EXPECT_EQ(count(c, colors::red), 6);
  EXPECT_EQ(c.pixel(1, 1), colors::red);
  EXPECT_EQ(c.pixel(2, 3), colors::red);
  EXPECT_EQ(c.pixel(3, 1), colors::blue);
  EXPECT_EQ(c.pixel(1, 4), colors::blue);
  c.fill_rect(-100, -100, 100, 1, colors::gray);  // clipped to row 0
  EXPECT_EQ(count(c, colors::gray), 6);
  EXPECT_THROW(tg::Canvas(0, 3), tg::Error);
}

TEST(Canvas, FillCircleCoversCentresWithinRadius) {
  tg::Canvas c(41, 41);
  c.fill_circle(20, 20, 5, colors::red);
  EXPECT_EQ(c.pixel(20, 20), colors::red);
  EXPECT_EQ(c.pixel(25, 20), colors::red);    // distance 5
  EXPECT_EQ(c.pixel(23, 23), colors::red);    // 4.24
  EXPECT_EQ(c.pixel(26, 20), colors::white);  // 6
  EXPECT_EQ(c.pixel(24, 24), colors::white);  // 5.66
  EXPECT_EQ(c.pixel(0, 0), colors::white);
  EXPECT_EQ(count(c, colors::red), 81);  // lattice points in a disc of radius 5
  c.fill_circle(0, 0, 3, colors::blue);  // clipped to a quarter disc
  EXPECT_EQ(count(c, colors::blue), 11);
  c.fill_circle(NAN, 3, 3, colors::black);              // non-finite input draws nothing
  c.fill_circle(-1e300, -1e300, 1e300, colors::black);  // misses the canvas: no overflow
  EXPECT_EQ(count(c, colors::black), 0);
  c.fill_circle(20, 20, 1e300, colors::black);
  EXPECT_EQ(count(c, colors::black), 41 * 41);
}

TEST(Canvas, DrawLineHasTheRequestedThickness) {
  tg::Canvas c(20, 20);
  c.draw_line(2, 5, 12, 5, colors::red);
  EXPECT_EQ(count(c, colors::red), 11);
  EXPECT_EQ(c.pixel(7, 4), colors::white);
  EXPECT_EQ(c.pixel(1, 5), colors::white);
  c.draw_line(7, 8, 7, 16, colors::blue, 3);  // a vertical bar 3 px wide, round caps
  EXPECT_EQ(c.pixel(6, 12), colors::blue);
  EXPECT_EQ(c.pixel(8, 12), colors::blue);
  EXPECT_EQ(c.pixel(5, 12), colors::white);
  EXPECT_EQ(c.pixel(7, 17), colors::blue);  // the cap, 1 px beyond the end
  EXPECT_EQ(c.pixel(7, 18), colors::white);
  tg::Canvas d(20, 20);
  d.draw_line(-100, -100, 100, 100, colors::black);  // the diagonal, clipped
  for (int i = 0; i < 20; ++i) EXPECT_EQ(d.pixel(i, i), colors::black);
  EXPECT_EQ(count(d, colors::black), 20);
  d.draw_line(0, INFINITY, 3, 3, colors::red);
  EXPECT_EQ(count(d, colors::red), 0);
}

TEST_F(Png, CanvasSavesWhatItShows) {
  tg::Canvas c(13, 9, colors::light_blue);
  c.fill_circle(6, 4, 3, colors::light_red);
  c.draw_line(0, 8, 12, 0, colors::black, 1.5);
  c.save_png(path("c.png"));
  const tg::PngImage img = tg::read_png(path("c.png"));
  ASSERT_EQ(img.width, 13);
  ASSERT_EQ(img.height, 9);
  for (int y = 0; y < 9; ++y)
    for (int x = 0; x < 13; ++x) {
      const std::uint8_t* p = &img.rgb[(y * 13 + x) * 3];
      EXPECT_EQ((Color{p[0], p[1], p[2]}), c.pixel(x, y)) << x << "," << y;
    }
}

TEST(Plot, ToPixelMapsCornersAndYPointsUp) {
  const tg::Plot p(200, 150, -1, 3, 10, 20);  // data area: columns 40..159, rows 40..109
  EXPECT_EQ(p.to_pixel(-1, 20), std::pair(40, 40));
  EXPECT_EQ(p.to_pixel(3, 20), std::pair(159, 40));
  EXPECT_EQ(p.to_pixel(-1, 10), std::pair(40, 109));
  EXPECT_EQ(p.to_pixel(3, 10), std::pair(159, 109));
  EXPECT_LT(p.to_pixel(1, 18).second, p.to_pixel(1, 12).second);
  EXPECT_LT(p.to_pixel(0, 15).first, p.to_pixel(2, 15).first);
  tg::Plot unit(90, 90, 0, 10, 0, 10);       // one data unit per pixel
  unit.scatter(2.5, 3.5, colors::red, 0.5);  // the middle of a pixel's cell: that pixel only
  EXPECT_EQ(count(unit.canvas(), colors::red), 1);
  EXPECT_EQ(unit.canvas().pixel(unit.to_pixel(2.5, 3.5).first, unit.to_pixel(2.5, 3.5).second),
            colors::red);
  EXPECT_EQ(unit.to_pixel(2.5, 3.5), std::pair(42, 46));
  EXPECT_THROW(tg::Plot(200, 150, 1, 1, 0, 1), tg::Error);
  EXPECT_THROW(tg::Plot(81, 150, 0, 1, 0, 1), tg::Error);
}

TEST(Plot, CellsTileTheDataAreaInsideAnIntactFrame) {
  tg::Plot p(200, 150, -1, 3, 10, 20);
  for (int i = 0; i < 7; ++i)  // 7 x 3 cells whose edges fall between pixel centres
    for (int j = 0; j < 3; ++j)
      p.fill_cell(-1 + i * 4.0 / 7, 10 + j * 10.0 / 3, -1 + (i + 1) * 4.0 / 7,
                  10 + (j + 1) * 10.0 / 3, (i + j) % 2 ? colors::light_red : colors::light_blue);
  const tg::Canvas& c = p.canvas();
  EXPECT_EQ(count(c, colors::light_red) + count(c, colors::light_blue), 120 * 70);
  for (int x = 39; x <= 160; ++x)
    EXPECT_TRUE(c.pixel(x, 39) == colors::black && c.pixel(x, 110) == colors::black);
  for (int y = 39; y <= 110; ++y)
    EXPECT_TRUE(c.pixel(39, y) == colors::black && c.pixel(160, y) == colors::black);
  EXPECT_EQ(c.pixel(0, 0), colors::white);
  EXPECT_EQ(c.pixel(40, 40), colors::light_blue);            // cell (0, 2): the top-left one
  EXPECT_EQ(c.pixel(159, 109), colors::light_blue);          // cell (6, 0): the bottom-right one
  const auto [px, py] = p.to_pixel(-1 + 1.5 * 4.0 / 7, 15);  // the centre of cell (1, 1)
  EXPECT_EQ(c.pixel(px, py), colors::light_blue);
  EXPECT_EQ(c.pixel(px, py + 30), colors::light_red);  // cell (1, 0), below it
}

TEST(Plot, ScatterAndLineClipToTheDataRange) {
  tg::Plot p(200, 150, -1, 3, 10, 20);
  const tg::Canvas before = p.canvas();
  p.scatter(3.2, 15, colors::red);  // just outside the range: not drawn
  p.scatter(1, NAN, colors::red);
  EXPECT_EQ(count(p.canvas(), colors::red), 0);
  p.scatter(1, 15, colors::blue);
  const auto [px, py] = p.to_pixel(1, 15);
  EXPECT_EQ(p.canvas().pixel(px, py), colors::blue);
  EXPECT_EQ(p.canvas().pixel(px + 8, py), colors::white);
  p.line(-10, 12, 10, 12, colors::red);  // crosses the whole range and beyond
  const int row = p.to_pixel(0, 12).second;
  EXPECT_EQ(p.canvas().pixel(100, row), colors::red);
  EXPECT_EQ(p.canvas().pixel(39, row), colors::black);  // the frame stays on top
  EXPECT_EQ(p.canvas().pixel(20, row), colors::white);  // nothing in the margins
  EXPECT_EQ(p.canvas().pixel(180, row), colors::white);
  EXPECT_EQ(count(p.canvas(), colors::black), count(before, colors::black));
}

}  // namespace

TEST(Canvas, TextDrawsThreeByFiveGlyphs) {
  tg::Canvas c(20, 8, tg::colors::white);
  c.draw_text(1, 1, "1L", tg::colors::black);
  // '1' is 010 / 110 / 010 / 010 / 111, 'L' starts 4 pixels further right with its left column.
  const char* expected[5] = {".#..#", "##..#", ".#..#", ".#..#", "###.###"};
  for (int r = 0; r < 5; ++r)
    for (int x = 0; expected[r][x]; ++x)
      EXPECT_EQ(c.pixel(1 + x, 1 + r) == tg::colors::black, expected[r][x] == '#') << "row " << r << " col " << x;
  EXPECT_EQ(tg::Canvas::text_width("1L"), 7);
  EXPECT_EQ(tg::Canvas::text_width("ab", 2), 14);
  EXPECT_EQ(c.pixel(0, 0), tg::colors::white);
}
