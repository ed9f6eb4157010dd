#pragma once
// A picture drawn with cairo: anti-aliased shapes and text in DejaVu Sans on a white RGB image,
// written as PNG by cairo (through tg::write_file_atomically).
//
//   tg::plot::Figure f(400, 300);
//   f.fill_rect(10, 10, 100, 50, tg::plot::colors::blue);
//   f.text(200, 150, "hello", {.size = 16, .h = tg::plot::HAlign::center});
//   f.save_png("hello.png");
#include <cairo.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace tg::plot {

struct Color {
  std::uint8_t r = 0, g = 0, b = 0;
  friend constexpr bool operator==(const Color&, const Color&) = default;
};

// The matplotlib "tab" palette (saturated for lines and points, light for filled regions), so
// pictures look familiar, and the greys of the frame and grid.
namespace colors {
inline constexpr Color white{255, 255, 255};
inline constexpr Color black{0, 0, 0};
inline constexpr Color dark_gray{64, 64, 64};
inline constexpr Color grid_gray{224, 224, 224};
inline constexpr Color blue{31, 119, 180};
inline constexpr Color orange{255, 127, 14};
inline constexpr Color green{44, 160, 44};
inline constexpr Color red{214, 39, 40};
inline constexpr Color light_blue{174, 199, 232};
inline constexpr Color light_red{255, 152, 150};
}  // namespace colors

enum class HAlign { left, center, right };
enum class VAlign { top, middle, baseline, bottom };  // middle: half the height of a capital

/// How text is set: DejaVu Sans at `size` pixels, anchored at the point given to Figure::text,
/// turned `angle` radians clockwise about it (-pi/2 reads upwards).
struct TextStyle {
  double size = 13;
  Color color = colors::black;
  bool bold = false;
  HAlign h = HAlign::left;
  VAlign v = VAlign::baseline;
  double angle = 0;
};

/// A pixel rectangle; x grows to the right, y downwards, (0, 0) the top-left corner.
struct Box {
  double left = 0, top = 0, right = 0, bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

class Figure {
 public:
  /// A width x height picture filled with `background`; throws tg::Error on a bad size.
  Figure(int width, int height, Color background = colors::white);
  Figure(Figure&& other) noexcept;
  Figure& operator=(Figure&& other) noexcept;
  Figure(const Figure&) = delete;
  Figure& operator=(const Figure&) = delete;
  ~Figure();

  int width() const { return width_; }
  int height() const { return height_; }
  /// The cairo context, for drawing beyond these helpers (Chart uses it).
  cairo_t* cairo() const { return cr_; }
  /// Sets the source colour of the cairo context.
  void set_color(Color c) const;

  /// Fills a rectangle.
  void fill_rect(const Box& b, Color c);
  /// Outlines a rectangle with a `width` px line centred on its edges.
  void stroke_rect(const Box& b, Color c, double width = 1);
  /// Sets `text` (UTF-8) at (x, y), anchored as `style` says.
  void text(double x, double y, std::string_view text, const TextStyle& style = {});
  /// The advance width of `text` in pixels at `style`'s size and weight.
  double text_width(std::string_view text, const TextStyle& style = {}) const;
  /// Paints cols x rows pixels (row-major, top row first) scaled to fill `b`, each one a sharp
  /// square (nearest neighbour: a cell's colour is exact inside it).
  void pixels(std::span<const Color> rgb, int cols, int rows, const Box& b);

  /// The picture as PNG bytes (cairo's encoder); throws tg::Error when drawing failed.
  std::string png() const;
  /// Writes png() to `path` atomically; throws tg::IoError naming the path.
  void save_png(const std::string& path) const;

 private:
  void check(const char* what) const;

  int width_, height_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

}  // namespace tg::plot
