// Part V of the tutorial: a two-layer perceptron learns the non-linear boundary between red
// points around (0, 0) and (1, 1) and blue points around (0, 1) and (1, 0). Prints the loss
// every 100 of 1000 steps (learning rate 0.03) and the learned weights, then runs the network
// on a 50 x 50 grid over [-2, 2]^2, one point per run as the tutorial does, and saves the
// picture of the boundary and the data as a PNG (argument 1, default part5_decision_boundary.png).
#include <iostream>
#include <string>
#include <vector>

#include "plot/chart.h"
#include "tensorgraph/tensorgraph.h"

int main(int argc, char** argv) {
  using namespace tg;
  const std::string png = argc > 1 ? argv[1] : "part5_decision_boundary.png";
  Rng rng(3);
  // Two clusters of blue points (class 0) and two of red points (class 1), 25 each, sd 0.2.
  const double centres[4][2] = {{0, 1}, {1, 0}, {0, 0}, {1, 1}};
  std::vector<double> points, labels;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 25; ++i) {
      points.push_back(0.2 * rng.normal() + centres[k][0]);
      points.push_back(0.2 * rng.normal() + centres[k][1]);
      labels.push_back(k < 2 ? 1.0 : 0.0);
      labels.push_back(k < 2 ? 0.0 : 1.0);
    }

  Graph().as_default();
  Node X = placeholder();
  Node c = placeholder();
  Node W_hidden = Variable(Tensor::randn({2, 2}, rng));
  Node b_hidden = Variable(Tensor::randn({2}, rng));
  Node p_hidden = sigmoid(add(matmul(X, W_hidden), b_hidden));
  Node W_output = Variable(Tensor::randn({2, 2}, rng));
  Node b_output = Variable(Tensor::randn({2}, rng));
  Node p_output = softmax(add(matmul(p_hidden, W_output), b_output));
  Node J = negative(reduce_sum(reduce_sum(multiply(c, log(p_output)), 1)));
  Node minimization_op = train::GradientDescentOptimizer(0.03).minimize(J);
  FeedDict feed_dict{{X, Tensor::from_vector(points, {100, 2})}, {c, Tensor::from_vector(labels, {100, 2})}};

  Session session;
  for (int step = 0; step < 1000; ++step) {
    Tensor J_value = session.run(J, feed_dict);
    if (step % 100 == 0) std::cout << "Step: " << step << "  Loss: " << J_value << "\n";
    session.run(minimization_op, feed_dict);
  }
  std::cout << "Hidden layer weight matrix:\n" << session.run(W_hidden) << "\n";
  std::cout << "Hidden layer bias:\n" << session.run(b_hidden) << "\n";
  std::cout << "Output layer weight matrix:\n" << session.run(W_output) << "\n";
  std::cout << "Output layer bias:\n" << session.run(b_output) << "\n";

  // Training accuracy: the predicted class of each point against its label.
  Tensor predicted = session.run(argmax(p_output, 1), feed_dict);
  int correct = 0;
  for (int i = 0; i < 100; ++i) correct += predicted.flat(i) == (labels[2 * static_cast<std::size_t>(i)] == 1.0 ? 0 : 1);
  std::cout << "Training accuracy: " << correct << "/100\n";

  // Decision boundary: each grid point through the network, one run per point; cell (i, j) of
  // the picture is light red where the network says red, light blue where it says blue.
  const int n = 50;
  const double step = 4.0 / (n - 1);
  std::vector<plot::Color> cells;  // row j (y = -2 + j * step) after row, column i (x) within it
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const double x = -2 + i * step, y = -2 + j * step;
      Tensor p = session.run(p_output, {{X, Tensor{{x, y}}}});
      cells.push_back(p.flat(1) > p.flat(0) ? plot::colors::light_red : plot::colors::light_blue);
    }
  plot::Figure figure(560, 566);
  plot::Chart chart(plot::Chart::area_for(560, 566), {"x₁", {-2, 2}}, {"x₂", {-2, 2}});
  const plot::Range grid{-2 - step / 2, 2 + step / 2};
  chart.cells(figure, grid, grid, n, n, cells);
  for (int k = 0; k < 2; ++k) {  // blue points first (0..49), then red ones (50..99)
    std::vector<double> xs, ys;
    for (int i = 50 * k; i < 50 * (k + 1); ++i) {
      xs.push_back(points[2 * static_cast<std::size_t>(i)]);
      ys.push_back(points[2 * static_cast<std::size_t>(i) + 1]);
    }
    chart.markers(figure, xs, ys, k ? plot::colors::red : plot::colors::blue, plot::Marker::circle, 5,
                  plot::colors::dark_gray);
  }
  chart.draw_axes(figure);
  const plot::LegendEntry legend[] = {
      {"blue points (class 0)", plot::colors::blue, plot::Marker::circle, false, plot::colors::dark_gray},
      {"red points (class 1)", plot::colors::red, plot::Marker::circle, false, plot::colors::dark_gray}};
  plot::draw_header(figure, chart, "Decision boundary after 1000 steps", legend);
  figure.save_png(png);
  std::cout << "Decision boundary saved to " << png << "\n";
}
