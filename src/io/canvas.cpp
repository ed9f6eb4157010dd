// Rasterisation by coverage tests on pixel centres: a pixel is painted when its centre falls in the
// shape. No anti-aliasing, so tests can assert exact colours.
#include "tensorgraph/canvas.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>

#include "tensorgraph/error.h"
#include "tensorgraph/png.h"

namespace tg {
namespace {

bool finite(std::initializer_list<double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// The indices i in [0, n) with lo <= i <= hi, as [first, last]; empty when first > last.
// NOTE: clamping before the cast keeps huge coordinates from overflowing int.
std::pair<int, int> centres_in(double lo, double hi, int n) {
  return {static_cast<int>(std::clamp(std::ceil(lo), 0.0, static_cast<double>(n))),
          static_cast<int>(std::clamp(std::floor(hi), -1.0, n - 1.0))};
}

// The indices i in [first, last] with lo <= i < hi, as [begin, end): two cells sharing an edge
// cover disjoint pixels, so a grid of cells tiles the data area without gaps or overlaps.
std::pair<int, int> centres_in_half_open(double lo, double hi, int first, int last) {
  auto cut = [&](double v) {
    return static_cast<int>(std::clamp(std::ceil(v), static_cast<double>(first), last + 1.0));
  };
  return {cut(lo), cut(hi)};
}

// Tick values at 1, 2 or 5 x 10^k spacing, at most about 7 of them in [lo, hi].
std::vector<double> nice_ticks(double lo, double hi) {
  const double raw = (hi - lo) / 6, mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {2.0, 5.0, 10.0}) {
    if (step < raw) step = m * mag;
  }
  std::vector<double> ticks;
  for (double k = std::ceil(lo / step); k * step <= hi && ticks.size() < 20; ++k) {
    ticks.push_back(k * step);
  }
  return ticks;
}

}  // namespace

Canvas::Canvas(int width, int height, Color background) : width_(width), height_(height) {
  if (width <= 0 || height <= 0 || width > kPngMaxSide || height > kPngMaxSide ||
      std::int64_t{width} * height > kPngMaxPixels) {
    throw Error("Canvas: size " + std::to_string(width) + "x" + std::to_string(height) +
                " is not positive or exceeds kPngMaxSide/kPngMaxPixels");
  }
  rgb_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  for (std::size_t i = 0; i < rgb_.size(); i += 3) {
    rgb_[i] = background.r;
    rgb_[i + 1] = background.g;
    rgb_[i + 2] = background.b;
  }
}

Color Canvas::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) {
    throw Error("Canvas::pixel(" + std::to_string(x) + ", " + std::to_string(y) +
                ") is outside the " + std::to_string(width_) + "x" + std::to_string(height_) +
                " canvas");
  }
  const std::uint8_t* p = &rgb_[(static_cast<std::size_t>(y) * width_ + x) * 3];
  return {p[0], p[1], p[2]};
}

void Canvas::set_pixel(int x, int y, Color c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  std::uint8_t* p = &rgb_[(static_cast<std::size_t>(y) * width_ + x) * 3];
  p[0] = c.r;
  p[1] = c.g;
  p[2] = c.b;
}

void Canvas::fill_rect(int x0, int y0, int x1, int y1, Color c) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  for (int y = std::max(y0, 0); y < std::min(y1, height_); ++y) {
    for (int x = std::max(x0, 0); x < std::min(x1, width_); ++x) set_pixel(x, y, c);
  }
}

void Canvas::fill_circle(double cx, double cy, double radius, Color c) {
  if (!finite({cx, cy, radius}) || radius < 0) return;  // NaN data draws nothing, as in matplotlib
  const auto [xa, xb] = centres_in(cx - radius, cx + radius, width_);
  const auto [ya, yb] = centres_in(cy - radius, cy + radius, height_);
  for (int y = ya; y <= yb; ++y) {
    for (int x = xa; x <= xb; ++x) {
      if (std::hypot(x - cx, y - cy) <= radius) set_pixel(x, y, c);  // hypot: no overflow
    }
  }
}

void Canvas::draw_line(double x0, double y0, double x1, double y1, Color c, double thickness) {
  if (!finite({x0, y0, x1, y1, thickness}) || thickness <= 0) return;
  const double h = thickness / 2, dx = x1 - x0, dy = y1 - y0, len = std::hypot(dx, dy);
  const auto [xa, xb] = centres_in(std::min(x0, x1) - h, std::max(x0, x1) + h, width_);
  const auto [ya, yb] = centres_in(std::min(y0, y1) - h, std::max(y0, y1) + h, height_);
  for (int y = ya; y <= yb; ++y) {
    for (int x = xa; x <= xb; ++x) {
      // t: the parameter of the point of the segment nearest to the pixel centre.
      const double along = (x - x0) * (dx / len) + (y - y0) * (dy / len);
      const double t = len > 0 ? std::clamp(along / len, 0.0, 1.0) : 0;
      if (std::hypot(x0 + t * dx - x, y0 + t * dy - y) <= h) set_pixel(x, y, c);
    }
  }
}

void Canvas::save_png(const std::string& path) const {
  write_png(path, width_, height_, rgb_.data());
}

Plot::Plot(int width, int height, double xmin, double xmax, double ymin, double ymax)
    : canvas_(width, height),
      xmin_(xmin),
      xmax_(xmax),
      ymin_(ymin),
      ymax_(ymax),
      left_(kMargin),
      top_(kMargin),
      right_(width - kMargin - 1),
      bottom_(height - kMargin - 1) {
  if (!finite({xmin, xmax, ymin, ymax, xmax - xmin, ymax - ymin}) || !(xmin < xmax) ||
      !(ymin < ymax)) {
    throw Error("Plot: data range x in [" + std::to_string(xmin) + ", " + std::to_string(xmax) +
                "], y in [" + std::to_string(ymin) + ", " + std::to_string(ymax) +
                "] is empty or not finite");
  }
  if (right_ <= left_ || bottom_ <= top_) {
    throw Error("Plot: a " + std::to_string(width) + "x" + std::to_string(height) +
                " canvas leaves no data area inside the " + std::to_string(kMargin) +
                " px margins; expected at least " + std::to_string(2 * kMargin + 2) + " per side");
  }
  draw_axes();
}

// Data x -> continuous column: [xmin, xmax] spans the data area's pixels edge to edge.
double Plot::col(double x) const {
  return left_ - 0.5 + (x - xmin_) / (xmax_ - xmin_) * (right_ - left_ + 1);
}

// Data y -> continuous row, flipped so that y points up.
double Plot::row(double y) const {
  return bottom_ + 0.5 - (y - ymin_) / (ymax_ - ymin_) * (bottom_ - top_ + 1);
}

std::pair<int, int> Plot::to_pixel(double x, double y) const {
  if (!finite({x, y})) throw Error("Plot::to_pixel: the point is not finite");
  // Nearest pixel centre, except that xmax (ymax) belongs to the last column (top row).
  auto index = [](double v, double lo, double hi, int first, int last) {
    double i = first + std::floor((v - lo) / (hi - lo) * (last - first + 1));
    if (v >= lo && v <= hi) i = std::min(i, static_cast<double>(last));
    return static_cast<int>(std::clamp(i, -1e9, 1e9));
  };
  return {index(x, xmin_, xmax_, left_, right_),
          top_ + bottom_ - index(y, ymin_, ymax_, top_, bottom_)};
}

void Plot::fill_cell(double x0, double y0, double x1, double y1, Color c) {
  if (!finite({x0, y0, x1, y1})) return;
  const auto [xa, xb] =
      centres_in_half_open(std::min(col(x0), col(x1)), std::max(col(x0), col(x1)), left_, right_);
  const auto [ya, yb] =
      centres_in_half_open(std::min(row(y0), row(y1)), std::max(row(y0), row(y1)), top_, bottom_);
  canvas_.fill_rect(xa, ya, xb, yb, c);
}

void Plot::scatter(double x, double y, Color c, double radius_px) {
  if (!(x >= xmin_ && x <= xmax_ && y >= ymin_ && y <= ymax_)) return;  // also drops NaN
  canvas_.fill_circle(col(x), row(y), radius_px, c);
  keep_frame_on_top(col(x), row(y), col(x), row(y), radius_px);
}

void Plot::line(double x0, double y0, double x1, double y1, Color c, double thickness) {
  if (!finite({x0, y0, x1, y1})) return;
  // Liang-Barsky: keep the t in [t0, t1] for which p0 + t (p1 - p0) lies inside the data range.
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - xmin_, xmax_ - x0, y0 - ymin_, ymax_ - y0};
  double t0 = 0, t1 = 1;
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0 && q[k] < 0) return;  // parallel to this edge and outside it
    if (p[k] < 0) t0 = std::max(t0, q[k] / p[k]);
    if (p[k] > 0) t1 = std::min(t1, q[k] / p[k]);
  }
  if (t0 > t1) return;
  const double c0 = col(x0 + t0 * dx), r0 = row(y0 + t0 * dy);
  const double c1 = col(x0 + t1 * dx), r1 = row(y0 + t1 * dy);
  canvas_.draw_line(c0, r0, c1, r1, c, thickness);
  keep_frame_on_top(c0, r0, c1, r1, thickness / 2);
}

// As in matplotlib, the frame is drawn over the data: redraw it when a shape reached it.
void Plot::keep_frame_on_top(double c0, double r0, double c1, double r1, double reach) {
  if (std::min(c0, c1) - reach < left_ || std::max(c0, c1) + reach > right_ ||
      std::min(r0, r1) - reach < top_ || std::max(r0, r1) + reach > bottom_) {
    draw_axes();
  }
}

void Plot::draw_axes() {
  // The frame lies one pixel outside the data area, so cells filled later leave it intact.
  canvas_.fill_rect(left_ - 1, top_ - 1, right_ + 2, top_, colors::black);
  canvas_.fill_rect(left_ - 1, bottom_ + 1, right_ + 2, bottom_ + 2, colors::black);
  canvas_.fill_rect(left_ - 1, top_ - 1, left_, bottom_ + 2, colors::black);
  canvas_.fill_rect(right_ + 1, top_ - 1, right_ + 2, bottom_ + 2, colors::black);
  // Ticks 5 px long, pointing out of the frame.
  // Each tick labelled with its value (%g, 4 significant digits) in the margin.
  auto label = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", std::fabs(v) < 1e-12 ? 0.0 : v);
    return std::string(buf);
  };
  for (double v : nice_ticks(xmin_, xmax_)) {
    const int x = to_pixel(v, ymin_).first;
    canvas_.fill_rect(x, bottom_ + 2, x + 1, bottom_ + 7, colors::black);
    canvas_.draw_text(x - Canvas::text_width(label(v)) / 2, bottom_ + 10, label(v), colors::black);
  }
  for (double v : nice_ticks(ymin_, ymax_)) {
    const int y = to_pixel(xmin_, v).second;
    canvas_.fill_rect(left_ - 6, y, left_ - 1, y + 1, colors::black);
    canvas_.draw_text(left_ - 9 - Canvas::text_width(label(v)), y - 2, label(v), colors::black);
  }
}

}  // namespace tg
