#pragma once
// TG_PROFILE=1 in the environment: the wall time of every kernel a session runs, summed per op and
// output shape over the process and printed to stderr as a table when it exits (a developer's
// view of where a step's time goes; off, it costs one branch per kernel).
#include <chrono>
#include <string>

#include "tensorgraph/shape.h"

namespace tg::detail {

/// Whether TG_PROFILE is set to something other than "" or "0" (read once).
bool profiling();
/// Adds one kernel call of `op` producing `shape`, which took `seconds`.
void record_kernel(const char* op, const Shape& shape, double seconds);

}  // namespace tg::detail
