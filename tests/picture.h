// A PNG read back with cairo (cairo_image_surface_create_from_png), for tests that check the
// pictures the plot component and the examples write, pixel by pixel.
#pragma once

#include <cairo.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "plot/figure.h"

namespace tg::testing {

struct Picture {
  int width = 0, height = 0;
  std::vector<std::uint32_t> argb;  // cairo's pixels, row-major
  plot::Color at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= height)
      throw std::out_of_range("pixel (" + std::to_string(x) + ", " + std::to_string(y) + ") is outside the picture");
    const std::uint32_t p = argb[static_cast<std::size_t>(y) * width + x];
    return {static_cast<std::uint8_t>(p >> 16), static_cast<std::uint8_t>(p >> 8), static_cast<std::uint8_t>(p)};
  }
};

inline Picture read_picture(const std::string& path) {
  cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_surface_status(s));
    cairo_surface_destroy(s);
    throw std::runtime_error("cairo cannot read '" + path + "': " + why);
  }
  Picture p{cairo_image_surface_get_width(s), cairo_image_surface_get_height(s), {}};
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  for (int y = 0; y < p.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    p.argb.insert(p.argb.end(), row, row + p.width);
  }
  cairo_surface_destroy(s);
  return p;
}

}  // namespace tg::testing
