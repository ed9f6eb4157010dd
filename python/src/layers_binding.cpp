#include "layers_binding.h"

#include <pybind11/stl.h>

#include <map>

#include "errors.h"
#include "tensorgraph/layers.h"

namespace tgpy {
namespace {

tg::layers::Activation activation_named(const std::string& layer, const std::string& activation) {
  static const std::map<std::string, tg::layers::Activation> acts{
      {"", tg::layers::Activation::none}, {"relu", tg::layers::Activation::relu},
      {"sigmoid", tg::layers::Activation::sigmoid}, {"tanh", tg::layers::Activation::tanh}};
  auto a = acts.find(activation);
  if (a == acts.end())
    throw ArgumentValueError(layer + ": unknown activation '" + activation + "' (relu, sigmoid, tanh or None)");
  return a->second;
}

tg::layers::Init init_named(const std::string& layer, const std::string& init) {
  static const std::map<std::string, tg::layers::Init> inits{
      {"", tg::layers::Init::automatic}, {"glorot_uniform", tg::layers::Init::glorot_uniform},
      {"he_normal", tg::layers::Init::he_normal}};
  auto i = inits.find(init);
  if (i == inits.end())
    throw ArgumentValueError(layer + ": unknown initializer '" + init + "' (glorot_uniform or he_normal)");
  return i->second;
}

}  // namespace

void bind_layers(py::module_& m) {
  m.def("dense", [](const tg::Node& x, std::int64_t units, std::uint64_t seed, const std::string& activation,
                    const std::string& init, const std::string& name, bool reuse) {
    tg::Rng rng(seed);
    return tg::layers::dense(x, units, rng,
                             {.activation = activation_named("dense", activation), .init = init_named("dense", init),
                              .name = name, .reuse = reuse});
  });
  m.def("conv2d", [](const tg::Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                     const std::vector<std::int64_t>& strides, const std::string& padding,
                     const std::string& data_format, const std::vector<std::int64_t>& dilation_rate,
                     const std::string& activation, bool use_bias, const std::string& init, std::uint64_t seed,
                     const std::string& name, bool reuse) {
    tg::Rng rng(seed);
    return tg::layers::conv2d(x, filters, kernel_size, rng,
                              {.strides = strides, .padding = padding, .data_format = data_format,
                               .dilation_rate = dilation_rate, .activation = activation_named("conv2d", activation),
                               .use_bias = use_bias, .init = init_named("conv2d", init), .name = name, .reuse = reuse});
  });
  m.def("conv2d_transpose_layer", [](const tg::Node& x, std::int64_t filters, const std::vector<std::int64_t>& kernel_size,
                                     const std::vector<std::int64_t>& strides, const std::string& padding,
                                     const std::string& data_format, const std::string& activation, bool use_bias,
                                     const std::string& init, std::uint64_t seed, const std::string& name, bool reuse) {
    tg::Rng rng(seed);
    return tg::layers::conv2d_transpose(
        x, filters, kernel_size, rng,
        {.strides = strides, .padding = padding, .data_format = data_format,
         .activation = activation_named("conv2d_transpose", activation), .use_bias = use_bias,
         .init = init_named("conv2d_transpose", init), .name = name, .reuse = reuse});
  });
  for (const char* pool : {"max_pooling2d", "average_pooling2d"}) {
    const bool max = std::string(pool) == "max_pooling2d";
    m.def(pool, [max](const tg::Node& x, const std::vector<std::int64_t>& pool_size,
                      const std::vector<std::int64_t>& strides, const std::string& padding,
                      const std::string& data_format, const std::string& name) {
      const tg::layers::Pooling2DOptions o{.padding = padding, .data_format = data_format, .name = name};
      return max ? tg::layers::max_pooling2d(x, pool_size, strides, o)
                 : tg::layers::average_pooling2d(x, pool_size, strides, o);
    });
  }
  m.def("flatten", &tg::layers::flatten);
  m.def("batch_normalization_layer", [](const tg::Node& x, const py::object& training, int axis, double momentum,
                                        double epsilon, bool center, bool scale, const std::string& name,
                                        bool reuse) {
    const tg::layers::BatchNormalizationOptions o{axis, momentum, epsilon, center, scale, name, reuse};
    if (py::isinstance<tg::Node>(training)) return tg::layers::batch_normalization(x, training.cast<tg::Node>(), o);
    return tg::layers::batch_normalization(x, training.cast<bool>(), o);
  });
  m.def("l2_loss", &tg::layers::l2_loss);
  m.def("dropout", py::overload_cast<const tg::Node&, double, const tg::Node&, std::uint64_t, const std::string&>(
                       &tg::layers::dropout));
  m.def("accuracy", &tg::layers::accuracy);
}

}  // namespace tgpy
