// y = U[0, 1) numbers shaped like x (x's values are not read), float of x's dtype; not
// differentiable. Counter-based: element i of run r is a hash of (seed, node, r, i), so a
// session's sequence is reproducible, runs differ, and no generator state needs a home.
#include "../graph/graph_impl.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
// splitmix64's finaliser: a bijective mix of 64 bits.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "random_uniform_like");
  // NOTE: the seed is kept as a float64 attribute: whole numbers below 2^53 only (exact).
  const double seed = c.attrs.value;
  if (!(seed >= 0 && seed < 0x1p53 && seed == static_cast<double>(static_cast<std::int64_t>(seed))))
    throw GraphError("random_uniform_like: the seed must be a whole number in [0, 2^53), got " + std::to_string(seed));
  return c.input(0);
}
void compute(KernelCtx& c) {
  const std::uint64_t seed = static_cast<std::uint64_t>(c.attrs.value);
  const std::uint64_t key = mix(mix(seed ^ 0x9e3779b97f4a7c15ULL) + static_cast<std::uint64_t>(c.node.id)) + mix(c.run + 1);
  dispatch_float(c.out.dtype(), "random_uniform_like", [&]<class T>() {
    T* y = c.out.data<T>();
    for (std::int64_t i = 0; i < c.out.size(); ++i) {
      // the top 53 bits as a double in [0, 1); a float rounded up to 1 is folded back below 1
      const double u = static_cast<double>(mix(key + 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(i)) >> 11) * 0x1p-53;
      const T v = static_cast<T>(u);
      y[i] = v < T(1) ? v : T(0);
    }
  });
}
}  // namespace
const OpDef op_random_uniform_like{"random_uniform_like", 1, infer, compute, nullptr};
}  // namespace ops

Node random_uniform_like(const Node& x, std::uint64_t seed, const std::string& name) {
  Attrs a;
  a.value = static_cast<double>(seed);
  return make_op(ops::op_random_uniform_like, {x}, a, name);
}
}  // namespace tg
