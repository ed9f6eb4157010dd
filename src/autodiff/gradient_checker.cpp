#include "tensorgraph/gradient_checker.h"

#include <algorithm>
#include <cmath>

#include "tensorgraph/autodiff.h"
#include "tensorgraph/ops.h"

namespace tg {

GradientCheck check_gradient(Session& session, const Node& y, const Node& x, const FeedDict& feeds, double delta) {
  if (!(y.graph() == session.graph()) || !(x.graph() == y.graph()))
    throw GraphError("check_gradient: y, x and the session must share one graph");
  const bool fed = feeds.find(x.id()) != nullptr;
  if (!fed && x.kind() != NodeKind::variable)
    throw GraphError("check_gradient: x '" + x.name() + "' must be fed or be a Variable");
  const Tensor x0 = fed ? *feeds.find(x.id()) : session.value(x);
  if (!is_floating(x0.dtype())) throw DTypeError("check_gradient: x '" + x.name() + "' is not a float tensor");
  const Tensor y0 = session.run(y, feeds);
  const std::int64_t m = y0.size(), n = x0.size();

  // Theoretical: row j of the Jacobian is d(sum(y * e_j))/dx.
  Graph saved = Graph::get_default();
  y.graph().as_default();
  const Node u = placeholder(y0.dtype(), y0.shape(), "gradient_check_direction");
  const Node dx = gradients(reduce_sum(multiply(y, u)), {x})[0];
  saved.as_default();
  GradientCheck r{Tensor(DType::f64, {m, n}), Tensor(DType::f64, {m, n})};
  double* t = r.theoretical.data<double>();
  FeedDict f = feeds;
  for (std::int64_t j = 0; j < m; ++j) {
    Tensor e(y0.dtype(), y0.shape());
    dispatch_float(e.dtype(), "check_gradient", [&]<class T>() { e.data<T>()[j] = T(1); });
    f.set(u, e);
    const Tensor row = session.run(dx, f);
    for (std::int64_t i = 0; i < n; ++i) t[j * n + i] = row.flat(i);
  }

  // Numerical: f'(x) ~ (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h, error O(h^4).
  double* num = r.numerical.data<double>();
  auto eval_at = [&](std::int64_t i, double offset) {
    Tensor xp = x0.clone();
    dispatch_float(xp.dtype(), "check_gradient", [&]<class T>() { xp.data<T>()[i] += static_cast<T>(offset); });
    if (fed) {
      FeedDict g = feeds;
      g.set(x, xp);
      return session.run(y, g);
    }
    session.assign(x, xp);
    Tensor out = session.run(y, feeds);
    session.assign(x, x0);
    return out;
  };
  for (std::int64_t i = 0; i < n; ++i) {
    const Tensor p2 = eval_at(i, 2 * delta), p1 = eval_at(i, delta), m1 = eval_at(i, -delta), m2 = eval_at(i, -2 * delta);
    for (std::int64_t j = 0; j < m; ++j)
      num[j * n + i] = (-p2.flat(j) + 8 * p1.flat(j) - 8 * m1.flat(j) + m2.flat(j)) / (12 * delta);
  }
  for (std::int64_t k = 0; k < m * n; ++k) {
    const double d = std::fabs(t[k] - num[k]);
    const double scale = std::max({std::fabs(t[k]), std::fabs(num[k]), 1e-3});
    if (std::isnan(d)) r.max_abs_error = r.max_rel_error = NAN;
    if (std::isnan(r.max_abs_error)) break;
    r.max_abs_error = std::max(r.max_abs_error, d);
    r.max_rel_error = std::max(r.max_rel_error, d / scale);
  }
  return r;
}

double compute_gradient_error(const Node& y, const Node& x, const FeedDict& feeds, double delta) {
  Session s(y.graph());
  return check_gradient(s, y, x, feeds, delta).max_rel_error;
}

}  // namespace tg
