// numpy-like printing: nested brackets, one row per line, elements separated by ", ".
#include <ostream>
#include <sstream>

#include "tensorgraph/tensor.h"

namespace tg {
namespace {

std::string element(const Tensor& t, std::int64_t i) {
  std::ostringstream os;
  if (t.dtype() == DType::boolean) return t.flat(i) != 0 ? "true" : "false";
  os.precision(t.dtype() == DType::f32 ? 6 : 8);
  os << t.flat(i);
  return os.str();
}

void print_level(std::ostream& os, const Tensor& t, int depth, std::int64_t offset, std::int64_t stride) {
  const Shape& s = t.shape();
  std::int64_t n = s[depth];
  std::int64_t inner = n ? stride / n : 0;
  os << '[';
  for (std::int64_t i = 0; i < n; ++i) {
    if (i) {
      os << ',';
      if (depth + 1 < s.rank()) {
        for (int k = depth + 1; k < s.rank(); ++k) os << '\n';
        os << std::string(static_cast<std::size_t>(depth + 1), ' ');
      } else {
        os << ' ';
      }
    }
    if (depth + 1 == s.rank()) os << element(t, offset + i);
    else print_level(os, t, depth + 1, offset + i * inner, inner);
  }
  os << ']';
}

}  // namespace

std::string Tensor::str() const {
  std::ostringstream os;
  os << *this;
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "<undefined tensor>";
  if (t.rank() == 0) return os << element(t, 0);
  print_level(os, t, 0, 0, t.size());
  return os;
}

}  // namespace tg
