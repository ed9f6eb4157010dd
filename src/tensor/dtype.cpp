#include "tensorgraph/dtype.h"

namespace tg {

std::string dtype_name(DType d) {
  switch (d) {
    case DType::f32: return "float32";
    case DType::f64: return "float64";
    case DType::i32: return "int32";
    case DType::i64: return "int64";
    case DType::boolean: return "bool";
    case DType::i16: return "int16";
    case DType::u8: return "uint8";
    case DType::unknown: break;
  }
  return "unknown";
}

bool dtype_from_name(const std::string& name, DType& out) {
  for (DType d : {DType::unknown, DType::f32, DType::f64, DType::i32, DType::i64, DType::boolean, DType::i16, DType::u8})
    if (name == dtype_name(d)) return out = d, true;
  return false;
}

}  // namespace tg
