#pragma once
// tensorgraph._core's recurrent cells and loops (the C++ tg::nn rnn.h), bound in rnn_binding.cpp.
#include <pybind11/pybind11.h>

namespace tgpy {
namespace py = pybind11;

/// RNNCell, basic_rnn_cell, lstm_cell, gru_cell, multi_rnn_cell, static_rnn, dynamic_rnn.
void bind_rnn(py::module_& m);

}  // namespace tgpy
