#pragma once
// Rows of 1 to 4 elements (the tutorial's 2 classes, a 2-unit layer) are common in small graphs,
// and a loop whose trip count is only known at run time costs more than its work there: the
// loop control, and the vectoriser's checks and remainder, for 2 elements. with_width hands
// the width to the loop as a compile-time constant in those cases, so the row is unrolled.
#include <cstdint>
#include <type_traits>

namespace tg::kernels {

template <std::int64_t W> using Width = std::integral_constant<std::int64_t, W>;

/// f(Width<w>{}) for w in 1..4, else f(w). Write the loop once as `[&](auto w) { ... k < w ... }`.
template <class F> void with_width(std::int64_t w, F&& f) {
  switch (w) {
    case 1: f(Width<1>{}); return;
    case 2: f(Width<2>{}); return;
    case 3: f(Width<3>{}); return;
    case 4: f(Width<4>{}); return;
    default: f(w);
  }
}

}  // namespace tg::kernels
