#pragma once
// Numeric CSV files (the numpy.loadtxt subset): an optional header line, then rows of numbers.
#include <string>

#include "tensorgraph/tensor.h"

namespace tg {

/// Reads a CSV file of numbers into a float64 [rows, cols] tensor, skipping a header line when
/// `header`. Fields may be padded with spaces; LF or CRLF line ends; a final newline is optional.
/// Throws IoError naming the file, line and column on a missing, empty, oversized (> 1 GiB),
/// ragged or non-numeric file.
Tensor read_csv(const std::string& path, bool header = true, char delimiter = ',');

}  // namespace tg
