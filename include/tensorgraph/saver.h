#pragma once
// Checkpoints in the safetensors format (https://github.com/huggingface/safetensors), readable by
// its Python and Rust libraries: an 8-byte little-endian header length N, N bytes of JSON
//   {"__metadata__":{"format":"tensorgraph"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}
// padded with spaces to a multiple of 8, then the raw little-endian data of every tensor.
//
//   tg::train::Saver saver;            // every Variable of the default graph, by node name
//   saver.save(session, "model.safetensors");
//   saver.restore(other_session, "model.safetensors");
//
// Every failure throws tg::IoError with a message naming the file and what is wrong.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tensorgraph/graph.h"
#include "tensorgraph/session.h"
#include "tensorgraph/tensor.h"

namespace tg {

/// Writes `tensors` (in order) to `path` atomically: a crash or error leaves any old file intact.
/// "format": "tensorgraph" is added to `metadata` unless it sets "format".
void save_safetensors(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});
/// Reads every tensor of a safetensors file, in file order, after verifying the whole layout.
std::vector<std::pair<std::string, Tensor>> load_safetensors(const std::string& path);
/// The "__metadata__" strings of a safetensors file (the header is verified as by the loader).
std::map<std::string, std::string> load_safetensors_metadata(const std::string& path);

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
