#pragma once
// Element types. `unknown` appears only in static inference (a placeholder declared without a
// dtype); every tensor that exists at run time has a concrete dtype. int16 and uint8 are storage
// types (TensorFlow's tf.int16 and tf.uint8: audio samples, image bytes): fed, fetched, saved,
// copied, compared, gathered, sliced and cast; arithmetic on them is a DTypeError asking for a cast.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tg {

enum class DType : std::uint8_t { unknown, f32, f64, i32, i64, boolean, i16, u8 };

/// Size in bytes of one element (0 for unknown).
constexpr std::size_t dtype_size(DType d) {
  switch (d) {
    case DType::f32: case DType::i32: return 4;
    case DType::f64: case DType::i64: return 8;
    case DType::i16: return 2;
    case DType::boolean: case DType::u8: return 1;
    case DType::unknown: break;
  }
  return 0;
}
/// Name as numpy spells it: "float32", "float64", "int32", "int64", "bool", "int16", "uint8", "unknown".
std::string dtype_name(DType d);
/// The DType named `name` (dtype_name's spelling, "unknown" included); false if none is.
bool dtype_from_name(const std::string& name, DType& out);
/// True for f32 and f64.
inline bool is_floating(DType d) { return d == DType::f32 || d == DType::f64; }
/// True for the integer dtypes (i32, i64, i16, u8).
inline bool is_integer(DType d) { return d == DType::i32 || d == DType::i64 || d == DType::i16 || d == DType::u8; }
/// An integer dtype's values as doubles: [lo, hi) (hi exclusive, exact: 2^31, 2^63, ...).
inline void integer_range(DType d, double& lo, double& hi) {
  switch (d) {
    case DType::i16: lo = -0x1p15, hi = 0x1p15; return;
    case DType::u8: lo = 0, hi = 0x1p8; return;
    case DType::i32: lo = -0x1p31, hi = 0x1p31; return;
    default: lo = -0x1p63, hi = 0x1p63; return;
  }
}

/// The DType of a C++ element type.
template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::f32; }
template <> constexpr DType dtype_of<double>() { return DType::f64; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::i32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::i64; }
template <> constexpr DType dtype_of<bool>() { return DType::boolean; }
template <> constexpr DType dtype_of<std::int16_t>() { return DType::i16; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::u8; }

/// Calls f.template operator()<T>() with T the C++ type of d (bool is stored as bool, 1 byte).
template <class F> decltype(auto) dispatch_all(DType d, F&& f);
/// As dispatch_all, for float32/float64 only; throws DTypeError naming `what` otherwise.
template <class F> decltype(auto) dispatch_float(DType d, const char* what, F&& f);

}  // namespace tg

#include "tensorgraph/detail/dispatch.h"
