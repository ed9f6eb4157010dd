// Batch normalization: the oneDNN float32 kernels against the float64 reference on awkward shapes,
// second derivatives through the fused op, and the layer's moving statistics: updated by every
// optimizer step (UPDATE_OPS), untouched while training is fed false, saved and exported.
#include <gtest/gtest.h>

#include <cmath>

#include "../src/kernels/batch_norm.h"
#include "batch_norm_ref.h"
#include "temp_dir.h"
#include "tensorgraph/tensorgraph.h"

using namespace tg;
using tg::testing::bn_grad_ref;
using tg::testing::bn_ref;

namespace {

Tensor as(const Tensor& t, DType d) {
  Tensor out(d, t.shape());
  dispatch_float(d, "as", [&]<class T>() {
    for (std::int64_t i = 0; i < t.size(); ++i) out.data<T>()[i] = static_cast<T>(t.flat(i));
  });
  return out;
}

Tensor wavy(const Shape& s, double seed, DType dtype = DType::f64) {
  Tensor t(DType::f64, s);
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<double>()[i] = 2 * std::sin(0.7 * static_cast<double>(i) + seed) + 0.3;
  return dtype == DType::f64 ? t : as(t, dtype);
}

// |got - want| <= tol max(1, |want|) everywhere.
::testing::AssertionResult close(const Tensor& got, const Tensor& want, double tol) {
  if (!(got.shape() == want.shape())) return ::testing::AssertionFailure() << got.shape().str() << " vs " << want.shape().str();
  for (std::int64_t i = 0; i < want.size(); ++i)
    if (!(std::fabs(got.flat(i) - want.flat(i)) <= tol * std::max(1.0, std::fabs(want.flat(i)))))
      return ::testing::AssertionFailure() << "element " << i << ": " << got.flat(i) << " vs " << want.flat(i);
  return ::testing::AssertionSuccess();
}

struct Geometry {
  Shape x;
  int axis;
};

// float32 through the fast path (oneDNN when built with it) against float64 loops on the same values.
TEST(BatchNormKernels, Float32FastPathMatchesFloat64Reference) {
  const std::vector<Geometry> shapes{{{1, 5, 7, 3}, 3}, {{1, 3, 5, 7}, 1}, {{3, 1, 1, 5}, 3}, {{2, 5, 1, 1}, 1},
                                     {{7, 3}, 1},       {{1, 9}, 1},       {{4, 7, 9, 16}, 3}, {{4, 16, 9, 7}, 1},
                                     {{33, 17}, 1}};
  for (const Geometry& g : shapes) {
    SCOPED_TRACE(g.x.str() + " axis " + std::to_string(g.axis));
    const std::int64_t c = g.x[g.axis];
    const Tensor x = wavy(g.x, 1, DType::f32), dy = wavy(g.x, 2, DType::f32);
    const Tensor scale = wavy({c}, 3, DType::f32), offset = wavy({c}, 4, DType::f32);
    const Tensor mean = wavy({c}, 5, DType::f32), var = wavy({c}, 6);
    Tensor var_pos(DType::f32, {c});
    for (std::int64_t i = 0; i < c; ++i) var_pos.data<float>()[i] = static_cast<float>(std::fabs(var.flat(i)) + 0.1);
    const kernels::BatchNormDims d = kernels::batch_norm_dims(g.x, g.axis);
    const double eps = 1e-3;
    Tensor y(DType::f32, g.x), y_inf(DType::f32, g.x), dx(DType::f32, g.x);
    kernels::batch_norm_forward(DType::f32, x.raw(), scale.raw(), offset.raw(), nullptr, nullptr, y.raw(), d, eps);
    kernels::batch_norm_forward(DType::f32, x.raw(), scale.raw(), offset.raw(), mean.raw(), var_pos.raw(), y_inf.raw(), d,
                                eps);
    kernels::batch_norm_backward(DType::f32, dy.raw(), x.raw(), scale.raw(), dx.raw(), d, eps);
    const auto f64 = [](const Tensor& t) { return as(t, DType::f64); };
    EXPECT_TRUE(close(y, bn_ref(f64(x), f64(scale), f64(offset), g.axis, eps), 1e-4)) << "training forward";
    EXPECT_TRUE(close(y_inf, bn_ref(f64(x), f64(scale), f64(offset), g.axis, eps, f64(mean), f64(var_pos)), 1e-4))
        << "inference forward";
    EXPECT_TRUE(close(dx, bn_grad_ref(f64(dy), f64(x), f64(scale), g.axis, eps), 1e-4)) << "backward";
    // The float32 reference loops (the path without oneDNN) agree too.
    Tensor y_ref(DType::f32, g.x), dx_ref(DType::f32, g.x);
    kernels::batch_norm_forward(DType::f32, x.raw(), scale.raw(), offset.raw(), nullptr, nullptr, y_ref.raw(), d, eps, true);
    kernels::batch_norm_backward(DType::f32, dy.raw(), x.raw(), scale.raw(), dx_ref.raw(), d, eps, true);
    EXPECT_TRUE(close(y_ref, f64(y), 1e-4));
    EXPECT_TRUE(close(dx_ref, f64(dx), 1e-4));
  }
}

// d²/dx² and d²/d scale dx of a loss through the training-mode op: the gradient op's own gradient.
TEST(BatchNormGradients, SecondDerivativesMatchFiniteDifferences) {
  for (const char* format : {"NHWC", "NCHW"}) {
    SCOPED_TRACE(format);
    Graph g;
    g.as_default();
    const Shape s{2, 3, 2, 3};
    const Node x = placeholder(DType::f64, s), scale = placeholder(DType::f64, {3});
    const Node offset = constant(Tensor{0.1, -0.2, 0.3});
    const Node y = nn::fused_batch_norm(x, scale, offset, {.data_format = format}).y;
    const Node loss = reduce_sum(square(y) * constant(wavy(s, 7)));
    const std::vector<Node> d = gradients(loss, {x, scale});
    const Node second = reduce_sum(square(d[0])) + reduce_sum(d[1] * constant(Tensor{1., -2., 0.5}));
    const FeedDict feeds{{x, wavy(s, 8)}, {scale, Tensor{1.5, -0.7, 2.}}};
    EXPECT_LE(compute_gradient_error(second, x, feeds), 1e-6);
    EXPECT_LE(compute_gradient_error(second, scale, feeds), 1e-6);
  }
}

// The layer's moving statistics after N training steps, as the recurrence says; training fed
// false moves nothing and normalizes with them.
TEST(BatchNormLayer, MovingStatisticsFollowEveryOptimizerStep) {
  Graph g;
  g.as_default();
  const Shape s{4, 3, 2, 2};
  const Node x = placeholder(DType::f64, {-1, 3, 2, 2}, "x"), training = placeholder(DType::boolean, {}, "training");
  const Node y = layers::batch_normalization(x, training, {.momentum = 0.9});
  const Node loss = reduce_sum(y * constant(wavy(s, 9)));
  ASSERT_EQ(g.get_collection(GraphKeys::UPDATE_OPS).size(), 2u);
  const Node moving_mean = g.node("batch_normalization/moving_mean");
  const Node moving_var = g.node("batch_normalization/moving_variance");
  EXPECT_FALSE(moving_mean.trainable());
  EXPECT_FALSE(moving_var.trainable());
  EXPECT_EQ(train::trainable_variables_of(loss).size(), 2u);  // gamma, beta
  const Node step = train::AdamOptimizer(0.01).minimize(loss);
  EXPECT_EQ(step.type(), "group");
  Session sess(g);
  std::vector<double> m(2, 0.0), v(2, 1.0);
  for (int i = 0; i < 3; ++i) {
    const Tensor batch = wavy(s, i);
    sess.run(step, {{x, batch}, {training, Tensor::scalar(true)}});
    std::vector<double> bm, bv;
    tg::testing::bn_stats(batch, tg::testing::BnView(s, 3), bm, bv);
    for (int c = 0; c < 2; ++c) {
      m[c] = 0.9 * m[c] + 0.1 * bm[c];
      v[c] = 0.9 * v[c] + 0.1 * bv[c] * 24 / 23;  // Bessel-corrected: 24 values per channel
    }
  }
  const Tensor mm = sess.run(moving_mean), mv = sess.run(moving_var);
  for (int c = 0; c < 2; ++c) {
    EXPECT_NEAR(mm.flat(c), m[c], 1e-12);
    EXPECT_NEAR(mv.flat(c), v[c], 1e-12);
  }
  // Fed false: a step trains gamma and beta but leaves the moving statistics bit for bit.
  sess.run(step, {{x, wavy(s, 5)}, {training, Tensor::scalar(false)}});
  EXPECT_TRUE(close(sess.run(moving_mean), mm, 0));
  EXPECT_TRUE(close(sess.run(moving_var), mv, 0));
  const Tensor out = sess.run(y, {{x, wavy(s, 6)}, {training, Tensor::scalar(false)}});
  const Node gamma = g.node("batch_normalization/gamma"), beta = g.node("batch_normalization/beta");
  EXPECT_TRUE(close(out, bn_ref(wavy(s, 6), sess.run(gamma), sess.run(beta), 3, 0.001, mm, mv), 1e-12));
  EXPECT_TRUE(close(sess.run(moving_mean), mm, 0));
}

TEST(BatchNormLayer, EveryOptimizerRunsTheUpdates) {
  for (int which = 0; which < 5; ++which) {
    SCOPED_TRACE(which);
    Graph g;
    g.as_default();
    const Node x = placeholder(DType::f64, {-1, 3});
    const Node y = layers::batch_normalization(x, true, {.axis = 1});
    const Node loss = reduce_sum(square(y - 0.5));
    Node step;
    switch (which) {
      case 0: step = train::GradientDescentOptimizer(0.1).minimize(loss); break;
      case 1: step = train::MomentumOptimizer(0.1, 0.9).minimize(loss); break;
      case 2: step = train::RMSPropOptimizer(0.1).minimize(loss); break;
      case 3: step = train::AdamOptimizer(0.1).apply_gradients(train::AdamOptimizer(0.1).compute_gradients(loss)); break;
      default: {
        const Node global_step = Variable(Tensor::scalar<std::int64_t>(0), "global_step", false);
        const train::GradientDescentOptimizer o(0.1);
        step = o.apply_gradients(o.compute_gradients(loss), "", global_step);
      }
    }
    Session s(g);
    s.run(step, {{x, Tensor{{1., 2., 3.}, {3., 6., 9.}}}});
    EXPECT_TRUE(close(s.run(g.node("batch_normalization/moving_mean")), Tensor{0.02, 0.04, 0.06}, 1e-12));
    EXPECT_TRUE(close(s.run(g.node("batch_normalization/moving_variance")), Tensor{1.01, 1.07, 1.17}, 1e-12));
  }
}

// The moving statistics are Variables like any other: saved, restored, exported and imported.
TEST(BatchNormLayer, CheckpointAndExportKeepTheMovingStatistics) {
  Graph g;
  g.as_default();
  const Shape s{3, 2, 2, 2};
  const Node x = placeholder(DType::f64, {-1, 2, 2, 2}, "x"), training = placeholder(DType::boolean, {}, "training");
  const Node y = layers::batch_normalization(x, training, {.axis = 1, .momentum = 0.5, .name = "bn"});
  const Node step = train::GradientDescentOptimizer(0.1).minimize(reduce_sum(y * constant(wavy(s, 1))));
  Session sess(g);
  for (int i = 0; i < 2; ++i) sess.run(step, {{x, wavy(s, i)}, {training, Tensor::scalar(true)}});
  const Tensor mm = sess.run(g.node("bn/moving_mean")), mv = sess.run(g.node("bn/moving_variance"));
  ASSERT_GT(std::fabs(mm.flat(0)), 1e-3);
  const Tensor want = sess.run(y, {{x, wavy(s, 4)}, {training, Tensor::scalar(false)}});

  const std::string ckpt = tg::testing::temp_path("bn.safetensors");
  train::Saver().save(sess, ckpt);
  Session fresh(g);
  train::Saver().restore(fresh, ckpt);
  EXPECT_TRUE(close(fresh.run(g.node("bn/moving_mean")), mm, 0));
  EXPECT_TRUE(close(fresh.run(y, {{x, wavy(s, 4)}, {training, Tensor::scalar(false)}}), want, 0));

  export_model(sess, {y}, tg::testing::temp_path("bn_model"));
  LoadedModel m = import_model(tg::testing::temp_path("bn_model"));
  EXPECT_FALSE(m.nodes.at("bn/moving_variance").trainable());
  EXPECT_TRUE(m.nodes.at("bn/gamma").trainable());
  Session loaded(m.graph);
  EXPECT_TRUE(close(loaded.run(m.nodes.at("bn/moving_variance")), mv, 0));
  EXPECT_TRUE(close(loaded.run(m.outputs[0], {{m.nodes.at("x"), wavy(s, 4)}, {m.nodes.at("training"), Tensor::scalar(false)}}),
                    want, 0));
}

TEST(BatchNormOps, CompositeMomentsAndBatchNormalizationMatchTheFusedOp) {
  Graph g;
  g.as_default();
  const Shape s{2, 3, 3, 4};
  const Node x = constant(wavy(s, 2)), scale = constant(wavy({4}, 3)), offset = constant(wavy({4}, 4));
  const nn::Moments m = nn::moments(x, {0, 1, 2});
  EXPECT_EQ(m.mean.shape(), (Shape{4}));
  EXPECT_EQ(nn::moments(x, {0, 1, 2}, true).variance.shape(), (Shape{1, 1, 1, 4}));
  const Node composite = nn::batch_normalization(x, m.mean, m.variance, offset, scale, 0.001);
  const nn::FusedBatchNorm f = nn::fused_batch_norm(x, scale, offset);
  Session sess(g);
  EXPECT_TRUE(close(sess.run(composite), sess.run(f.y), 1e-12));
  EXPECT_TRUE(close(sess.run(f.batch_mean), sess.run(m.mean), 1e-12));
  EXPECT_TRUE(close(sess.run(f.batch_variance), sess.run(m.variance * (18.0 / 17)), 1e-12));  // Bessel
}

// n / (n - 1) with n counted at run time for the dimensions the static shape leaves unknown.
TEST(BatchNormOps, BatchVarianceIsBesselCorrectedForAnyKnownDimensions) {
  const Shape s{3, 4, 5, 2};
  for (const Shape& declared : {s, Shape{-1, 4, 5, 2}, Shape{-1, -1, 5, 2}, Shape{-1, -1, -1, 2}}) {
    SCOPED_TRACE(declared.str());
    Graph g;
    g.as_default();
    const Node x = placeholder(DType::f64, declared);
    const nn::FusedBatchNorm f = nn::fused_batch_norm(x, constant(Tensor{1., 1.}), constant(Tensor{0., 0.}));
    Session sess(g);
    const Tensor v = sess.run(f.batch_variance, {{x, wavy(s, 3)}});
    std::vector<double> m, want;
    tg::testing::bn_stats(wavy(s, 3), tg::testing::BnView(s, 3), m, want);
    for (int c = 0; c < 2; ++c) EXPECT_NEAR(v.flat(c), want[c] * 60 / 59, 1e-12);
  }
}

TEST(BatchNormOps, BadArgumentsAreClearErrors) {
  Graph g;
  g.as_default();
  const Node x = placeholder(DType::f32, {2, 3, 4, 5}), v = placeholder(DType::f32, {5});
  EXPECT_THROW(nn::fused_batch_norm(x, placeholder(DType::f32, {4}), v), ShapeError);
  EXPECT_THROW(nn::fused_batch_norm(x, placeholder(DType::f64, {5}), v), DTypeError);
  EXPECT_THROW(nn::fused_batch_norm(placeholder(DType::f32, {2, 3, 4}), v, v), ShapeError);
  EXPECT_THROW(nn::fused_batch_norm(x, v, v, {.data_format = "NCWH"}), GraphError);
  EXPECT_THROW(nn::fused_batch_norm(x, v, v, {.is_training = false}), GraphError);  // no mean, variance
  EXPECT_THROW(assign_moving_average(x, x, 0.9), GraphError);                       // not a Variable
  EXPECT_THROW(layers::batch_normalization(placeholder(DType::f32, {2, 3, 4}), true), GraphError);
  EXPECT_THROW(layers::batch_normalization(x, placeholder(DType::f32, {})), DTypeError);
  const Node var = Variable(Tensor::zeros({5}, DType::f32)), value = placeholder(DType::f32);
  const Node update = assign_moving_average(var, value, 0.9);
  Session s(g);
  EXPECT_THROW(s.run(update, {{value, Tensor::zeros({4}, DType::f32)}}), ShapeError);
}

}  // namespace
