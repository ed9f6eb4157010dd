#pragma once
// Python Operation subclasses inside the C++ graph: compute() and the gradient function
// registered with @RegisterGradient are called (under the GIL) when the session runs them.
#include <memory>
#include <vector>

#include <pybind11/pybind11.h>

#include "tensorgraph/custom_op.h"

namespace tgpy {
namespace py = pybind11;

/// A node computed by `op.compute(*values)`; `op.inputs` and `op.output` are set around the call.
tg::Node python_op(const py::object& op, const std::vector<tg::Node>& inputs, const std::string& name);

}  // namespace tgpy
