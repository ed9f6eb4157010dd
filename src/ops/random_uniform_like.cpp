// y = U[0, 1) numbers shaped like x (x's values are not read), float of x's dtype; not
// differentiable. Counter-based (kernels/counter_random.h): reproducible, new on every run.
#include "../kernels/counter_random.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct RandomUniformLikeAttrs {
  std::int64_t seed = 0;  // with the node id and the run count, decides every number
};
const AttrSchema kRandomUniformLikeAttrs = AttrSchema::of<RandomUniformLikeAttrs>(
    {{"seed", &RandomUniformLikeAttrs::seed}}, {{"value", "seed"}});  // NOTE: "value" before issue 12
namespace {
TypeShape infer(const InferCtx& c) {
  require_float(c.input(0).dtype, "random_uniform_like");
  const std::int64_t seed = c.attrs.as<RandomUniformLikeAttrs>().seed;
  if (seed < 0) throw GraphError("random_uniform_like: the seed must be >= 0, got " + std::to_string(seed));
  return c.input(0);
}
void compute(KernelCtx& c) {
  const auto seed = static_cast<std::uint64_t>(c.attrs.as<RandomUniformLikeAttrs>().seed);
  const std::uint64_t key = kernels::stream_key(seed, c.node_id, c.run);
  dispatch_float(c.out.dtype(), "random_uniform_like", [&]<class T>() {
    T* y = c.out.data<T>();
    for (std::int64_t i = 0; i < c.out.size(); ++i) {
      // the top 53 bits as a double in [0, 1); a float rounded up to 1 is folded back below 1
      const double u = kernels::uniform_at(key, static_cast<std::uint64_t>(i));
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
