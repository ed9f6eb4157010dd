#pragma once
// An IDX file's bytes as stored (big-endian), for readers that convert them once into what they
// need (Fashion-MNIST's images: bytes straight to float32 in [0, 1]).
#include <cstdint>
#include <memory>
#include <string>

#include "tensorgraph/shape.h"

namespace tg::detail {

struct IdxData {
  int type = 0;        // 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
  Shape shape;
  std::size_t count = 1;  // elements
  std::unique_ptr<unsigned char[]> bytes;
};

/// The header and raw data of an IDX file (.gz or plain), checked as read_idx checks them.
IdxData read_idx_data(const std::string& path);

}  // namespace tg::detail
