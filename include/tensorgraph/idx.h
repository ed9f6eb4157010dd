#pragma once
// IDX files (the MNIST family: Fashion-MNIST ships as Debian's dataset-fashion-mnist, in
// /usr/share/datasets/fashion-mnist), gzip-compressed or not.
#include <string>

#include "tensorgraph/tensor.h"

namespace tg {

/// Reads an IDX file (.gz or plain). Bytes and shorts become int32 (unsigned bytes keep 0..255),
/// ints int32, floats float32, doubles float64; the shape is the file's. Throws IoError naming
/// the file on a missing, truncated, oversized or malformed file.
Tensor read_idx(const std::string& path);

}  // namespace tg
