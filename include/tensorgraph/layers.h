#pragma once
// Graph pieces for models: layers create their Variables (named "<name>/kernel", "<name>/bias", as TensorFlow) with a
// seeded initialiser; losses and metrics are ordinary nodes.
#include <string>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/random.h"

namespace tg::layers {

enum class Activation { none, relu, sigmoid, tanh };
/// Glorot (Xavier) uniform: U(±sqrt(6 / (fan_in + fan_out))); He normal: N(0, 2 / fan_in);
/// automatic: He before a relu, Glorot otherwise.
enum class Init { automatic, glorot_uniform, he_normal };

/// activation(x · W + b) with W [in, units] and b [units] (zeros); x's last dimension must be known.
Node dense(const Node& x, std::int64_t units, Rng& rng, Activation activation = Activation::none,
           Init init = Init::automatic, const std::string& name = "dense");
/// dense's optional arguments by name: dense(x, 64, rng, {.activation = Activation::relu, .name = "hidden"}).
struct DenseOptions {
  Activation activation = Activation::none;
  Init init = Init::automatic;
  std::string name = "dense";
  /// TensorFlow's reuse: take the Variables "<name>/kernel" and "<name>/bias" made before (their
  /// shapes must fit) instead of making new ones, so two calls share their weights.
  bool reuse = false;
};
Node dense(const Node& x, std::int64_t units, Rng& rng, const DenseOptions& options);
/// Inverted dropout: while `training` (a bool scalar node fed per run) each element of x is zeroed
/// with probability `rate` and the others scaled by 1 / (1 - rate); otherwise x passes unchanged.
/// The mask's random node is named "<name>/random".
Node dropout(const Node& x, double rate, const Node& training, std::uint64_t seed = 0,
             const std::string& name = "dropout");
/// dropout's optional arguments by name.
struct DropoutOptions {
  std::uint64_t seed = 0;
  std::string name = "dropout";
};
Node dropout(const Node& x, double rate, const Node& training, const DropoutOptions& options);
/// conv2d's optional arguments, with tf.layers.conv2d's names and defaults.
struct Conv2DOptions {
  std::vector<std::int64_t> strides{1, 1};
  std::string padding = "valid";               // or "same" (TensorFlow's arithmetic)
  std::string data_format = "channels_last";   // NHWC; or "channels_first" (NCHW)
  std::vector<std::int64_t> dilation_rate{1, 1};
  Activation activation = Activation::none;
  bool use_bias = true;
  Init init = Init::automatic;  // fans: kh·kw·in and kh·kw·filters
  std::string name = "conv2d";
  bool reuse = false;  // as DenseOptions::reuse
};
/// activation(conv2d(x, K) + b): K [kh, kw, in, filters] seeded as dense's, b [filters] zeros; Variables
/// "<name>/kernel" and "<name>/bias". kernel_size, strides and dilation_rate: one entry (square) or two.
Node conv2d(const Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size, Rng& rng,
            const Conv2DOptions& options = {});
/// conv2d_transpose's optional arguments, with tf.layers.conv2d_transpose's names and defaults.
struct Conv2DTransposeOptions {
  std::vector<std::int64_t> strides{1, 1};
  std::string padding = "valid";              // output (in - 1)·stride + max(k, stride); "same": in·stride
  std::string data_format = "channels_last";  // or "channels_first"
  Activation activation = Activation::none;
  bool use_bias = true;
  Init init = Init::automatic;  // fans of the kernel [kh, kw, filters, in]: kh·kw·filters and kh·kw·in
  std::string name = "conv2d_transpose";
  bool reuse = false;  // as DenseOptions::reuse
};
/// activation(conv2d_transpose(x, K) + b), the gradient of a convolution w.r.t. its input (an
/// upsampling): K [kh, kw, filters, in] seeded as conv2d's, b [filters] zeros; Variables
/// "<name>/kernel" and "<name>/bias". x's height, width and channels must be known.
Node conv2d_transpose(const Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size, Rng& rng,
                      const Conv2DTransposeOptions& options = {});
/// The pooling layers' optional arguments (tf.layers names).
struct Pooling2DOptions {
  std::string padding = "valid";              // or "same"
  std::string data_format = "channels_last";  // or "channels_first"
  std::string name = "";
};
/// tf.layers.max_pooling2d: pool_size and strides of one entry (square) or two.
Node max_pooling2d(const Node& x, const std::vector<std::int64_t>& pool_size, const std::vector<std::int64_t>& strides,
                   const Pooling2DOptions& options = {});
/// tf.layers.average_pooling2d (the padding is not counted in the average).
Node average_pooling2d(const Node& x, const std::vector<std::int64_t>& pool_size,
                       const std::vector<std::int64_t>& strides, const Pooling2DOptions& options = {});
/// x reshaped to [batch, product of the other dimensions] (those must be known), as tf.layers.flatten.
Node flatten(const Node& x, const std::string& name = "flatten");
/// batch_normalization's optional arguments: TensorFlow 1.x's tf.layers.batch_normalization's.
struct BatchNormalizationOptions {
  int axis = -1;            // the channel axis: -1 (or 3) of NHWC, 1 of NCHW, -1 of [batch, features]
  double momentum = 0.99;   // moving = momentum moving + (1 - momentum) batch
  double epsilon = 0.001;
  bool center = true;       // a trainable offset "<scope>/beta" (zeros); else none
  bool scale = true;        // a trainable scale "<scope>/gamma" (ones); else none
  std::string name = "batch_normalization";  // the scope; name_1, name_2, ... when taken
  bool reuse = false;  // take gamma, beta and the moving statistics of the scope `name` made before
};
/// Batch normalization of a 4-D or 2-D x over every axis but `axis`. While `training` (a bool
/// scalar node fed per run, or a constant bool) the batch's statistics normalize, and every
/// optimizer step also updates the non-trainable "<scope>/moving_mean" and "<scope>/moving_variance"
/// (by the Bessel-corrected batch variance, as TensorFlow's fused kernel and PyTorch do): the
/// updates are in the graph's UPDATE_OPS collection, which minimize and apply_gradients run.
/// Otherwise the moving statistics normalize and nothing changes.
Node batch_normalization(const Node& x, const Node& training, const BatchNormalizationOptions& options = {});
Node batch_normalization(const Node& x, bool training = false, const BatchNormalizationOptions& options = {});
/// TensorFlow's l2_loss summed over `weights`: sum(w^2) / 2.
Node l2_loss(const std::vector<Node>& weights);
/// The fraction of rows whose argmax of `logits` equals the integer label (a float of logits' dtype).
Node accuracy(const Node& logits, const Node& labels);

}  // namespace tg::layers
