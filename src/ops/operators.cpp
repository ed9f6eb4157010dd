// C++ operators build the element-wise ops; a double operand becomes a 0-d value of the other
// operand's dtype (numpy's "weak" python scalars).
#include "op_helpers.h"

namespace tg {

Node operator+(const Node& a, const Node& b) { return add(a, b); }
Node operator-(const Node& a, const Node& b) { return subtract(a, b); }
Node operator*(const Node& a, const Node& b) { return multiply(a, b); }
Node operator/(const Node& a, const Node& b) { return divide(a, b); }
Node operator-(const Node& a) { return negative(a); }
Node operator+(const Node& a, double b) { return add(a, ops::scalar_like(a, b)); }
Node operator-(const Node& a, double b) { return subtract(a, ops::scalar_like(a, b)); }
Node operator*(const Node& a, double b) { return multiply(a, ops::scalar_like(a, b)); }
Node operator/(const Node& a, double b) { return divide(a, ops::scalar_like(a, b)); }
Node operator+(double a, const Node& b) { return add(ops::scalar_like(b, a), b); }
Node operator-(double a, const Node& b) { return subtract(ops::scalar_like(b, a), b); }
Node operator*(double a, const Node& b) { return multiply(ops::scalar_like(b, a), b); }
Node operator/(double a, const Node& b) { return divide(ops::scalar_like(b, a), b); }

}  // namespace tg
