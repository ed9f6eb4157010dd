#pragma once
// tensorgraph._core.distributed (distributed_binding.cpp).
#include <pybind11/pybind11.h>

namespace tgpy {
namespace py = pybind11;

/// The `distributed` submodule: init, rank, size, allreduce, broadcast, broadcast_variables ...
void bind_distributed(py::module_& m);

}  // namespace tgpy
