#pragma once
// The JSON header of a safetensors file, the format's schema only:
//   {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...,
//    "__metadata__": {"key": "value", ...}}
// parsed with nlohmann-json (bounded_json.h, depth 3: the schema's own) and then checked field by
// field; the layout against the file is checked by the loader (safetensors.cpp).
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tensorgraph/dtype.h"

namespace tg::safetensors {

struct Entry {
  std::string name;
  DType dtype = DType::unknown;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;
};

struct Header {
  std::vector<Entry> entries;  // in key order; the loader sorts them by data offset
  std::map<std::string, std::string> metadata;
};

/// Thrown by parse_header; the caller adds the file name.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr std::pair<DType, const char*> kDTypeCodes[] = {
    {DType::f32, "F32"}, {DType::f64, "F64"}, {DType::i32, "I32"}, {DType::i64, "I64"}, {DType::boolean, "BOOL"},
    {DType::i16, "I16"}, {DType::u8, "U8"}};

/// "F32", "F64", "I32", "I64", "BOOL"; unknown for any other string.
inline DType dtype_from_code(std::string_view code) {
  for (const auto& [d, c] : kDTypeCodes)
    if (code == c) return d;
  return DType::unknown;
}
/// The code of a dtype; null for unknown.
inline const char* dtype_code(DType dtype) {
  for (const auto& [d, c] : kDTypeCodes)
    if (d == dtype) return c;
  return nullptr;
}

/// Parses and checks a header; throws FormatError saying what is wrong.
Header parse_header(std::string_view json);

}  // namespace tg::safetensors
