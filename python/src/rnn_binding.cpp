#include "rnn_binding.h"

#include <pybind11/stl.h>

#include <map>

#include "convert.h"
#include "errors.h"
#include "tensorgraph/rnn.h"

namespace tgpy {
namespace {

tg::nn::CellOptions cell_options(const std::string& cell, const std::string& activation, double forget_bias,
                                 std::uint64_t seed, const std::string& name) {
  static const std::map<std::string, tg::layers::Activation> acts{
      {"", tg::layers::Activation::tanh}, {"tanh", tg::layers::Activation::tanh},
      {"relu", tg::layers::Activation::relu}, {"sigmoid", tg::layers::Activation::sigmoid},
      {"linear", tg::layers::Activation::none}};
  auto a = acts.find(activation);
  if (a == acts.end())
    throw ArgumentValueError(cell + ": unknown activation '" + activation + "' (tanh, relu, sigmoid or None)");
  return {.activation = a->second, .forget_bias = forget_bias, .seed = seed, .name = name};
}

}  // namespace

void bind_rnn(py::module_& m) {
  py::class_<tg::nn::RNNCell, std::shared_ptr<tg::nn::RNNCell>>(m, "RNNCell")
      .def_property_readonly("output_size", &tg::nn::RNNCell::output_size)
      .def_property_readonly("state_size", &tg::nn::RNNCell::state_size)
      .def("step", &tg::nn::RNNCell::step)
      .def("variables", &tg::nn::RNNCell::variables)
      .def("zero_state", [](const tg::nn::RNNCell& c, const tg::Node& like, const py::object& dtype) {
        return c.zero_state(like, parse_dtype(dtype));
      });
  auto single = [&m](const char* fn, std::shared_ptr<tg::nn::RNNCell> (*make)(std::int64_t, const tg::nn::CellOptions&)) {
    m.def(fn, [fn, make](std::int64_t units, const std::string& activation, double forget_bias, std::uint64_t seed,
                         const std::string& name) {
      return make(units, cell_options(fn, activation, forget_bias, seed, name));
    });
  };
  single("basic_rnn_cell", &tg::nn::basic_rnn_cell);
  single("lstm_cell", &tg::nn::lstm_cell);
  single("gru_cell", &tg::nn::gru_cell);
  m.def("multi_rnn_cell", &tg::nn::multi_rnn_cell);
  m.def("static_rnn", [](tg::nn::RNNCell& cell, const std::vector<tg::Node>& inputs, const tg::nn::RNNState& initial,
                         const std::optional<tg::Node>& lengths) {
    auto r = tg::nn::static_rnn(cell, inputs, initial, lengths.value_or(tg::Node()));
    return std::make_pair(r.outputs, r.state);
  });
  m.def("dynamic_rnn", [](tg::nn::RNNCell& cell, const tg::Node& inputs, const std::optional<tg::Node>& lengths,
                          const tg::nn::RNNState& initial, bool time_major) {
    auto r = tg::nn::dynamic_rnn(cell, inputs, lengths.value_or(tg::Node()), initial, time_major);
    return std::make_pair(r.outputs, r.state);
  });
}

}  // namespace tgpy
