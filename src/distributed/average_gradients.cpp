// DistributedOptimizer's core: a step's gradients averaged over the ranks in as few allreduces as
// possible. Gradients of one dtype are flattened and concatenated, in the pairs' order, into
// buckets of at most bucket_bytes (one bucket for most models), each bucket is averaged by one
// allreduce, and each gradient is cut back out of its bucket (concat_grad: the adjoint of the
// concat) and reshaped to its Variable's shape.
// NOTE: the order is the program's: every rank builds the same graph, so the same pairs in the
// same order, and the session runs the buckets' allreduces in the same (graph) order.
#include <map>

#include "collectives.h"
#include "tensorgraph/ops.h"

namespace tg::distributed {
namespace {

struct Bucket {
  std::vector<std::size_t> pairs;  // indices into grads_and_vars
  std::size_t bytes = 0;
};

std::int64_t known_size(const Node& var) {
  const Shape s = var.shape();
  if (!s.fully_known())
    throw GraphError("average_gradients: Variable '" + var.name() + "' has shape " + s.str() +
                     ": packing gradients needs known shapes");
  return s.num_elements();
}

}  // namespace

train::GradsAndVars average_gradients(const train::GradsAndVars& grads_and_vars, std::size_t bucket_bytes) {
  init();
  if (size() == 1) return grads_and_vars;
  // Buckets per dtype, filled in the pairs' order.
  std::map<DType, std::vector<Bucket>> buckets;
  for (std::size_t i = 0; i < grads_and_vars.size(); ++i) {
    const auto& [g, v] = grads_and_vars[i];
    if (!g.valid()) continue;
    const std::size_t bytes = static_cast<std::size_t>(known_size(v)) * dtype_size(g.dtype());
    auto& list = buckets[g.dtype()];
    if (list.empty() || (list.back().bytes + bytes > bucket_bytes && !list.back().pairs.empty())) list.emplace_back();
    list.back().pairs.push_back(i);
    list.back().bytes += bytes;
  }
  train::GradsAndVars out = grads_and_vars;
  for (auto& [dtype, list] : buckets)
    for (const Bucket& b : list) {
      if (b.pairs.size() == 1) {  // NOTE: alone in its bucket, a gradient is reduced as it is (no copies)
        out[b.pairs[0]].first = allreduce(grads_and_vars[b.pairs[0]].first, ReduceOp::mean);
        continue;
      }
      std::vector<Node> flat;
      for (std::size_t i : b.pairs)
        flat.push_back(reshape(grads_and_vars[i].first, Shape{known_size(grads_and_vars[i].second)}));
      const Node packed = flat.size() == 1 ? flat[0] : concat(flat, 0);
      const Node mean = allreduce(packed, ReduceOp::mean);
      for (std::size_t k = 0; k < b.pairs.size(); ++k) {
        const std::size_t i = b.pairs[k];
        const Node piece = flat.size() == 1 ? mean : concat_grad(mean, flat, 0, static_cast<std::int64_t>(k));
        out[i].first = reshape(piece, grads_and_vars[i].second.shape());
      }
    }
  return out;
}

}  // namespace tg::distributed
