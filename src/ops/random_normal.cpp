// y = mean + stddev * N(0, 1) numbers: shaped by the `shape` and `dtype` attributes, or, given an
// input x, like x (x's values are not read). New on every run, reproducible from the seed
// (kernels/counter_random.h); dx = 0: the numbers do not depend on x's values.
#include <cmath>

#include "../kernels/counter_random.h"
#include "../kernels/parallel.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct RandomNormalAttrs {
  Shape shape{};               // the output's shape when there is no input
  DType dtype = DType::f32;    // the output's dtype when there is no input
  double mean = 0;
  double stddev = 1;
  std::int64_t seed = 0;       // with the node id and the run count, decides every number
};
const AttrSchema kRandomNormalAttrs = AttrSchema::of<RandomNormalAttrs>(
    {{"shape", &RandomNormalAttrs::shape}, {"dtype", &RandomNormalAttrs::dtype}, {"mean", &RandomNormalAttrs::mean},
     {"stddev", &RandomNormalAttrs::stddev}, {"seed", &RandomNormalAttrs::seed}});
namespace {
TypeShape infer(const InferCtx& c) {
  const auto& a = c.attrs.as<RandomNormalAttrs>();
  if (c.num_inputs > 1) throw GraphError("random_normal: takes at most one input (the node to take the shape from)");
  if (a.seed < 0) throw GraphError("random_normal: the seed must be >= 0, got " + std::to_string(a.seed));
  if (!std::isfinite(a.mean) || !std::isfinite(a.stddev) || a.stddev < 0)
    throw GraphError("random_normal: the mean must be finite and the stddev finite and >= 0, got mean " +
                     std::to_string(a.mean) + ", stddev " + std::to_string(a.stddev));
  if (c.num_inputs == 1) {
    require_float(c.input(0).dtype, "random_normal");
    return c.input(0);
  }
  require_float(a.dtype, "random_normal");
  if (!a.shape.fully_known()) throw ShapeError("random_normal: the shape must be fully known, got " + a.shape.str());
  return {a.dtype, a.shape};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<RandomNormalAttrs>();
  const std::uint64_t key = kernels::stream_key(static_cast<std::uint64_t>(a.seed), c.node_id, c.run);
  const std::int64_t n = c.out.size();
  dispatch_float(c.out.dtype(), "random_normal", [&]<class T>() {
    T* y = c.out.data<T>();
    // element 2j and 2j+1 are the pair j, so a chunk boundary on an even index splits no pair
    kernels::parallel_for((n + 1) / 2, 1, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t j = begin; j < end; ++j) {
        double z0, z1;
        kernels::normal_pair_at(key, static_cast<std::uint64_t>(j), z0, z1);
        y[2 * j] = static_cast<T>(a.mean + a.stddev * z0);
        if (2 * j + 1 < n) y[2 * j + 1] = static_cast<T>(a.mean + a.stddev * z1);
      }
    }, n * 8);  // NOTE: a log, a sqrt and a sincos per pair: worth threads well below a copy's size
  });
}
std::vector<Node> grad(const GradCtx& c) {
  return std::vector<Node>(c.node.inputs().size(), Node());  // the numbers do not depend on x's values
}
}  // namespace
const OpDef op_random_normal{.name = "random_normal", .num_inputs = -1, .infer = infer, .compute = compute,
                             .grad = grad, .attrs = &kRandomNormalAttrs};
}  // namespace ops

namespace {
std::int64_t checked_seed(std::uint64_t seed) {
  if (seed >= (1ULL << 63)) throw GraphError("random_normal: the seed must be below 2^63, got " + std::to_string(seed));
  return static_cast<std::int64_t>(seed);
}
}  // namespace

Node random_normal(const Shape& shape, double mean, double stddev, DType dtype, std::uint64_t seed,
                   const std::string& name) {
  return make_op(ops::op_random_normal, {},
                 ops::RandomNormalAttrs{.shape = shape, .dtype = dtype, .mean = mean, .stddev = stddev,
                                        .seed = checked_seed(seed)},
                 name);
}
Node random_normal_like(const Node& x, double mean, double stddev, std::uint64_t seed, const std::string& name) {
  return make_op(ops::op_random_normal, {x},
                 ops::RandomNormalAttrs{.mean = mean, .stddev = stddev, .seed = checked_seed(seed)}, name);
}
}  // namespace tg
