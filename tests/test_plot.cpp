// The plot component (plot/): nice ticks, axis ranges from the data, and rendered charts read
// back with cairo and checked pixel by pixel.
#include <gtest/gtest.h>

#include <cairo-ft.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "picture.h"
#include "plot/line_chart.h"
#include "tensorgraph/error.h"
#include "temp_dir.h"

using namespace tg::plot;
using tg::testing::Picture;
using tg::testing::read_picture;

namespace {

bool is_round_step(double step) {  // 1, 2 or 5 x 10^k
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  return std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 || std::fabs(mantissa - 5) < 1e-9;
}

int distance(Color a, Color b) { return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b); }

double luminance(Color c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; }

// Pixels darker than `below` in the box [x0, x1) x [y0, y1).
int dark_pixels(const Picture& p, int x0, int y0, int x1, int y1, double below = 110) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += luminance(p.at(x, y)) < below;
  return n;
}

// An accuracy curve between 85% and 92%, as `tensorgraph train` draws it.
LineChart accuracy_chart() {
  LineChart spec{.title = "Accuracy per epoch", .x_title = "epoch", .y_title = "accuracy (%)", .whole_x = true};
  spec.series.push_back({"train", {1, 2, 3, 4}, {85.3, 88.1, 90.2, 91.8}, colors::blue, Marker::circle});
  spec.series.push_back({"validation", {1, 2, 3, 4}, {85.0, 86.9, 87.8, 88.4}, colors::orange, Marker::square});
  return spec;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST(NiceTicks, RoundStepsInsideTheRange) {
  EXPECT_DOUBLE_EQ(nice_step({0, 1}, 5), 0.2);
  EXPECT_DOUBLE_EQ(nice_step({0, 1}, 10), 0.1);
  EXPECT_DOUBLE_EQ(nice_step({0, 100}, 4), 50);
  EXPECT_DOUBLE_EQ(nice_step({0.84975, 0.92125}, 8), 0.01);
  const std::vector<double> t = nice_ticks({0.84975, 0.92125}, 8);
  ASSERT_EQ(t.size(), 8u);  // 0.85, 0.86, ..., 0.92: 7 steps of 0.01 across the range, at most 8
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_NEAR(t[i], 0.85 + 0.01 * static_cast<double>(i), 1e-12);
  const std::vector<double> sym = nice_ticks({-2, 2}, 4);
  ASSERT_EQ(sym, (std::vector<double>{-2, -1, 0, 1, 2}));  // the ends of the range are ticks
  EXPECT_FALSE(std::signbit(sym[2]));                     // 0, not -0 (which would print "-0")
  EXPECT_EQ(nice_ticks({0, 0.3}, 3).back(), 0.30000000000000004);  // 3 * 0.1, kept despite rounding
}

TEST(NiceTicks, WholeNumbersOnACountAxis) {
  EXPECT_EQ(nice_ticks({0.55, 10.45}, 10, true), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(nice_ticks({0.55, 10.45}, 5, true), (std::vector<double>{2, 4, 6, 8, 10}));
  EXPECT_EQ(nice_ticks({0.5, 1.5}, 8, true), (std::vector<double>{1}));  // one epoch: no 0.8, 1.2
  EXPECT_EQ(nice_ticks({0.9, 3.1}, 8, true), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(nice_ticks({0.9, 3.1}, 8, false), (std::vector<double>{1, 1.5, 2, 2.5, 3}));  // not whole
}

TEST(NiceTicks, NeverMoreThanAskedOverManyRanges) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-8, 8), unit(0, 1);
  for (int i = 0; i < 20000; ++i) {
    const double e = exponent(rng);
    const double lo = (unit(rng) - 0.5) * std::pow(10.0, e + 6 * (unit(rng) - 0.5));
    const double hi = lo + std::pow(10.0, e) * (0.01 + unit(rng));  // spans at least 2e-5 of |lo|
    const int most = 2 + i % 12;
    const bool whole = i % 3 == 0;
    const double step = nice_step({lo, hi}, most, whole);
    ASSERT_TRUE(is_round_step(step)) << step;
    ASSERT_LE((hi - lo) / step, most * (1 + 1e-9)) << lo << " " << hi << " " << most;
    ASSERT_LE(nice_ticks({lo, hi}, most, whole).size(), static_cast<std::size_t>(most) + 1);
    if (whole) {
      ASSERT_GE(step, 1);
    }
    for (double t : nice_ticks({lo, hi}, most, whole)) {
      ASSERT_GE(t, lo - 1e-9 * step);
      ASSERT_LE(t, hi + 1e-9 * step);
      ASSERT_NEAR(t / step, std::round(t / step), 1e-6 * std::max(1.0, std::fabs(t / step)));
    }
  }
}

TEST(NiceTicks, ARangeOfAFewUlpEnds) {
  const double lo = 5e7;
  const Range r{lo, std::nextafter(std::nextafter(lo, 1e9), 1e9)};
  EXPECT_LE(nice_ticks(r, 6).size(), 7u);  // stepping by 1e-9 from 5e16 steps would never arrive
  const std::vector<double> nearly_equal{0.1, std::nextafter(0.1, 1.0), std::nextafter(0.1, 0.0)};
  EXPECT_NEAR(data_range(nearly_equal).lo, 0.095, 1e-12);  // one value, +-5%
}

TEST(NiceTicks, AnEmptyOrNonFiniteRangeIsAnError) {
  EXPECT_THROW(nice_step({1, 1}, 5), tg::Error);
  EXPECT_THROW(nice_step({2, 1}, 5), tg::Error);
  EXPECT_THROW(nice_step({0, INFINITY}, 5), tg::Error);
  EXPECT_THROW(nice_step({0, NAN}, 5), tg::Error);
  EXPECT_THROW(nice_step({0, 1}, 0), tg::Error);
}

TEST(DataRange, FitsTheFiniteValuesWithAMargin) {
  const std::vector<double> acc{0.853, NAN, 0.871, INFINITY, 0.918, -INFINITY};
  const Range r = data_range(acc);
  EXPECT_NEAR(r.lo, 0.853 - 0.05 * 0.065, 1e-12);
  EXPECT_NEAR(r.hi, 0.918 + 0.05 * 0.065, 1e-12);
  const std::vector<double> one{0.5}, zero{0}, epoch{1}, none{NAN};
  EXPECT_NEAR(data_range(one).lo, 0.475, 1e-12);
  EXPECT_NEAR(data_range(one).hi, 0.525, 1e-12);
  EXPECT_EQ(data_range(zero).lo, -0.5);
  EXPECT_EQ(data_range(epoch, 0.05, true).lo, 0.5);
  EXPECT_EQ(data_range(epoch, 0.05, true).hi, 1.5);
  EXPECT_EQ(data_range(none).lo, 0);
  EXPECT_EQ(data_range(none).hi, 1);
  const std::vector<double> extreme{-1.7e308, 1.7e308};  // a diverging loss: the span stays finite
  EXPECT_NO_THROW(nice_ticks(data_range(extreme), 5));
}

TEST(TickLabel, AsManyDecimalsAsTheStepNeeds) {
  EXPECT_EQ(tick_label(0.86, 0.02), "0.86");
  EXPECT_EQ(tick_label(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(tick_label(3, 1), "3");
  EXPECT_EQ(tick_label(2, 0.5), "2.0");
  EXPECT_EQ(tick_label(150, 50), "150");
  EXPECT_EQ(tick_label(-1e-17, 0.1), "0.0");  // not "-0.0"
  EXPECT_EQ(tick_label(1e9, 5e8), "1e+09");
  EXPECT_EQ(tick_label(2.5e-5, 5e-6), "2.5e-05");
}

TEST(LineChart, TheDataFillsTheAxesInsteadOfALineAtTheTop) {
  const Drawn d = draw_line_chart(accuracy_chart());
  const Chart& c = d.chart;
  EXPECT_GT(c.y_axis().range.lo, 84);
  EXPECT_LT(c.y_axis().range.hi, 93);
  // 85.0 .. 91.8 spans 90% of the data area's height (5% margins), not 7% of a 0-100 axis.
  EXPECT_NEAR((c.py(85.0) - c.py(91.8)) / c.area().height(), 1 / 1.1, 1e-9);
  EXPECT_EQ(c.y_ticks(), (std::vector<double>{85, 86, 87, 88, 89, 90, 91, 92}));
  EXPECT_EQ(c.x_ticks(), (std::vector<double>{1, 2, 3, 4}));  // whole epochs only
  EXPECT_LT(c.px(1), c.px(4));
  EXPECT_GT(c.py(85.0), c.py(91.8));  // y points up
}

TEST(LineChart, RenderedPixelsAreWhereTheDataMaps) {
  const std::string path = tg::testing::temp_path("accuracy.png");
  const LineChart spec = accuracy_chart();
  const Drawn d = draw_line_chart(spec);
  d.figure.save_png(path);
  EXPECT_EQ(slurp(path), d.figure.png());  // the bytes cairo encoded, written whole
  const Picture p = read_picture(path);
  ASSERT_EQ(p.width, spec.width);
  ASSERT_EQ(p.height, spec.height);
  const Chart& c = d.chart;
  for (const Series& s : spec.series)
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      // The marker's centre is the series colour, exactly.
      const int x = static_cast<int>(c.px(s.x[i])), y = static_cast<int>(c.py(s.y[i]));
      EXPECT_EQ(p.at(x, y), s.color) << s.label << " point " << i;
      if (i == 0) continue;
      // Midway between two points lies the line: within a pixel, a pixel close to its colour.
      const double mx = c.px((s.x[i - 1] + s.x[i]) / 2), my = c.py((s.y[i - 1] + s.y[i]) / 2);
      int nearest = 999;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx)
          nearest = std::min(nearest, distance(p.at(static_cast<int>(mx) + dx, static_cast<int>(my) + dy), s.color));
      EXPECT_LT(nearest, 60) << s.label << " segment " << i;
      // And 15 px above it, nothing but the white background or a grey grid line.
      const Color above = p.at(static_cast<int>(mx), static_cast<int>(my) - 15);
      EXPECT_TRUE(above == colors::white || above == colors::grid_gray) << int(above.r) << "," << int(above.g);
    }
}

TEST(LineChart, LinesAreAntiAliased) {
  const std::string path = tg::testing::temp_path("aa.png");
  const Drawn d = draw_line_chart(accuracy_chart());
  d.figure.save_png(path);
  const Picture p = read_picture(path);
  // Along the train line's sloped first segment, pixels between blue and white: partial
  // coverage blended (a jagged line has only the two colours).
  const Chart& c = d.chart;
  int blends = 0, solid = 0;
  for (int x = static_cast<int>(c.px(1.2)); x < static_cast<int>(c.px(1.8)); ++x)
    for (int y = static_cast<int>(c.py(88.1)) - 5; y < static_cast<int>(c.py(85.3)) + 5; ++y) {
      const Color q = p.at(x, y);
      if (q == colors::blue) ++solid;
      // On the segment from blue to white: each channel the same fraction of the way.
      const double t = (255.0 - q.r) / (255 - colors::blue.r);
      if (t > 0.1 && t < 0.9 && std::fabs(255 - t * (255 - colors::blue.g) - q.g) < 4 &&
          std::fabs(255 - t * (255 - colors::blue.b) - q.b) < 4)
        ++blends;
    }
  EXPECT_GT(blends, 100);
  EXPECT_GT(solid, 0);
}

TEST(LineChart, TitleLegendTickLabelsAndAxisTitlesAreText) {
  const std::string path = tg::testing::temp_path("text.png");
  const Drawn d = draw_line_chart(accuracy_chart());
  d.figure.save_png(path);
  const Picture p = read_picture(path);
  const Box a = d.chart.area();
  const int top = static_cast<int>(a.top), left = static_cast<int>(a.left);
  const int right = static_cast<int>(a.right), bottom = static_cast<int>(a.bottom);
  // The title at the top left, the legend's labels at the top right: dark text pixels.
  EXPECT_GT(dark_pixels(p, left, 0, left + 150, top - 4), 150);
  EXPECT_GT(dark_pixels(p, right - 150, 0, right, top - 4), 100);
  // The legend's line samples in the series' colours.
  int blue = 0, orange = 0;
  for (int y = 0; y < top; ++y)
    for (int x = right - 250; x < right; ++x) {
      blue += p.at(x, y) == colors::blue;
      orange += p.at(x, y) == colors::orange;
    }
  EXPECT_GT(blue, 20);
  EXPECT_GT(orange, 20);
  // Each y tick's label: dark pixels left of the frame at its height; each x tick's below it.
  for (double v : d.chart.y_ticks()) {
    const int y = static_cast<int>(d.chart.py(v));
    EXPECT_GT(dark_pixels(p, left - 40, y - 6, left - 8, y + 7, 160), 10) << v;
  }
  for (double v : d.chart.x_ticks()) {
    const int x = static_cast<int>(d.chart.px(v));
    EXPECT_GT(dark_pixels(p, x - 8, bottom + 8, x + 8, bottom + 24, 160), 5) << v;
  }
  // Between the tick labels nothing is written (they do not run into each other).
  EXPECT_EQ(dark_pixels(p, static_cast<int>(d.chart.px(1.5)) - 3, bottom + 8, static_cast<int>(d.chart.px(1.5)) + 3,
                        bottom + 24, 160), 0);
  // The axis titles: "epoch" centred below the tick labels, "accuracy (%)" turned upwards left of them.
  EXPECT_GT(dark_pixels(p, (left + right) / 2 - 30, bottom + 28, (left + right) / 2 + 30, p.height), 60);
  EXPECT_GT(dark_pixels(p, 0, (top + bottom) / 2 - 50, left - 28, (top + bottom) / 2 + 50), 60);
  // Nothing dark in a plain part of the data area.
  EXPECT_EQ(dark_pixels(p, static_cast<int>(d.chart.px(3.2)), static_cast<int>(d.chart.py(86.8)),
                        static_cast<int>(d.chart.px(3.8)), static_cast<int>(d.chart.py(86.2))), 0);
}

TEST(LineChart, TextIsSetInDejaVuSans) {
  Figure f(100, 50);
  f.text(10, 30, "epoch");
  cairo_scaled_font_t* font = cairo_get_scaled_font(f.cairo());
  ASSERT_EQ(cairo_scaled_font_get_type(font), CAIRO_FONT_TYPE_FT);
  FT_Face face = cairo_ft_scaled_font_lock_face(font);
  ASSERT_NE(face, nullptr);
  const std::string family = face->family_name;
  cairo_ft_scaled_font_unlock_face(font);
  EXPECT_EQ(family, "DejaVu Sans");  // fontconfig found it, no substitute
}

TEST(LineChart, ANonFiniteValueBreaksTheLineAndIsLeftOut) {
  LineChart spec{.title = "Loss per epoch", .x_title = "epoch", .y_title = "loss (nats)", .whole_x = true};
  spec.series.push_back({"train", {1, 2, 3, 4, 5}, {0.6, 0.4, NAN, 0.3, INFINITY}, colors::blue});
  const Drawn d = draw_line_chart(spec);
  EXPECT_NEAR(d.chart.y_axis().range.hi, 0.6 + 0.05 * 0.3, 1e-12);  // the finite values decide
  EXPECT_NEAR(d.chart.x_axis().range.hi, 5 + 0.05 * 4, 1e-12);       // every epoch stays on the axis
  const std::string path = tg::testing::temp_path("gap.png");
  d.figure.save_png(path);
  const Picture p = read_picture(path);
  // No line from (2, 0.4) to (4, 0.3) through the NaN: the pixel midway is background.
  const Color mid = p.at(static_cast<int>(d.chart.px(3)), static_cast<int>(d.chart.py(0.35)));
  EXPECT_TRUE(mid == colors::white || mid == colors::grid_gray);
  EXPECT_EQ(p.at(static_cast<int>(d.chart.px(4)), static_cast<int>(d.chart.py(0.3))), colors::blue);
  // With no finite value at all there is still a picture of the epochs, on a 0-1 axis, that says so.
  LineChart empty = spec;
  empty.series[0].y.assign(5, NAN);
  const Drawn e = draw_line_chart(empty);
  EXPECT_EQ(e.chart.y_axis().range.hi, 1);
  EXPECT_EQ(e.chart.x_ticks(), (std::vector<double>{1, 2, 3, 4, 5}));
  e.figure.save_png(path);
  const int cx = static_cast<int>((e.chart.area().left + e.chart.area().right) / 2);
  const int cy = static_cast<int>((e.chart.area().top + e.chart.area().bottom) / 2);
  EXPECT_GT(dark_pixels(read_picture(path), cx - 60, cy - 8, cx + 60, cy + 8), 100);
}

TEST(Chart, CellsKeepTheirExactColours) {
  Figure f(300, 300);
  const Chart c(Chart::area_for(300, 300), {"x", {0, 2}}, {"y", {0, 2}});
  const Color colours[] = {colors::light_red, colors::light_blue, colors::light_blue, colors::light_red};
  c.cells(f, {0, 2}, {0, 2}, 2, 2, colours);  // row 0 (light red, light blue) at the bottom
  const std::string path = tg::testing::temp_path("cells.png");
  f.save_png(path);
  const Picture p = read_picture(path);
  auto at = [&](double x, double y) { return p.at(static_cast<int>(c.px(x)), static_cast<int>(c.py(y))); };
  EXPECT_EQ(at(0.5, 0.5), colors::light_red);
  EXPECT_EQ(at(1.5, 0.5), colors::light_blue);
  EXPECT_EQ(at(0.5, 1.5), colors::light_blue);
  EXPECT_EQ(at(1.5, 1.5), colors::light_red);
  EXPECT_EQ(at(0.98, 0.02), colors::light_red);  // sharp up to the cell's edge
  EXPECT_EQ(at(1.02, 0.02), colors::light_blue);
  EXPECT_THROW(c.cells(f, {0, 2}, {0, 2}, 3, 2, colours), tg::Error);
}

TEST(Figure, BadSizesAndUnwritablePathsAreErrors) {
  EXPECT_THROW(Figure(0, 10), tg::Error);
  EXPECT_THROW(Figure(10, -1), tg::Error);
  EXPECT_THROW(Figure(1 << 20, 10), tg::Error);
  Figure f(10, 10);
  const std::string path = tg::testing::temp_path("no/such/folder/x.png");
  try {
    f.save_png(path);
    FAIL() << "wrote " << path;
  } catch (const tg::IoError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(f.png().substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}
