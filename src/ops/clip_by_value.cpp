// clip_by_value(t, lo, hi) = maximum(minimum(t, hi), lo): composed, not an op, in TensorFlow's
// order, so that at either bound the gradient goes to t (maximum and minimum give ties to x).
#include "op_helpers.h"

namespace tg {

Node clip_by_value(const Node& t, const Node& clip_value_min, const Node& clip_value_max, const std::string& name) {
  // As TensorFlow, the bounds may not enlarge t (checked where the shapes are known at build time).
  const Shape& ts = t.shape();
  Shape lo, out;
  if (broadcast_shapes(ts, clip_value_min.shape(), lo) && broadcast_shapes(lo, clip_value_max.shape(), out) &&
      ts.rank_known() && out.rank_known()) {
    bool enlarged = out.rank() != ts.rank();
    for (int i = 0; !enlarged && i < ts.rank(); ++i) enlarged = ts[i] >= 0 && out[i] >= 0 && ts[i] != out[i];
    if (enlarged)
      throw ShapeError("clip_by_value: the bounds (shapes " + clip_value_min.shape().str() + " and " +
                       clip_value_max.shape().str() + ") would broadcast t " + ts.str() + " to " + out.str());
  }
  return maximum(minimum(t, clip_value_max), clip_value_min, name);
}
Node clip_by_value(const Node& t, double clip_value_min, double clip_value_max, const std::string& name) {
  return clip_by_value(t, scalar_like(t, clip_value_min), scalar_like(t, clip_value_max), name);
}

}  // namespace tg
