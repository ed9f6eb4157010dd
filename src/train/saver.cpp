// tf.train.Saver: Variables' session values to and from safetensors checkpoints, by node name.
#include "tensorgraph/saver.h"

#include <set>

#include "../io/bounded_json.h"
#include "tensorgraph/error.h"

namespace tg::train {
namespace {

std::string describe(DType dtype, const Shape& shape) { return dtype_name(dtype) + " " + shape.str(); }

}  // namespace

Saver::Saver(std::vector<Node> var_list) : vars_(std::move(var_list)) {
  if (vars_.empty()) vars_ = Graph::get_default().variables();
  if (vars_.empty())
    throw GraphError("Saver: no Variables to save (create the Saver after the Variables, or pass var_list)");
  std::set<std::string> names;
  for (const Node& v : vars_) {
    if (!v.valid() || v.kind() != NodeKind::variable)
      throw GraphError("Saver: '" + (v.valid() ? v.name() : std::string("<invalid>")) +
                       "' in var_list is not a Variable");
    if (!names.insert(v.name()).second)
      throw GraphError("Saver: var_list holds two Variables named '" + v.name() + "'");
  }
}

void Saver::save(Session& session, const std::string& path) const {
  std::vector<std::pair<std::string, Tensor>> tensors;
  tensors.reserve(vars_.size());
  const std::vector<Tensor> values = session.values(vars_);  // read together: one consistent state
  for (std::size_t i = 0; i < vars_.size(); ++i) tensors.emplace_back(vars_[i].name(), values[i]);
  save_safetensors(path, tensors);
}

void Saver::restore(Session& session, const std::string& path, bool strict) const {
  for (const Node& v : vars_)
    if (!v.in_graph(session.graph()))
      throw GraphError("Saver.restore: Variable '" + v.name() + "' is not in the session's graph");
  const std::vector<std::pair<std::string, Tensor>> file = load_safetensors(path);
  std::map<std::string, const Tensor*> by_name;
  for (const auto& [name, t] : file) by_name[name] = &t;
  // NOTE: every check comes before the first assign, so a refused restore changes nothing.
  std::string problems;
  auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  for (const Node& v : vars_) {
    const auto it = by_name.find(v.name());
    if (it == by_name.end()) {
      problem("Variable '" + v.name() + "' (" + describe(v.dtype(), v.shape()) + ") is missing from the file");
    } else if (it->second->dtype() != v.dtype() || !(it->second->shape() == v.shape())) {
      problem("Variable '" + v.name() + "' expects " + describe(v.dtype(), v.shape()) + ", the file holds " +
              describe(it->second->dtype(), it->second->shape()));
    }
  }
  if (strict) {
    std::set<std::string> wanted;
    for (const Node& v : vars_) wanted.insert(v.name());
    int extra = 0;
    for (const auto& [name, t] : file)
      if (!wanted.count(name) && ++extra <= 5)
        problem("tensor " + io::quote_name(name) + " in the file matches no Variable (strict)");
    if (extra > 5) problem(std::to_string(extra - 5) + " more unmatched tensors");
  }
  if (!problems.empty())
    throw IoError("Saver.restore: '" + path + "': " + problems + "; no Variable was restored");
  std::vector<std::pair<Node, Tensor>> assignments;
  for (const Node& v : vars_) assignments.emplace_back(v, *by_name.at(v.name()));
  session.assign(assignments);  // written together: no run sees half a checkpoint
}

}  // namespace tg::train
