#pragma once
// A tiny raster canvas and a data-coordinate plot on top of it, for pictures of decision
// boundaries and training curves without a plotting library. No text: axes carry ticks only.
//
//   tg::Plot plot(400, 300, -1, 1, -1, 1);
//   plot.fill_cell(-1, -1, 0, 1, tg::colors::light_red);
//   plot.scatter(0.5, 0.5, tg::colors::blue);
//   plot.save_png("boundary.png");
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tg {

struct Color {
  std::uint8_t r, g, b;
  friend constexpr bool operator==(const Color&, const Color&) = default;
};

// Saturated colours for points and lines, pale ones for filled regions behind them (the
// matplotlib "tab" palette, so pictures look familiar).
namespace colors {
inline constexpr Color white{255, 255, 255};
inline constexpr Color black{0, 0, 0};
inline constexpr Color gray{127, 127, 127};
inline constexpr Color red{214, 39, 40};
inline constexpr Color blue{31, 119, 180};
inline constexpr Color light_red{255, 152, 150};
inline constexpr Color light_blue{174, 199, 232};
}  // namespace colors

// Pixel (0, 0) is the top-left corner; in the double-valued methods pixel (x, y) is the unit
// square centred on (x, y). Drawing outside the canvas is clipped silently.
class Canvas {
 public:
  /// A width x height canvas filled with `background`; throws tg::Error on a bad size.
  Canvas(int width, int height, Color background = colors::white);
  /// Width in pixels.
  int width() const { return width_; }
  /// Height in pixels.
  int height() const { return height_; }
  /// The colour at (x, y); throws tg::Error outside the canvas.
  Color pixel(int x, int y) const;
  /// Sets one pixel; ignored outside the canvas.
  void set_pixel(int x, int y, Color c);
  /// Fills columns [x0, x1) of rows [y0, y1) (corners in either order), clipped.
  void fill_rect(int x0, int y0, int x1, int y1, Color c);
  /// Fills every pixel whose centre lies within `radius` of (cx, cy).
  void fill_circle(double cx, double cy, double radius, Color c);
  /// Fills every pixel whose centre lies within thickness / 2 of the segment (round caps).
  void draw_line(double x0, double y0, double x1, double y1, Color c, double thickness = 1);
  /// Writes the canvas as an RGB PNG (atomically, see write_png).
  void save_png(const std::string& path) const;
  /// Draws `text` in a 3 x 5 pixel font magnified `scale` times, its top-left corner at (x, y)
  /// (upper case only; 4 * scale pixels per character).
  void draw_text(int x, int y, const std::string& text, Color c, int scale = 1);
  /// The width in pixels that draw_text takes for `text`.
  static int text_width(const std::string& text, int scale = 1);

 private:
  int width_, height_;
  std::vector<std::uint8_t> rgb_;  // row-major, 3 bytes per pixel, as write_png takes it
};

// Maps [xmin, xmax] x [ymin, ymax] onto the canvas inside a 40 px margin, y pointing up, with a
// black frame just outside the data area (so filled cells never cover it, and it stays on top of
// points and lines that reach it) and tick marks.
class Plot {
 public:
  /// A plot of the given data range; throws tg::Error on an empty range or too small a canvas.
  Plot(int width, int height, double xmin, double xmax, double ymin, double ymax);
  /// Fills the data-space rectangle (corners in either order), clipped to the data area.
  void fill_cell(double x0, double y0, double x1, double y1, Color c);
  /// A filled disc at (x, y); points outside the data range are not drawn.
  void scatter(double x, double y, Color c, double radius_px = 4);
  /// A segment between two data points, clipped to the data range.
  void line(double x0, double y0, double x1, double y1, Color c, double thickness = 2);
  /// The pixel holding data point (x, y): corners of the range map to corners of the data area.
  std::pair<int, int> to_pixel(double x, double y) const;
  /// The underlying canvas.
  const Canvas& canvas() const { return canvas_; }
  /// Text at pixel (x, y) (top-left corner), e.g. a title in the margin or a legend.
  void text(int x, int y, const std::string& text, Color c, int scale = 1) { canvas_.draw_text(x, y, text, c, scale); }
  /// Writes the plot as an RGB PNG.
  void save_png(const std::string& path) const { canvas_.save_png(path); }

  static constexpr int kMargin = 40;

 private:
  double col(double x) const;  // continuous pixel coordinates, see Canvas
  double row(double y) const;
  void draw_axes();
  void keep_frame_on_top(double c0, double r0, double c1, double r1, double reach);

  Canvas canvas_;
  double xmin_, xmax_, ymin_, ymax_;
  int left_, top_, right_, bottom_;  // the data area, inclusive pixel bounds
};

}  // namespace tg
