#pragma once
// Checkpoints: every Variable's session value in a safetensors file (tensorgraph/safetensors.h).
//
//   tg::train::Saver saver;            // every Variable of the default graph, by node name
//   saver.save(session, "model.safetensors");
//   saver.restore(other_session, "model.safetensors");
//
// Every failure throws tg::IoError with a message naming the file and what is wrong.
#include <string>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/safetensors.h"
#include "tensorgraph/session.h"
#include "tensorgraph/tensor.h"

namespace tg {
namespace train {

/// TensorFlow's tf.train.Saver: saves and restores Variables' session values by node name.
class Saver {
 public:
  /// Saves `var_list` (default: every Variable of the default graph now); throws GraphError if
  /// it is empty, holds a non-Variable or two nodes of the same name.
  explicit Saver(std::vector<Node> var_list = {});
  /// Writes every variable's current value in `session` to `path` (atomically). The values are
  /// read together, so a save while another thread trains holds one step's state.
  void save(Session& session, const std::string& path) const;
  /// Checks the whole file first (each variable present with its dtype and shape; with `strict`,
  /// no other tensor), then assigns. Throws IoError naming each offending variable with the
  /// expected and found dtype/shape (GraphError if one is not in the session's graph); on any
  /// error the session's variables are untouched. The variables are written together: no run of
  /// another thread sees half a checkpoint.
  void restore(Session& session, const std::string& path, bool strict = false) const;
  const std::vector<Node>& var_list() const { return vars_; }

 private:
  std::vector<Node> vars_;
};

}  // namespace train
}  // namespace tg
