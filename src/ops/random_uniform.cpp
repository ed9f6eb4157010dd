// Uniform numbers in [minval, maxval) shaped by the `shape` and `dtype` attributes (TensorFlow's
// tf.random_uniform): float dtypes minval + (maxval - minval)·u; integer dtypes
// minval + floor((maxval - minval)·u), maxval > minval. New on every run, reproducible from the
// seed (kernels/counter_random.h). No gradient (no inputs). (random_uniform_like takes the shape
// of a node at run time.)
#include <cmath>

#include "../kernels/counter_random.h"
#include "../kernels/parallel.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
struct RandomUniformAttrs {
  Shape shape{};
  DType dtype = DType::f32;
  double minval = 0;
  double maxval = 1;
  std::int64_t seed = 0;
};
const AttrSchema kRandomUniformAttrs = AttrSchema::of<RandomUniformAttrs>(
    {{"shape", &RandomUniformAttrs::shape}, {"dtype", &RandomUniformAttrs::dtype},
     {"minval", &RandomUniformAttrs::minval}, {"maxval", &RandomUniformAttrs::maxval},
     {"seed", &RandomUniformAttrs::seed}});
namespace {
TypeShape infer(const InferCtx& c) {
  const auto& a = c.attrs.as<RandomUniformAttrs>();
  if (a.seed < 0) throw GraphError("random_uniform: the seed must be >= 0, got " + std::to_string(a.seed));
  if (!std::isfinite(a.minval) || !std::isfinite(a.maxval) || !(a.minval <= a.maxval))
    throw GraphError("random_uniform: minval and maxval must be finite with minval <= maxval, got " +
                     std::to_string(a.minval) + " and " + std::to_string(a.maxval));
  if (a.dtype != DType::f32 && a.dtype != DType::f64 && a.dtype != DType::i32 && a.dtype != DType::i64)
    throw DTypeError("random_uniform: dtype must be float32, float64, int32 or int64, got " + dtype_name(a.dtype));
  if (!is_floating(a.dtype) && (a.minval != std::floor(a.minval) || a.maxval != std::floor(a.maxval) ||
                                !(a.minval < a.maxval)))
    throw GraphError("random_uniform: an integer dtype needs integer minval < maxval");
  if (!a.shape.fully_known()) throw ShapeError("random_uniform: the shape must be fully known, got " + a.shape.str());
  return {a.dtype, a.shape};
}
void compute(KernelCtx& c) {
  const auto& a = c.attrs.as<RandomUniformAttrs>();
  const std::uint64_t key = kernels::stream_key(static_cast<std::uint64_t>(a.seed), c.node_id, c.run);
  const std::int64_t n = c.out.size();
  const double width = a.maxval - a.minval;
  dispatch_all(c.out.dtype(), [&]<class T>() {
    T* y = c.out.data<T>();
    kernels::parallel_for(n, 1, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) {
        const double u = kernels::uniform_at(key, static_cast<std::uint64_t>(i));
        if constexpr (std::is_floating_point_v<T>) {
          // NOTE: float32 rounding could reach maxval: the largest float below it then
          const T v = static_cast<T>(a.minval + width * u);
          y[i] = v < static_cast<T>(a.maxval) || width == 0 ? v : std::nextafter(static_cast<T>(a.maxval), T(a.minval));
        } else {
          y[i] = static_cast<T>(a.minval + std::floor(width * u));
        }
      }
    });
  });
}
}  // namespace
const OpDef op_random_uniform{.name = "random_uniform", .num_inputs = 0, .infer = infer, .compute = compute,
                              .attrs = &kRandomUniformAttrs};
}  // namespace ops

Node random_uniform(const Shape& shape, double minval, double maxval, DType dtype, std::uint64_t seed,
                    const std::string& name) {
  if (seed >= (1ULL << 63)) throw GraphError("random_uniform: the seed must be below 2^63, got " + std::to_string(seed));
  return make_op(ops::op_random_uniform, {},
                 ops::RandomUniformAttrs{.shape = shape, .dtype = dtype, .minval = minval, .maxval = maxval,
                                         .seed = static_cast<std::int64_t>(seed)},
                 name);
}
}  // namespace tg
