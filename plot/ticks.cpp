#include "plot/ticks.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "tensorgraph/error.h"

namespace tg::plot {

double nice_step(Range r, int most, bool whole) {
  const double span = r.hi - r.lo;
  if (!std::isfinite(span) || !(span > 0) || most < 1)
    throw Error("nice_step: the range [" + std::to_string(r.lo) + ", " + std::to_string(r.hi) +
                "] is empty or not finite, or " + std::to_string(most) + " ticks asked");
  const double raw = span / most, magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {5.0, 2.0, 1.0})
    if (m * magnitude >= raw * (1 - 1e-9)) step = m * magnitude;
  return whole ? std::max(step, 1.0) : step;
}

std::vector<double> nice_ticks(Range r, int most, bool whole) {
  const double step = nice_step(r, most, whole);
  // NOTE: the tolerance keeps a tick that lands on an end of the range despite rounding
  // (0.3 / 0.1 is 2.9999999999999996).
  const double first = std::ceil(r.lo / step - 1e-9), last = std::floor(r.hi / step + 1e-9);
  std::vector<double> ticks;
  // NOTE: counted, not stepped: beyond 2^53, first + 1 == first, and a range only a few ulp
  // wide would never end.
  for (int i = 0; i <= most && first + i <= last; ++i) {
    const double k = first + i;
    ticks.push_back(k == 0 ? 0.0 : k * step);  // NOTE: 0.0, not -0.0, which would print "-0"
  }
  return ticks;
}

Range data_range(std::span<const double> values, double margin, bool whole) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (lo > hi) return {0, 1};
  // NOTE: keeps hi - lo and the padding finite for values near the ends of double's range.
  lo = std::max(lo, -1e300);
  hi = std::min(hi, 1e300);
  // NOTE: values equal but for rounding (a relative spread under 1e-9) are one value: ticks
  // cannot be told apart below that.
  if (!(hi - lo > 1e-9 * std::max(std::fabs(lo), std::fabs(hi)))) {
    const double pad = whole || lo == 0 ? 0.5 : 0.05 * std::fabs(lo);
    return {lo - pad, hi + pad};
  }
  const double pad = margin * (hi - lo);
  return {lo - pad, hi + pad};
}

std::string tick_label(double value, double step) {
  std::ostringstream os;
  if (std::fabs(value) >= 1e6 || step < 1e-4) {
    os << std::setprecision(3) << value;
  } else {
    const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
    os << std::fixed << std::setprecision(decimals) << value;
  }
  std::string s = os.str();
  // NOTE: a value a rounding error below zero prints as "-0.00".
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);
  return s;
}

}  // namespace tg::plot
