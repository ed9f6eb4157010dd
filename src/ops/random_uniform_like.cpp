// y = U[0, 1) numbers shaped like x (x's values are not read), float of x's dtype; not
// differentiable. Counter-based: element i of run r is a hash of (seed, node, r, i), so a
// session's sequence is reproducible, runs differ, and no generator state needs a home.
#include "op_helpers.h"

namespace tg {
namespace ops {
struct RandomUniformLikeAttrs {
  std::int64_t seed = 0;  // with the node id and the run count, decides every number
};
const AttrSchema kRandomUniformLikeAttrs = AttrSchema::of<RandomUniformLikeAttrs>(
    {{"seed", &RandomUniformLikeAttrs::seed}}, {{"value", "seed"}});  // NOTE: "value" before issue 12
namespace {
// splitmix64's finaliser: a bijective mix of 64 bits.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "random_uniform_like");
  const std::int64_t seed = c.attrs.as<RandomUniformLikeAttrs>().seed;
  if (seed < 0) throw GraphError("random_uniform_like: the seed must be >= 0, got " + std::to_string(seed));
  return c.input(0);
}
void compute(KernelCtx& c) {
  const auto seed = static_cast<std::uint64_t>(c.attrs.as<RandomUniformLikeAttrs>().seed);
  const std::uint64_t key = mix(mix(seed ^ 0x9e3779b97f4a7c15ULL) + static_cast<std::uint64_t>(c.node_id)) + mix(c.run + 1);
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
const OpDef op_random_uniform_like{.name = "random_uniform_like", .num_inputs = 1, .infer = infer, .compute = compute,
                                   .attrs = &kRandomUniformLikeAttrs};
}  // namespace ops

Node random_uniform_like(const Node& x, std::uint64_t seed, const std::string& name) {
  if (seed >= (1ULL << 63)) throw GraphError("random_uniform_like: the seed must be below 2^63, got " + std::to_string(seed));
  return make_op(ops::op_random_uniform_like, {x}, ops::RandomUniformLikeAttrs{.seed = static_cast<std::int64_t>(seed)},
                 name);
}
}  // namespace tg
