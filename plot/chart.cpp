#include "plot/chart.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "tensorgraph/error.h"

namespace tg::plot {
namespace {
constexpr double kTickSize = 13, kTitleSize = 14;
// NOTE: a line's pixel centre (n + 0.5) makes a 1 px line one pixel wide instead of two grey ones.
double crisp(double v) { return std::floor(v) + 0.5; }
}  // namespace

Chart::Chart(Box area, Axis x, Axis y) : area_(area), x_(std::move(x)), y_(std::move(y)) {
  if (!(area.width() >= 10 && area.height() >= 10))
    throw Error("Chart: the data area " + std::to_string(area.width()) + " x " + std::to_string(area.height()) +
                " px is too small (10 x 10 at least)");
  // NOTE: about 90 px per x label and 45 px per y label keep labels of a few digits apart.
  x_ticks_ = nice_ticks(x_.range, std::max(2, static_cast<int>(area.width() / 90)), x_.whole);
  y_ticks_ = nice_ticks(y_.range, std::max(2, static_cast<int>(area.height() / 45)), y_.whole);
}

Box Chart::area_for(int width, int height) { return {84, 56, width - 28.0, height - 62.0}; }

void Chart::clip(Figure& f) const {
  cairo_rectangle(f.cairo(), area_.left, area_.top, area_.width(), area_.height());
  cairo_clip(f.cairo());
}

void Chart::draw_grid(Figure& f) const {
  cairo_t* cr = f.cairo();
  cairo_save(cr);
  f.set_color(colors::grid_gray);
  cairo_set_line_width(cr, 1);
  for (double v : x_ticks_) {
    cairo_move_to(cr, crisp(px(v)), area_.top);
    cairo_line_to(cr, crisp(px(v)), area_.bottom);
  }
  for (double v : y_ticks_) {
    cairo_move_to(cr, area_.left, crisp(py(v)));
    cairo_line_to(cr, area_.right, crisp(py(v)));
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

void Chart::draw_axes(Figure& f) const {
  cairo_t* cr = f.cairo();
  cairo_save(cr);
  // The frame one pixel outside the data area, and tick marks 5 px long pointing out of it.
  f.stroke_rect({area_.left - 0.5, area_.top - 0.5, area_.right + 0.5, area_.bottom + 0.5}, colors::dark_gray);
  for (double v : x_ticks_) {
    cairo_move_to(cr, crisp(px(v)), area_.bottom + 1);
    cairo_line_to(cr, crisp(px(v)), area_.bottom + 6);
  }
  for (double v : y_ticks_) {
    cairo_move_to(cr, area_.left - 1, crisp(py(v)));
    cairo_line_to(cr, area_.left - 6, crisp(py(v)));
  }
  cairo_stroke(cr);
  cairo_restore(cr);
  const TextStyle tick{.size = kTickSize, .color = colors::dark_gray};
  const double x_step = x_ticks_.size() > 1 ? x_ticks_[1] - x_ticks_[0] : nice_step(x_.range, 2, x_.whole);
  const double y_step = y_ticks_.size() > 1 ? y_ticks_[1] - y_ticks_[0] : nice_step(y_.range, 2, y_.whole);
  for (double v : x_ticks_)
    f.text(px(v), area_.bottom + 9, tick_label(v, x_step), {.size = kTickSize, .color = tick.color,
                                                            .h = HAlign::center, .v = VAlign::top});
  double widest = 0;
  for (double v : y_ticks_) {
    const std::string label = tick_label(v, y_step);
    widest = std::max(widest, f.text_width(label, tick));
    f.text(area_.left - 9, py(v), label, {.size = kTickSize, .color = tick.color, .h = HAlign::right,
                                          .v = VAlign::middle});
  }
  f.text((area_.left + area_.right) / 2, area_.bottom + 9 + 1.3 * kTickSize + 6, x_.title,
         {.size = kTitleSize, .h = HAlign::center, .v = VAlign::top});
  f.text(area_.left - 9 - widest - 8, (area_.top + area_.bottom) / 2, y_.title,
         {.size = kTitleSize, .h = HAlign::center, .v = VAlign::bottom, .angle = -std::numbers::pi / 2});
}

void Chart::line(Figure& f, std::span<const double> x, std::span<const double> y, Color c, double width) const {
  cairo_t* cr = f.cairo();
  cairo_save(cr);
  clip(f);
  cairo_set_line_width(cr, width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  bool open = false;
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      open = false;
      continue;
    }
    // NOTE: clamped so that a huge value beside the range still draws a line off the area.
    const double a = std::clamp(px(x[i]), -1e6, 1e6), b = std::clamp(py(y[i]), -1e6, 1e6);
    open ? cairo_line_to(cr, a, b) : cairo_move_to(cr, a, b);
    open = true;
  }
  f.set_color(c);
  cairo_stroke(cr);
  cairo_restore(cr);
}

void draw_marker(Figure& f, double x, double y, Color c, Marker m, double radius, Color edge) {
  if (m == Marker::none) return;
  cairo_t* cr = f.cairo();
  cairo_new_path(cr);
  if (m == Marker::circle) cairo_arc(cr, x, y, radius, 0, 2 * std::numbers::pi);
  else cairo_rectangle(cr, x - radius, y - radius, 2 * radius, 2 * radius);
  f.set_color(c);
  cairo_fill_preserve(cr);
  f.set_color(edge);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}

void Chart::markers(Figure& f, std::span<const double> x, std::span<const double> y, Color c, Marker m, double radius,
                    Color edge) const {
  cairo_save(f.cairo());
  clip(f);
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i]) && std::fabs(px(x[i])) < 1e6 && std::fabs(py(y[i])) < 1e6)
      draw_marker(f, px(x[i]), py(y[i]), c, m, radius, edge);
  cairo_restore(f.cairo());
}

void Chart::cells(Figure& f, Range x, Range y, int cols, int rows, std::span<const Color> c) const {
  if (cols <= 0 || rows <= 0 || c.size() != static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows))
    throw Error("Chart::cells: " + std::to_string(c.size()) + " colours for " + std::to_string(cols) + " x " +
                std::to_string(rows) + " cells");
  std::vector<Color> top_first(c.size());  // Figure::pixels takes the top row first
  for (int r = 0; r < rows; ++r)
    std::copy_n(c.begin() + static_cast<std::ptrdiff_t>(r) * cols, cols,
                top_first.begin() + static_cast<std::ptrdiff_t>(rows - 1 - r) * cols);
  cairo_save(f.cairo());
  clip(f);
  f.pixels(top_first, cols, rows, {px(x.lo), py(y.hi), px(x.hi), py(y.lo)});
  cairo_restore(f.cairo());
}

namespace {
constexpr double kSample = 26, kGap = 6, kBetween = 20, kLegendSize = 13, kHeaderSize = 16;

double legend_width(const Figure& f, std::span<const LegendEntry> entries) {
  double width = 0;
  for (const auto& e : entries)
    width += (width > 0 ? kBetween : 0) + kSample + kGap + f.text_width(e.label, {.size = kLegendSize});
  return width;
}
}  // namespace

double legend(Figure& f, double right, double y, std::span<const LegendEntry> entries) {
  const double width = legend_width(f, entries);
  double x = right - width;
  cairo_t* cr = f.cairo();
  for (const auto& e : entries) {
    if (e.line) {
      f.set_color(e.color);
      cairo_set_line_width(cr, 2);
      cairo_move_to(cr, x, y);
      cairo_line_to(cr, x + kSample, y);
      cairo_stroke(cr);
    }
    draw_marker(f, x + kSample / 2, y, e.color, e.marker, e.line ? 4 : 5, e.edge);
    f.text(x + kSample + kGap, y, e.label, {.size = kLegendSize, .v = VAlign::middle});
    x += kSample + kGap + f.text_width(e.label, {.size = kLegendSize}) + kBetween;
  }
  return width;
}

void draw_header(Figure& f, const Chart& c, std::string_view title, std::span<const LegendEntry> entries) {
  const Box& a = c.area();
  const TextStyle style{.size = kHeaderSize, .bold = true, .v = VAlign::middle};
  // NOTE: one row when the title and the legend fit side by side, else the legend below it.
  const bool one_row = f.text_width(title, style) + 24 + legend_width(f, entries) <= a.width();
  f.text(a.left, one_row ? a.top / 2 : a.top * 0.3, title, style);
  legend(f, a.right, one_row ? a.top / 2 : a.top * 0.7, entries);
}

}  // namespace tg::plot
