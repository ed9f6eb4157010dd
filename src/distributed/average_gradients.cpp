// DistributedOptimizer's core: a step's gradients averaged over the ranks in as few allreduces as
// possible. Gradients of one dtype are copied, in the pairs' order, into buckets of at most
// bucket_bytes (pack_flat; one bucket for most models), each bucket is averaged by one allreduce
// (out of place), and each gradient is copied back out of it in its Variable's shape (unpack_flat):
// two copies of the gradients besides the transfer.
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
      std::vector<Node> pieces;
      for (std::size_t i : b.pairs) pieces.push_back(grads_and_vars[i].first);
      const Node mean = allreduce(pack_flat(pieces), ReduceOp::mean);
      std::int64_t offset = 0;
      for (std::size_t i : b.pairs) {
        const Shape shape = grads_and_vars[i].second.shape();
        out[i].first = unpack_flat(mean, offset, shape);
        offset += shape.num_elements();
      }
    }
  return out;
}

}  // namespace tg::distributed
