// y = mean + stddev * z, z ~ N(0, 1) truncated to [-2, 2] (TensorFlow's tf.truncated_normal: a number
// more than two standard deviations out is drawn again), shaped by the `shape` and `dtype`
// attributes. Element i draws from a stream of its own (kernels/counter_random.h) until a draw
// falls inside, so elements stay independent of each other and of the thread split: new on every
// run, reproducible from the seed. No gradient (no inputs).
#include <cmath>

#include "../kernels/counter_random.h"
#include "../kernels/parallel.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct TruncatedNormalAttrs {
  Shape shape{};
  DType dtype = DType::f32;
  double mean = 0;
  double stddev = 1;
  std::int64_t seed = 0;  // with the node id and the run count, decides every number
};
const AttrSchema kTruncatedNormalAttrs = AttrSchema::of<TruncatedNormalAttrs>(
    {{"shape", &TruncatedNormalAttrs::shape}, {"dtype", &TruncatedNormalAttrs::dtype},
     {"mean", &TruncatedNormalAttrs::mean}, {"stddev", &TruncatedNormalAttrs::stddev},
     {"seed", &TruncatedNormalAttrs::seed}});
namespace {
TypeShape infer(const InferCtx& c) {
  const auto& a = c.attrs.as<TruncatedNormalAttrs>();
  if (a.seed < 0) throw GraphError("truncated_normal: the seed must be >= 0, got " + std::to_string(a.seed));
  if (!std::isfinite(a.mean) || !std::isfinite(a.stddev) || a.stddev < 0)
    throw GraphError("truncated_normal: the mean must be finite and the stddev finite and >= 0, got mean " +
                     std::to_string(a.mean) + ", stddev " + std::to_string(a.stddev));
  require_float(a.dtype, "truncated_normal");
  if (!a.shape.fully_known()) throw ShapeError("truncated_normal: the shape must be fully known, got " + a.shape.str());
  return {a.dtype, a.shape};
}
// The first of element i's draws inside [-2, 2] (a draw falls outside with probability 4.6%).
double truncated_at(std::uint64_t key, std::uint64_t i) {
  const std::uint64_t element = kernels::mix64(key + 0x632be59bd9b4e019ULL * (i + 1));
  for (std::uint64_t j = 0;; ++j) {
    double z0, z1;
    kernels::normal_pair_at(element, j, z0, z1);
    if (std::fabs(z0) <= 2) return z0;
    if (std::fabs(z1) <= 2) return z1;
  }
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<TruncatedNormalAttrs>();
  const std::uint64_t key = kernels::stream_key(static_cast<std::uint64_t>(a.seed), c.node_id, c.run);
  const std::int64_t n = c.out.size();
  dispatch_float(c.out.dtype(), "truncated_normal", [&]<class T>() {
    T* y = c.out.data<T>();
    kernels::parallel_for(n, 1, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i)
        y[i] = static_cast<T>(a.mean + a.stddev * truncated_at(key, static_cast<std::uint64_t>(i)));
    }, n * 8);
  });
}
}  // namespace
const OpDef op_truncated_normal{.name = "truncated_normal", .num_inputs = 0, .infer = infer, .compute = compute,
                                .attrs = &kTruncatedNormalAttrs};
}  // namespace ops

Node truncated_normal(const Shape& shape, double mean, double stddev, DType dtype, std::uint64_t seed,
                      const std::string& name) {
  if (seed >= (1ULL << 63)) throw GraphError("truncated_normal: the seed must be below 2^63, got " + std::to_string(seed));
  return make_op(ops::op_truncated_normal, {},
                 ops::TruncatedNormalAttrs{.shape = shape, .dtype = dtype, .mean = mean, .stddev = stddev,
                                           .seed = static_cast<std::int64_t>(seed)},
                 name);
}
}  // namespace tg
