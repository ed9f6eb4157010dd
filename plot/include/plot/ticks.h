#pragma once
// Axis ranges and tick values for plots: round values ("nice" numbers, 1, 2 or 5 x 10^k apart)
// inside a range fitted to the data, as a reader of a chart expects them.
//
//   tg::plot::Range r = tg::plot::data_range({0.853, 0.871, 0.918});  // [0.8498, 0.9212]
//   tg::plot::nice_ticks(r, 6);                                        // 0.86, 0.88, 0.90, 0.92
#include <span>
#include <string>
#include <vector>

namespace tg::plot {

/// An axis's extent in data units, lo < hi.
struct Range {
  double lo = 0, hi = 1;
};

/// The distance between ticks: the smallest of 1, 2, 5 x 10^k that `r` spans at most `most`
/// times (so at most most + 1 ticks), and at least 1 when `whole` (for counts such as epochs).
/// Throws tg::Error on an empty or non-finite range.
double nice_step(Range r, int most, bool whole = false);
/// The multiples of nice_step(r, most, whole) within `r`, ascending.
std::vector<double> nice_ticks(Range r, int most, bool whole = false);
/// The range an axis shows for `values`: their finite minimum and maximum, widened on each side
/// by `margin` times their span (so no point sits on the frame). One distinct value v gets
/// v +- 0.5 when `whole`, else v +- 5% of |v| (+-0.5 at 0); no finite value gives [0, 1].
Range data_range(std::span<const double> values, double margin = 0.05, bool whole = false);
/// A tick's label with the decimals that `step` needs ("0.86" for step 0.02, "3" for step 1);
/// %g-style for magnitudes of 10^6 and above, or steps below 10^-4 ("1e+09").
std::string tick_label(double value, double step);

}  // namespace tg::plot
