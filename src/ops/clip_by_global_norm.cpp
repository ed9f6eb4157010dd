// global_norm(ts) = sqrt(sum_t sum(t^2));  clip_by_global_norm(ts, c) = t * c / max(global_norm, c)
// for every t (TensorFlow's rule: no change when the norm is within c, NaN everywhere when it is NaN).
// Composed, not an op.
#include "op_helpers.h"

namespace tg {

Node global_norm(const std::vector<Node>& t_list, const std::string& name) {
  if (t_list.empty()) throw GraphError("global_norm needs at least one tensor");
  Node sum;
  for (const Node& t : t_list) {
    const Node s = reduce_sum(square(t));
    sum = sum.valid() ? sum + s : s;
  }
  return sqrt(sum, name);
}

std::pair<std::vector<Node>, Node> clip_by_global_norm(const std::vector<Node>& t_list, double clip_norm,
                                                       const std::string& name) {
  if (!(clip_norm > 0)) throw GraphError("clip_by_global_norm: clip_norm must be positive, got " + std::to_string(clip_norm));
  const Node norm = global_norm(t_list, name.empty() ? "" : name + "/global_norm");
  const Node c = scalar_like(norm, clip_norm);
  const Node scale = c / maximum(norm, c);
  std::vector<Node> out;
  for (std::size_t i = 0; i < t_list.size(); ++i)
    out.push_back(multiply(t_list[i], scale, name.empty() ? "" : name + "_" + std::to_string(i)));
  return {out, norm};
}

}  // namespace tg
