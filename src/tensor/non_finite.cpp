// describe_non_finite: the NaN/Inf report of check_numerics and SessionOptions::check_numerics.
#include "non_finite.h"

#include <cmath>
#include <sstream>

namespace tg {

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
}  // namespace

std::string describe_non_finite(const Tensor& x) {
  if (!x.defined() || !is_floating(x.dtype())) return "";
  std::int64_t nans = 0, infs = 0, first = -1;
  dispatch_float(x.dtype(), "check_numerics", [&]<class T>() {
    const T* p = x.data<T>();
    for (std::int64_t i = 0; i < x.size(); ++i) {
      if (std::isfinite(p[i])) continue;  // NOTE: the common, all-finite case is one pass
      (std::isnan(p[i]) ? nans : infs) += 1;
      if (first < 0) first = i;
    }
  });
  if (first < 0) return "";
  std::ostringstream os;
  os << nans << " NaN and " << infs << " Inf values among " << x.size() << " (" << dtype_name(x.dtype()) << ' '
     << x.shape().str() << "); the first at flat index " << first << ' ' << index_of(first, x.shape()) << " is "
     << x.flat(first);
  return os.str();
}

}  // namespace tg
