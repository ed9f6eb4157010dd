#pragma once
// tensorgraph.Session for Python, and the tutorial's numeric gradient table, which reads the
// values of a loss's most recent run (each Python session remembers, for every node it fetched,
// the feeds of that node's last run, and keeps the Variables' values of that run when a later
// write would change them).
#include <pybind11/pybind11.h>

#include "tensorgraph/session.h"

namespace tgpy {
namespace py = pybind11;

/// A FeedDict from a Python {node: value} dict (None: empty); keys must be nodes of `g`.
tg::FeedDict feeds_from_python(const tg::Graph& g, const py::handle& feed_dict);

/// Binds Session (run, assign, stats, the context manager) and `gradient_values(loss)`:
/// {node: numpy array}, the gradient of sum(loss) w.r.t. every node the backward walk reaches,
/// at the feeds and Variable values of the loss's most recent Session.run.
void bind_session(py::module_& m);

}  // namespace tgpy
