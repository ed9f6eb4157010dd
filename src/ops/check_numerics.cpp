// y = x, or NumericsError if x holds a NaN or an Inf;  dx = check_numerics(dy) (TensorFlow's rule:
// the gradient is checked too). Integer and bool values are always finite: they pass through.
#include <cmath>
#include <cstring>
#include <sstream>

#include "../graph/graph_impl.h"
#include "op_helpers.h"

namespace tg {
namespace ops {
namespace {
// "[i, j, ...]" of flat index `i` in shape `s` (row-major).
std::string index_of(std::int64_t i, const Shape& s) {
  std::int64_t idx[kMaxRank];
  for (int d = s.rank() - 1; d >= 0; --d) {
    idx[d] = s[d] ? i % s[d] : 0;
    i = s[d] ? i / s[d] : 0;
  }
  std::string out = "[";
  for (int d = 0; d < s.rank(); ++d) out += (d ? ", " : "") + std::to_string(idx[d]);
  return out + "]";
}
void compute(KernelCtx& c) {
  const Tensor& x = c.input(0);
  if (is_floating(x.dtype())) {
    std::int64_t nans = 0, infs = 0, first = -1;
    dispatch_float(x.dtype(), "check_numerics", [&]<class T>() {
      const T* p = x.data<T>();
      for (std::int64_t i = 0; i < x.size(); ++i) {
        if (std::isfinite(p[i])) continue;  // NOTE: the common, all-finite case is one pass
        (std::isnan(p[i]) ? nans : infs) += 1;
        if (first < 0) first = i;
      }
    });
    if (first >= 0) {
      std::ostringstream os;
      os << "check_numerics '" << c.node.name << "': " << c.attrs.message << ": " << nans << " NaN and " << infs
         << " Inf values among " << x.size() << " (" << dtype_name(x.dtype()) << ' ' << x.shape().str()
         << "); the first at flat index " << first << ' ' << index_of(first, x.shape()) << " is " << x.flat(first);
      throw NumericsError(os.str());
    }
  }
  std::memcpy(c.out.raw(), x.raw(), c.out.nbytes());
}
std::vector<Node> grad(const GradCtx& c) {
  return {check_numerics(c.dy, "gradient of " + c.node.name() + ": " + c.node.attrs().message)};
}
}  // namespace
const OpDef op_check_numerics{"check_numerics", 1, [](const InferCtx& c) { return c.input(0); }, compute, grad};
}  // namespace ops

Node check_numerics(const Node& x, const std::string& message, const std::string& name) {
  Attrs a;
  a.message = message;
  return make_op(ops::op_check_numerics, {x}, a, name);
}
}  // namespace tg
