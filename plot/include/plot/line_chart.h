#pragma once
// A line chart in one call: series of points joined by lines, with markers, on axes fitted to
// the data, a title at the top left and a legend at the top right.
//
//   tg::plot::LineChart spec{.title = "Loss per epoch", .x_title = "epoch", .y_title = "loss (nats)",
//                            .whole_x = true};
//   spec.series.push_back({"train", {1, 2, 3}, {0.6, 0.4, 0.35}, tg::plot::colors::blue});
//   tg::plot::draw_line_chart(spec).figure.save_png("loss.png");
#include <string>
#include <vector>

#include "plot/chart.h"

namespace tg::plot {

struct Series {
  std::string label;
  std::vector<double> x, y;  // a NaN or Inf y is not drawn (and breaks the line)
  Color color = colors::blue;
  Marker marker = Marker::circle;
};

struct LineChart {
  std::string title{}, x_title{}, y_title{};  // axis titles with their units
  bool whole_x = false;                 // x counts something (epochs): ticks at whole numbers
  std::vector<Series> series{};
  int width = 800, height = 500;
};

struct Drawn {
  Figure figure;
  Chart chart;  // where the data went, for tests and for drawing more
};

/// Draws the chart: the x axis spans every finite x, the y axis the finite y of the points drawn,
/// each with a 5% margin; "no finite value to draw" in the middle when there is none.
Drawn draw_line_chart(const LineChart& spec);

}  // namespace tg::plot
