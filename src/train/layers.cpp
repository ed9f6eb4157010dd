#include "tensorgraph/layers.h"

#include <cmath>

#include "initializers.h"
#include "tensorgraph/nn/normalization.h"
#include "tensorgraph/ops.h"

namespace tg::layers {

Node dense(const Node& x, std::int64_t units, Rng& rng, Activation activation, Init init, const std::string& name) {
  return dense(x, units, rng, DenseOptions{.activation = activation, .init = init, .name = name});
}

Node dense(const Node& x, std::int64_t units, Rng& rng, const DenseOptions& o) {
  const std::string& name = o.name;
  const Shape& s = x.shape();
  if (!s.rank_known() || s.rank() < 1 || s.dim(-1) < 0)
    throw GraphError("dense '" + name + "': the last dimension of input '" + x.name() + "' must be known, got " +
                     s.str());
  if (units < 1) throw GraphError("dense '" + name + "': units must be at least 1, got " + std::to_string(units));
  const DType dtype = detail::layer_dtype(x, "dense '" + name + "'");
  const std::int64_t fan_in = s.dim(-1);
  // NOTE: TensorFlow's names (dense/kernel, dense/bias); the CLI still reads checkpoints of "/W", "/b".
  const std::string layer = "dense '" + name + "'";
  const Node W = detail::layer_variable(x, layer, name + "/kernel", {fan_in, units}, dtype, o.reuse, [&] {
    return detail::initial_kernel({fan_in, units}, fan_in, units, o.init, o.activation, rng, dtype);
  });
  const Node b = detail::layer_variable(x, layer, name + "/bias", {units}, dtype, o.reuse,
                                        [&] { return Tensor::zeros({units}, dtype); });
  return detail::activate(add(matmul(x, W), b), o.activation);
}

namespace detail {

Tensor initial_kernel(const Shape& shape, std::int64_t fan_in, std::int64_t fan_out, Init init,
                      Activation activation, Rng& rng, DType dtype) {
  if (init == Init::automatic) init = activation == Activation::relu ? Init::he_normal : Init::glorot_uniform;
  if (init == Init::he_normal) return Tensor::randn(shape, rng, dtype, 0, std::sqrt(2.0 / static_cast<double>(fan_in)));
  const double bound = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  return Tensor::uniform(shape, rng, dtype, -bound, bound);
}

DType layer_dtype(const Node& x, const std::string& layer) {
  const DType dtype = x.dtype() == DType::unknown ? DType::f64 : x.dtype();
  if (!is_floating(dtype)) throw DTypeError(layer + ": input '" + x.name() + "' is " + dtype_name(dtype));
  return dtype;
}

Node variable_in_graph_of(const Node& x, const Tensor& value, const std::string& name, bool trainable) {
  Graph saved = Graph::get_default();
  x.graph().as_default();
  const Node v = Variable(value, name, trainable);
  saved.as_default();
  return v;
}

Node layer_variable(const Node& x, const std::string& layer, const std::string& name, const Shape& shape,
                    DType dtype, bool reuse, const std::function<Tensor()>& make, bool trainable) {
  if (!reuse) return variable_in_graph_of(x, make(), name, trainable);
  const Graph g = x.graph();
  if (!g.has_node(name))
    throw GraphError(layer + ": Variable " + name + " does not exist, or was not created by a layer; reuse shares "
                     "the Variables of an earlier call of the same name");
  const Node v = g.node(name);
  if (v.kind() != NodeKind::variable)
    throw GraphError(layer + ": reuse found '" + name + "', a " + v.type() + " node, not a Variable");
  if (v.shape() != shape || v.dtype() != dtype)
    throw ShapeError(layer + ": reuse of Variable " + name + " " + v.shape().str() + " " + dtype_name(v.dtype()) +
                     " for a call that needs " + shape.str() + " " + dtype_name(dtype));
  return v;
}

Node activate(const Node& z, Activation activation) {
  switch (activation) {
    case Activation::relu: return relu(z);
    case Activation::sigmoid: return sigmoid(z);
    case Activation::tanh: return tanh(z);
    case Activation::none: break;
  }
  return z;
}

}  // namespace detail

Node dropout(const Node& x, double rate, const Node& training, const DropoutOptions& o) {
  return dropout(x, rate, training, o.seed, o.name);
}

Node dropout(const Node& x, double rate, const Node& training, std::uint64_t seed, const std::string& name) {
  if (!(rate >= 0 && rate < 1))
    throw GraphError("dropout '" + name + "': rate must be in [0, 1), got " + std::to_string(rate));
  if (training.dtype() != DType::boolean && training.dtype() != DType::unknown)
    throw DTypeError("dropout '" + name + "': training must be a bool node, got " + dtype_name(training.dtype()));
  if (x.dtype() == DType::unknown)
    throw GraphError("dropout '" + name + "': the dtype of '" + x.name() + "' must be known");
  const Node u = random_uniform_like(x, seed, name + "/random");
  const Node keep = cast(greater(u, scalar_like(u, rate)), x.dtype());
  // m = 1 while not training, keep / (1 - rate) while training. NOTE: the flag reshaped to a scalar,
  // so that a placeholder of unknown shape (tf.placeholder(tf.bool)) leaves the output x's shape.
  const Node t = reshape(cast(training, x.dtype()), Shape{});
  const Node m = 1.0 + t * (keep * (1.0 / (1.0 - rate)) - 1.0);
  return multiply(x, m, name);
}

namespace {

nn::FusedBatchNormOptions named(nn::FusedBatchNormOptions f, const std::string& name) {
  f.name = name;
  return f;
}

// training: a bool scalar node, or (node invalid) the constant `fixed`.
Node batch_norm(const Node& x, const Node& training, bool fixed, const BatchNormalizationOptions& o) {
  const std::string who = "batch_normalization '" + o.name + "'";
  const Shape& s = x.shape();
  if (!s.rank_known()) throw GraphError(who + ": the rank of input '" + x.name() + "' must be known");
  const int axis = normalize_axis(o.axis, s.rank(), who);
  if (s[axis] < 0) throw GraphError(who + ": the channel dimension of '" + x.name() + "' must be known, got " + s.str());
  if (!is_floating(x.dtype())) throw DTypeError(who + ": input '" + x.name() + "' is " + dtype_name(x.dtype()));
  if (training.valid() && training.dtype() != DType::boolean)
    throw DTypeError(who + ": training must be a bool node, got " + dtype_name(training.dtype()));
  if (!(o.momentum >= 0 && o.momentum <= 1)) throw GraphError(who + ": momentum must be in [0, 1]");
  const bool fused = (s.rank() == 4 && (axis == 1 || axis == 3)) || (s.rank() == 2 && axis == 1);
  if (!fused) throw GraphError(who + ": x must be 4-D with axis 1 or 3 (-1), or 2-D with axis 1 (-1), got " + s.str());
  const DType dt = x.dtype();
  const Shape c{s[axis]};
  std::string scope = o.name;
  for (int k = 1; !o.reuse && x.graph().has_node(scope + "/moving_mean"); ++k) scope = o.name + "_" + std::to_string(k);
  const auto ones = [&] { return Tensor::ones(c, dt); };
  const auto zeros = [&] { return Tensor::zeros(c, dt); };
  const auto var = [&](const char* name, const std::function<Tensor()>& make, bool trainable) {
    return detail::layer_variable(x, who, scope + name, c, dt, o.reuse, make, trainable);
  };
  Graph saved = Graph::get_default();
  x.graph().as_default();  // the constants join x's graph
  const Node gamma = o.scale ? var("/gamma", ones, true) : constant(ones());
  const Node beta = o.center ? var("/beta", zeros, true) : constant(zeros());
  saved.as_default();
  const Node moving_mean = var("/moving_mean", zeros, false);
  const Node moving_variance = var("/moving_variance", ones, false);
  nn::FusedBatchNormOptions f{.epsilon = o.epsilon, .data_format = s.rank() == 4 && axis == 1 ? "NCHW" : "NHWC"};
  const nn::FusedBatchNorm train = training.valid() || fixed
                                       ? nn::fused_batch_norm(x, gamma, beta, named(f, scope + "/FusedBatchNorm"))
                                       : nn::FusedBatchNorm{};
  f.mean = moving_mean, f.variance = moving_variance, f.is_training = false;
  if (!training.valid() && !fixed) return nn::fused_batch_norm(x, gamma, beta, named(f, scope + "/FusedBatchNorm")).y;
  Node y = train.y, decay = scalar_like(x, o.momentum);
  if (training.valid()) {  // both paths, selected: t y_train + (1 - t) y_inference, exact for t in {0, 1}
    const Node t = reshape(cast(training, dt), Shape{});  // a scalar: y keeps x's shape
    y = t * train.y + (1.0 - t) * nn::fused_batch_norm(x, gamma, beta, named(f, scope + "/FusedBatchNormInference")).y;
    decay = t * o.momentum + (1.0 - t);  // 1 (no change) while not training
  }
  // NOTE: the moving variance follows the Bessel-corrected batch variance, as TensorFlow's fused
  // kernel (which tf.layers uses for 4-D inputs) and PyTorch's BatchNorm do.
  x.graph().add_to_collection(GraphKeys::UPDATE_OPS,
                              assign_moving_average(moving_mean, train.batch_mean, decay, scope + "/AssignMovingAvg"));
  x.graph().add_to_collection(GraphKeys::UPDATE_OPS, assign_moving_average(moving_variance, train.batch_variance, decay,
                                                                           scope + "/AssignMovingAvg_1"));
  return y;
}

}  // namespace

Node batch_normalization(const Node& x, const Node& training, const BatchNormalizationOptions& o) {
  if (!training.valid()) throw GraphError("batch_normalization '" + o.name + "': training is an invalid Node");
  return batch_norm(x, training, false, o);
}
Node batch_normalization(const Node& x, bool training, const BatchNormalizationOptions& o) {
  return batch_norm(x, Node(), training, o);
}

Node l2_loss(const std::vector<Node>& weights) {
  if (weights.empty()) throw GraphError("l2_loss: no weights given");
  Node total;
  for (const Node& w : weights) {
    const Node term = reduce_sum(square(w));
    total = total.valid() ? add(total, term) : term;
  }
  return total * 0.5;
}

Node accuracy(const Node& logits, const Node& labels) {
  const DType dtype = logits.dtype() == DType::unknown ? DType::f64 : logits.dtype();
  // NOTE: compared as float64, so a label of 1.7 matches no class (a cast to int64 made it class 1).
  return reduce_mean(cast(equal(cast(argmax(logits, -1), DType::f64), cast(labels, DType::f64)), dtype));
}

}  // namespace tg::layers
