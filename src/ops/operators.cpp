// C++ operators build the element-wise ops; a double operand becomes a 0-d value of the other
// operand's dtype (numpy's "weak" python scalars).
#include "op_helpers.h"

namespace tg {

Node operator+(const Node& a, const Node& b) { return add(a, b); }
Node operator-(const Node& a, const Node& b) { return subtract(a, b); }
Node operator*(const Node& a, const Node& b) { return multiply(a, b); }
Node operator/(const Node& a, const Node& b) { return divide(a, b); }
Node operator-(const Node& a) { return negative(a); }
Node operator+(const Node& a, double b) { return add(a, scalar_like(a, b)); }
Node operator-(const Node& a, double b) { return subtract(a, scalar_like(a, b)); }
Node operator*(const Node& a, double b) { return multiply(a, scalar_like(a, b)); }
Node operator/(const Node& a, double b) { return divide(a, scalar_like(a, b)); }
Node operator+(double a, const Node& b) { return add(scalar_like(b, a), b); }
Node operator-(double a, const Node& b) { return subtract(scalar_like(b, a), b); }
Node operator*(double a, const Node& b) { return multiply(scalar_like(b, a), b); }
Node operator/(double a, const Node& b) { return divide(scalar_like(b, a), b); }

}  // namespace tg
