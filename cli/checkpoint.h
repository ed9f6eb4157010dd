#pragma once
// The resumable state of `tensorgraph train`, written atomically after every epoch and when
// Ctrl-C stops a run: every Variable of the graph (the weights and the optimizer's state), early
// stopping's best weights (as "best:<name>"), and, in the metadata, where training stands (a
// FitState) and the options that must not change on --resume.
#include <map>
#include <string>
#include <vector>

#include "tensorgraph/tensorgraph.h"

namespace tgcli {

struct TrainingCheckpoint {
  std::string path;
  std::vector<tg::Node> all;         // every Variable, restored on resume
  std::vector<tg::Node> model_vars;  // the ones early stopping keeps the best values of
  std::map<std::string, std::string> options;  // must match on resume

  void write(tg::Session& s, const tg::train::FitState& state) const;
  /// Restores the Variables into `s` and returns the state to resume; IoError naming what differs
  /// when the file was written with other options or another model.
  tg::train::FitState read(tg::Session& s) const;
};

}  // namespace tgcli
