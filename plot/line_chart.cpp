#include "plot/line_chart.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tg::plot {

Drawn draw_line_chart(const LineChart& spec) {
  std::vector<double> xs, ys;
  for (const Series& s : spec.series) {
    // NOTE: every x counts (a diverged run's epochs stay on the axis), only drawn points' y.
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      xs.push_back(s.x[i]);
      if (std::isfinite(s.x[i])) ys.push_back(s.y[i]);
    }
  }
  Figure f(spec.width, spec.height);
  Chart c(Chart::area_for(spec.width, spec.height), {spec.x_title, data_range(xs, 0.05, spec.whole_x), spec.whole_x},
          {spec.y_title, data_range(ys)});
  c.draw_grid(f);
  for (const Series& s : spec.series) c.line(f, s.x, s.y, s.color);
  for (const Series& s : spec.series) c.markers(f, s.x, s.y, s.color, s.marker);
  c.draw_axes(f);
  if (std::none_of(ys.begin(), ys.end(), [](double y) { return std::isfinite(y); }))
    f.text((c.area().left + c.area().right) / 2, (c.area().top + c.area().bottom) / 2, "no finite value to draw",
           {.size = 14, .color = colors::dark_gray, .h = HAlign::center, .v = VAlign::middle});
  std::vector<LegendEntry> entries;
  for (const Series& s : spec.series) entries.push_back({s.label, s.color, s.marker});
  draw_header(f, c, spec.title, entries);
  return {std::move(f), std::move(c)};
}

}  // namespace tg::plot
