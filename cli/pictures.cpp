#include "pictures.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "plot/chart.h"
#include "plot/line_chart.h"
#include "report.h"

namespace tgcli {
using namespace tg;

namespace {
constexpr int kSide = 28;

// Image i of [n, 784] as grey levels: 0 white paper, 1 black ink.
std::vector<plot::Color> ink(const Tensor& images, std::int64_t i) {
  std::vector<plot::Color> px(kSide * kSide);
  for (int p = 0; p < kSide * kSide; ++p) {
    const double v = std::clamp(images.flat(i * kSide * kSide + p), 0.0, 1.0);
    const auto g = static_cast<std::uint8_t>(std::lround(255 * (1 - v)));
    px[static_cast<std::size_t>(p)] = {g, g, g};
  }
  return px;
}

void draw_image(plot::Figure& f, const Tensor& images, std::int64_t i, double left, double top, int scale) {
  f.pixels(ink(images, i), kSide, kSide, {left, top, left + kSide * scale, top + kSide * scale});
}

// The 10 classes' colours: matplotlib's "tab10".
const plot::Color kTab10[10] = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
                                {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
}  // namespace

void image_grid(const Tensor& images, int cols, int scale, const std::string& title, const std::string& path) {
  const auto n = images.shape()[0];
  const int rows = static_cast<int>((n + cols - 1) / cols), cell = kSide * scale + 2, header = 36;
  const plot::TextStyle style{.size = 14, .bold = true, .v = plot::VAlign::middle};
  const int title_width = static_cast<int>(std::ceil(plot::Figure(1, 1).text_width(title, style))) + 16;
  plot::Figure f(std::max(cols * cell + 8, title_width), header + rows * cell + 4);
  f.text(8, header / 2.0, title, style);
  for (std::int64_t i = 0; i < n; ++i)
    draw_image(f, images, i, 4 + static_cast<double>(i % cols) * cell + 1, header + static_cast<double>(i / cols) * cell + 1,
               scale);
  f.save_png(path);
}

void reconstruction_grid(const Tensor& originals, const Tensor& reconstructions, int cols, const std::string& title,
                         const std::string& path) {
  const auto n = originals.shape()[0];
  const int scale = 2, cell = kSide * scale + 4, label = 96, header = 36;
  const int pairs = static_cast<int>((n + cols - 1) / cols);
  plot::Figure f(label + cols * cell + 8, header + pairs * (2 * cell + 10));
  f.text(8, header / 2.0, title, {.size = 14, .bold = true, .v = plot::VAlign::middle});
  for (int r = 0; r < pairs; ++r) {
    const double top = header + r * (2 * cell + 10);
    f.text(8, top + cell / 2.0, "original", {.size = 12, .v = plot::VAlign::middle});
    f.text(8, top + cell * 1.5, "reconstructed", {.size = 12, .color = plot::colors::blue, .v = plot::VAlign::middle});
    for (int c = 0; c < cols && r * cols + c < n; ++c) {
      const std::int64_t i = r * cols + c;
      draw_image(f, originals, i, label + c * cell + 2, top + 2, scale);
      draw_image(f, reconstructions, i, label + c * cell + 2, top + cell + 2, scale);
    }
  }
  f.save_png(path);
}

void latent_plane(const Tensor& images, int side, double span, const std::string& path) {
  const int cell = kSide, margin_l = 70, margin_b = 56, header = 40;
  plot::Figure f(margin_l + side * cell + 20, header + side * cell + margin_b);
  f.text(8, header / 2.0, "The VAE's 2-D latent plane, decoded", {.size = 14, .bold = true, .v = plot::VAlign::middle});
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) draw_image(f, images, r * side + c, margin_l + c * cell, header + r * cell, 1);
  const double bottom = header + side * cell;
  f.stroke_rect({static_cast<double>(margin_l), static_cast<double>(header), margin_l + side * cell + 0.0, bottom},
                plot::colors::dark_gray);
  for (int k = 0; k < 3; ++k) {  // -span, 0, +span at the first, middle and last cells' centres
    const double v = -span + k * span, x = margin_l + (k * (side - 1) / 2.0 + 0.5) * cell;
    const double y = bottom - (k * (side - 1) / 2.0 + 0.5) * cell;
    std::ostringstream t;
    t << v;
    f.text(x, bottom + 6, t.str(), {.size = 12, .h = plot::HAlign::center, .v = plot::VAlign::top});
    f.text(margin_l - 6, y, t.str(), {.size = 12, .h = plot::HAlign::right, .v = plot::VAlign::middle});
  }
  f.text(margin_l + side * cell / 2.0, bottom + 26, "z1", {.size = 13, .h = plot::HAlign::center, .v = plot::VAlign::top});
  f.text(20, header + side * cell / 2.0, "z2", {.size = 13, .h = plot::HAlign::center, .v = plot::VAlign::middle});
  f.save_png(path);
}

void latent_scatter(const Tensor& codes, const Tensor& labels, const std::string& path) {
  const auto n = codes.shape()[0];
  std::vector<double> xs, ys;
  for (std::int64_t i = 0; i < n; ++i) {
    xs.push_back(codes.flat(2 * i));
    ys.push_back(codes.flat(2 * i + 1));
  }
  const int width = 900, height = 760;
  plot::Figure f(width, height);
  plot::Box area = plot::Chart::area_for(width, height);
  area.top += 24;  // room for a second legend row
  const plot::Chart c(area, {"z1 (mean of q(z|x))", plot::data_range(xs)}, {"z2 (mean of q(z|x))", plot::data_range(ys)});
  c.draw_grid(f);
  for (int k = 0; k < 10; ++k) {
    std::vector<double> kx, ky;
    for (std::int64_t i = 0; i < n; ++i)
      if (static_cast<int>(labels.flat(i)) == k) {
        kx.push_back(xs[static_cast<std::size_t>(i)]);
        ky.push_back(ys[static_cast<std::size_t>(i)]);
      }
    c.markers(f, kx, ky, kTab10[k], plot::Marker::circle, 2.5, kTab10[k]);
  }
  c.draw_axes(f);
  std::vector<plot::LegendEntry> first, second;
  for (int k = 0; k < 10; ++k)
    (k < 5 ? first : second).push_back({class_name(k), kTab10[k], plot::Marker::circle, false, kTab10[k]});
  plot::draw_header(f, c, "Test images' codes by class", first);
  plot::legend(f, area.right, area.top - 14, second);
  f.save_png(path);
}

void curves(const std::string& title, const std::string& y_title, const std::vector<std::string>& names,
            const std::vector<std::vector<double>>& values, const std::string& path) {
  plot::LineChart spec{.title = title, .x_title = "epoch", .y_title = y_title, .whole_x = true};
  const plot::Color palette[] = {plot::colors::blue, plot::colors::orange, plot::colors::green, plot::colors::red};
  for (std::size_t s = 0; s < names.size(); ++s) {
    plot::Series series{names[s], {}, values[s], palette[s % 4]};
    for (std::size_t e = 0; e < values[s].size(); ++e) series.x.push_back(static_cast<double>(e + 1));
    spec.series.push_back(std::move(series));
  }
  plot::draw_line_chart(spec).figure.save_png(path);
}

}  // namespace tgcli
