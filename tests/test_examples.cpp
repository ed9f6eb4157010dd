// The tutorial's example programs, run as a user runs them; their output and picture checked.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "picture.h"
#include "plot/chart.h"
#include "temp_dir.h"

namespace {
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << cmd;
  return out;
}
std::vector<double> losses(const std::string& out) {
  std::vector<double> v;
  std::regex re(R"(Step: (\d+)  Loss: ([-+0-9.eE]+))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
    v.push_back(std::stod((*it)[2]));
  return v;
}
}  // namespace

TEST(Examples, Part1PrintsTwoMinusOne) { EXPECT_EQ(run(TG_PART1_EXE), "[2, -1]\n"); }

TEST(Examples, PerceptronLossFalls) {
  std::vector<double> l = losses(run(TG_PERCEPTRON_EXE));
  ASSERT_EQ(l.size(), 10u);
  EXPECT_LT(l.back(), 0.1 * l.front());
}

TEST(Examples, Part5LearnsTheBoundaryAndDrawsIt) {
  const std::string png = tg::testing::temp_path("tg_part5_test.png");
  std::filesystem::remove(png);
  const std::string out = run(std::string(TG_PART5_EXE) + " " + png);
  std::vector<double> l = losses(out);
  ASSERT_EQ(l.size(), 10u) << out;
  EXPECT_LT(l.back(), 0.3 * l.front()) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Training accuracy: (\d+)/100)"))) << out;
  EXPECT_GE(std::stoi(m[1]), 90);
  EXPECT_NE(out.find("Hidden layer weight matrix:"), std::string::npos);

  // The picture, read back with cairo: around each red centre the background is mostly light
  // red, around each blue centre mostly light blue, and points of both colours are drawn.
  const tg::testing::Picture img = tg::testing::read_picture(png);
  ASSERT_EQ(img.width, 560);
  ASSERT_EQ(img.height, 566);
  namespace plot = tg::plot;
  // NOTE: the example's axes: the standard data area of its figure, [-2, 2] on both axes.
  const plot::Chart frame(plot::Chart::area_for(img.width, img.height), {"", {-2, 2}}, {"", {-2, 2}});
  auto share = [&](double x, double y, plot::Color want) {
    const int cx = static_cast<int>(frame.px(x)), cy = static_cast<int>(frame.py(y));
    int hits = 0, total = 0;
    for (int py = cy - 25; py <= cy + 25; ++py)
      for (int px = cx - 25; px <= cx + 25; ++px) {
        const plot::Color c = img.at(px, py);
        if (c == plot::colors::light_red || c == plot::colors::light_blue) {
          ++total;
          hits += c == want;
        }
      }
    return total ? static_cast<double>(hits) / total : 0.0;
  };
  EXPECT_GT(share(0, 0, plot::colors::light_red), 0.8);
  EXPECT_GT(share(1, 1, plot::colors::light_red), 0.8);
  EXPECT_GT(share(0, 1, plot::colors::light_blue), 0.8);
  EXPECT_GT(share(1, 0, plot::colors::light_blue), 0.8);
  // The corners far from every point: the network's verdict there fills the whole cell area.
  EXPECT_TRUE(img.at(static_cast<int>(frame.px(-1.9)), static_cast<int>(frame.py(1.9))) == plot::colors::light_blue);
  int red = 0, blue = 0;
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      red += img.at(x, y) == plot::colors::red;
      blue += img.at(x, y) == plot::colors::blue;
    }
  EXPECT_GT(red, 1000);  // 50 points of radius 5 each, less overlaps
  EXPECT_GT(blue, 1000);
  std::filesystem::remove(png);
}

// The CNN example on Fashion-MNIST for 300 steps of 128 (a CI smoke run, under an epoch): its mean
// loss falls from the first 100 steps to the third, and it classifies most of the test set.
TEST(Examples, CnnLossFallsAndItClassifiesTheTestSet) {
  const std::string out = run(std::string(TG_CNN_EXE) + " 300");
  std::vector<double> l;
  std::regex re(R"(step (\d+): loss ([-+0-9.eE]+))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
    l.push_back(std::stod((*it)[2]));
  ASSERT_EQ(l.size(), 3u) << out;
  EXPECT_LT(l[2], 0.75 * l[0]) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(test accuracy ([0-9.]+))"))) << out;
  EXPECT_GE(std::stod(m[1]), 0.80) << out;
}

// The row-by-row LSTM example for 400 steps of 64 (under half an epoch): the mean loss falls from
// the first 200 steps to the next, and it classifies most of the test set (chance is 0.10).
TEST(Examples, LstmReadsImagesRowByRowAndClassifiesTheTestSet) {
  const std::string out = run(std::string(TG_LSTM_EXE) + " 400");
  std::vector<double> l;
  std::regex re(R"(step (\d+): loss ([-+0-9.eE]+))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
    l.push_back(std::stod((*it)[2]));
  ASSERT_EQ(l.size(), 2u) << out;
  EXPECT_LT(l[1], 0.8 * l[0]) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(test accuracy ([0-9.]+))"))) << out;
  EXPECT_GE(std::stod(m[1]), 0.72) << out;
}

namespace {
// Every number after `label` in `out`, in order.
std::vector<double> numbers_after(const std::string& out, const std::string& label) {
  std::vector<double> v;
  const std::regex re(label + R"(([-+0-9.eE]+))");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
    v.push_back(std::stod((*it)[1]));
  return v;
}
}  // namespace

// Issue 14's models, one or two epochs each, against bounds far from a model that learned nothing:
// decoding every test image as the training set's mean image gives an MSE of 0.0866 and a
// cross-entropy of 385 nats per image.
TEST(Examples, AutoencoderReconstructsTheTestSet) {
  const std::string out = run(std::string(TG_AE_EXE) + " 2");
  const auto train = numbers_after(out, "train loss "), test = numbers_after(out, "test MSE ");
  ASSERT_EQ(test.size(), 2u) << out;
  EXPECT_LT(train[1], train[0]) << out;
  EXPECT_LT(test[1], 0.016) << out;  // 0.0121 measured
}

TEST(Examples, VaeTestElboFalls) {
  const std::string out = run(std::string(TG_VAE_EXE) + " 2");
  const auto elbo = numbers_after(out, "test -ELBO ");
  ASSERT_EQ(elbo.size(), 2u) << out;
  EXPECT_LT(elbo[1], elbo[0]) << out;
  EXPECT_LT(elbo[1], 262.0) << out;  // 254.4 measured (262.3 after one epoch)
  const auto grey = numbers_after(out, "mean grey level of 64 samples "), data = numbers_after(out, "training images: ");
  ASSERT_EQ(grey.size(), 1u) << out;
  // decoded prior samples carry ink (a collapsed decoder's are blank): 0.199 against the data's 0.283
  // measured after 2 epochs, lighter as their blur spreads the ink thin
  EXPECT_NEAR(grey[0], data[0], 0.13) << out;
}

TEST(Examples, GanPlayersBothLearnAndTheSamplesHaveTheDatasInk) {
  const std::string out = run(std::string(TG_GAN_EXE) + " 1");
  const auto d = numbers_after(out, "discriminator loss "), g = numbers_after(out, "generator loss ");
  ASSERT_EQ(d.size(), 1u) << out;
  // a discriminator below chance (2 ln 2 = 1.386) and a generator that is not simply beaten (a
  // collapse sends its loss past 5)
  EXPECT_LT(d[0], 1.2) << out;
  EXPECT_LT(g[0], 5.0) << out;
  const auto grey = numbers_after(out, "mean grey level of 64 samples "), data = numbers_after(out, "training images: ");
  ASSERT_EQ(grey.size(), 1u) << out;
  EXPECT_NEAR(grey[0], data[0], 0.1) << out;
}
