#pragma once
// tensorgraph._core's training side: what each binds, in train_binding.cpp.
#include <pybind11/pybind11.h>

#include "tensorgraph/optimizers.h"

namespace tgpy {
namespace py = pybind11;

/// [(gradient or None, Variable)] from Python as C++ pairs (None: an invalid Node).
tg::train::GradsAndVars grads_and_vars_from_python(const py::handle& pairs);
/// MomentumOptimizer, RMSPropOptimizer, AdamOptimizer, Schedule and train.schedules.
void bind_optimizers(py::module_& m);
/// The `training` submodule: Saver, fit and evaluate.
void bind_training(py::module_& m);
/// The `data` submodule: read_csv, Dataset and its batches.
void bind_data(py::module_& m);
/// export_model and import_model.
void bind_export(py::module_& m);

}  // namespace tgpy
