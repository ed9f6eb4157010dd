#pragma once
// tensorgraph._core's layers (the C++ tg::layers), bound in layers_binding.cpp.
#include <pybind11/pybind11.h>

namespace tgpy {
namespace py = pybind11;

/// dense, dropout, l2_loss, accuracy, conv2d, max_pooling2d, average_pooling2d, flatten.
void bind_layers(py::module_& m);

}  // namespace tgpy
