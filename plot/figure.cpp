#include "plot/figure.h"

#include <cmath>
#include <utility>
#include <vector>

#include "tensorgraph/error.h"
#include "tensorgraph/file.h"

namespace tg::plot {

// NOTE: 2^14 px a side is well beyond any plot and far below what an int byte count overflows at.
constexpr int kMaxSide = 1 << 14;

Figure::Figure(int width, int height, Color background) : width_(width), height_(height) {
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
    throw Error("Figure: size " + std::to_string(width) + "x" + std::to_string(height) + " is not in 1.." +
                std::to_string(kMaxSide) + " a side");
  // NOTE: RGB24, no alpha channel: the PNG is RGB, and every pixel is opaque.
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cr_ = cairo_create(surface_);
  check("Figure: creating the surface");
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_SLIGHT);
  cairo_set_font_options(cr_, options);
  cairo_font_options_destroy(options);
  set_color(background);
  cairo_paint(cr_);
}

Figure::Figure(Figure&& other) noexcept
    : width_(other.width_), height_(other.height_), surface_(other.surface_), cr_(other.cr_) {
  other.surface_ = nullptr;
  other.cr_ = nullptr;
}

Figure& Figure::operator=(Figure&& other) noexcept {
  std::swap(width_, other.width_);
  std::swap(height_, other.height_);
  std::swap(surface_, other.surface_);
  std::swap(cr_, other.cr_);
  return *this;
}

Figure::~Figure() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

void Figure::check(const char* what) const {
  if (!cr_) throw Error(std::string(what) + ": the figure was moved from");
  const cairo_status_t s = cairo_status(cr_) ? cairo_status(cr_) : cairo_surface_status(surface_);
  if (s != CAIRO_STATUS_SUCCESS) throw Error(std::string(what) + ": cairo: " + cairo_status_to_string(s));
}

void Figure::set_color(Color c) const { cairo_set_source_rgb(cr_, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

void Figure::fill_rect(const Box& b, Color c) {
  set_color(c);
  cairo_rectangle(cr_, b.left, b.top, b.width(), b.height());
  cairo_fill(cr_);
}

void Figure::stroke_rect(const Box& b, Color c, double width) {
  set_color(c);
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, b.left, b.top, b.width(), b.height());
  cairo_stroke(cr_);
}

namespace {
void select_font(cairo_t* cr, const TextStyle& style) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, style.size);
}
}  // namespace

double Figure::text_width(std::string_view text, const TextStyle& style) const {
  select_font(cr_, style);
  const std::string s(text);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, s.c_str(), &e);
  return e.x_advance;
}

void Figure::text(double x, double y, std::string_view text, const TextStyle& style) {
  select_font(cr_, style);
  const std::string s(text);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, s.c_str(), &e);
  cairo_font_extents_t f;
  cairo_font_extents(cr_, &f);
  const double dx = style.h == HAlign::left ? 0 : style.h == HAlign::center ? -e.x_advance / 2 : -e.x_advance;
  // NOTE: aligned on the font's ascent and descent, not on each string's ink, so that labels
  // with and without descenders ("epoch", "loss") share a baseline.
  const double cap = 0.73 * style.size;  // DejaVu Sans's capital height
  const double dy = style.v == VAlign::top      ? f.ascent
                    : style.v == VAlign::middle ? cap / 2
                    : style.v == VAlign::bottom ? -f.descent
                                                : 0;
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  cairo_rotate(cr_, style.angle);
  cairo_move_to(cr_, dx, dy);
  set_color(style.color);
  cairo_show_text(cr_, s.c_str());
  cairo_restore(cr_);
}

void Figure::pixels(std::span<const Color> rgb, int cols, int rows, const Box& b) {
  if (cols <= 0 || rows <= 0 || rgb.size() != static_cast<std::size_t>(cols) * static_cast<std::size_t>(rows))
    throw Error("Figure::pixels: " + std::to_string(rgb.size()) + " colours for " + std::to_string(cols) + " x " +
                std::to_string(rows) + " pixels");
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols, rows);
  cairo_surface_flush(image);
  unsigned char* data = cairo_image_surface_get_data(image);
  const int stride = cairo_image_surface_get_stride(image);
  if (!data) {
    cairo_surface_destroy(image);
    throw Error("Figure::pixels: cairo could not make a " + std::to_string(cols) + " x " + std::to_string(rows) +
                " image");
  }
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const Color c = rgb[static_cast<std::size_t>(y) * cols + x];
      // NOTE: RGB24 is one native-endian 32-bit word per pixel, 0x00RRGGBB.
      reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride)[x] =
          (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b;
    }
  cairo_surface_mark_dirty(image);
  cairo_save(cr_);
  cairo_rectangle(cr_, b.left, b.top, b.width(), b.height());
  cairo_clip(cr_);
  cairo_translate(cr_, b.left, b.top);
  cairo_scale(cr_, b.width() / cols, b.height() / rows);
  cairo_set_source_surface(cr_, image, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
  cairo_paint(cr_);
  cairo_restore(cr_);
  cairo_surface_destroy(image);
}

std::string Figure::png() const {
  check("Figure::png: drawing");
  cairo_surface_flush(surface_);
  std::string bytes;
  const cairo_status_t s = cairo_surface_write_to_png_stream(
      surface_,
      [](void* out, const unsigned char* data, unsigned int n) {
        try {  // NOTE: no exception may cross cairo's C frames
          static_cast<std::string*>(out)->append(reinterpret_cast<const char*>(data), n);
          return CAIRO_STATUS_SUCCESS;
        } catch (...) {
          return CAIRO_STATUS_NO_MEMORY;
        }
      },
      &bytes);
  if (s != CAIRO_STATUS_SUCCESS) throw Error(std::string("Figure::png: cairo: ") + cairo_status_to_string(s));
  return bytes;
}

void Figure::save_png(const std::string& path) const { write_file_atomically(path, png(), "Figure::save_png"); }

}  // namespace tg::plot
