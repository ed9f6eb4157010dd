#pragma once
// Axes on a Figure: data coordinates mapped onto a pixel rectangle, with a grid, a frame, tick
// labels at round values and axis titles, and the marks drawn in data coordinates (lines,
// markers, filled cells), clipped to the data area.
//
//   tg::plot::Figure f(640, 480);
//   tg::plot::Chart c(tg::plot::Chart::area_for(640, 480), {"epoch", {0.5, 10.5}, true},
//                     {"loss (nats)", tg::plot::data_range(losses)});
//   c.draw_grid(f);
//   c.line(f, epochs, losses, tg::plot::colors::blue);
//   c.draw_axes(f);
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plot/figure.h"
#include "plot/ticks.h"

namespace tg::plot {

enum class Marker { none, circle, square };

struct Axis {
  std::string title;   // with its unit, e.g. "loss (nats)"
  Range range;
  bool whole = false;  // ticks at whole numbers only (counts such as epochs)
};

class Chart {
 public:
  /// Axes whose data area is `area` (figure pixels); as many ticks as fit legibly. Throws
  /// tg::Error on an empty area or range.
  Chart(Box area, Axis x, Axis y);
  /// The data area of a width x height figure: room for a title and legend above it, tick
  /// labels and an axis title below and to its left.
  static Box area_for(int width, int height);

  const Box& area() const { return area_; }
  const Axis& x_axis() const { return x_; }
  const Axis& y_axis() const { return y_; }
  const std::vector<double>& x_ticks() const { return x_ticks_; }
  const std::vector<double>& y_ticks() const { return y_ticks_; }
  /// The figure's x for data x: the range's ends map to the area's edges.
  double px(double x) const { return area_.left + (x - x_.range.lo) / (x_.range.hi - x_.range.lo) * area_.width(); }
  /// The figure's y for data y (which points up).
  double py(double y) const { return area_.bottom - (y - y_.range.lo) / (y_.range.hi - y_.range.lo) * area_.height(); }

  /// Light lines at the ticks, to draw before the data.
  void draw_grid(Figure& f) const;
  /// The frame just outside the data area, tick marks and labels, the axis titles (the y one
  /// reading upwards), to draw after the data.
  void draw_axes(Figure& f) const;
  /// A line through the points in order, anti-aliased; a non-finite value breaks it.
  void line(Figure& f, std::span<const double> x, std::span<const double> y, Color c, double width = 2) const;
  /// A marker of `radius` px at each finite point, filled with `c` and edged with `edge`.
  void markers(Figure& f, std::span<const double> x, std::span<const double> y, Color c, Marker m = Marker::circle,
               double radius = 4, Color edge = colors::white) const;
  /// cols x rows equal cells tiling the data rectangle x by y: cell (col, row) is
  /// c[row * cols + col], row 0 at y.lo (data y points up), col 0 at x.lo.
  void cells(Figure& f, Range x, Range y, int cols, int rows, std::span<const Color> c) const;

 private:
  void clip(Figure& f) const;

  Box area_;
  Axis x_, y_;
  std::vector<double> x_ticks_, y_ticks_;
};

/// A marker drawn at (x, y) in figure pixels (also used by legends).
void draw_marker(Figure& f, double x, double y, Color c, Marker m, double radius, Color edge);

struct LegendEntry {
  std::string label;
  Color color;
  Marker marker = Marker::circle;
  bool line = true;  // a short line through the marker, as the series is drawn
  Color edge = colors::white;  // the marker's edge
};
/// The entries in one row, ending at x = right, their text centred on y; returns the row's width.
double legend(Figure& f, double right, double y, std::span<const LegendEntry> entries);
/// Above the data area: the title (bold) at its left and the legend at its right, in one row
/// when they fit side by side, else the legend in a row below the title.
void draw_header(Figure& f, const Chart& c, std::string_view title, std::span<const LegendEntry> entries);

}  // namespace tg::plot
