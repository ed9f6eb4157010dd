#pragma once
#include "tensorgraph/error.h"

namespace tg {

template <class F> decltype(auto) dispatch_all(DType d, F&& f) {
  switch (d) {
    case DType::f32: return f.template operator()<float>();
    case DType::f64: return f.template operator()<double>();
    case DType::i32: return f.template operator()<std::int32_t>();
    case DType::i64: return f.template operator()<std::int64_t>();
    case DType::boolean: return f.template operator()<bool>();
    case DType::i16: return f.template operator()<std::int16_t>();
    case DType::u8: return f.template operator()<std::uint8_t>();
    case DType::unknown: break;
  }
  throw DTypeError("tensorgraph: a value of unknown dtype reached a kernel");
}

/// As dispatch_all without bool; throws DTypeError naming `what` for bool.
template <class F> decltype(auto) dispatch_numeric(DType d, const char* what, F&& f) {
  switch (d) {
    case DType::f32: return f.template operator()<float>();
    case DType::f64: return f.template operator()<double>();
    case DType::i32: return f.template operator()<std::int32_t>();
    case DType::i64: return f.template operator()<std::int64_t>();
    default: break;
  }
  if (d == DType::i16 || d == DType::u8)
    throw DTypeError(std::string(what) + ": " + dtype_name(d) + " is a storage type here (fed, fetched, saved, "
                     "sliced, compared and cast): cast it to int32 or a float first");
  throw DTypeError(std::string(what) + ": expected a numeric dtype, got " + dtype_name(d));
}

template <class F> decltype(auto) dispatch_float(DType d, const char* what, F&& f) {
  switch (d) {
    case DType::f32: return f.template operator()<float>();
    case DType::f64: return f.template operator()<double>();
    default: break;
  }
  throw DTypeError(std::string(what) + ": expected float32 or float64, got " + dtype_name(d) +
                   (d == DType::i16 || d == DType::u8 ? " (cast it first)" : ""));
}

}  // namespace tg
