#pragma once
// Shared by pad and its adjoint pad_grad: TensorFlow's paddings and modes, and where each element
// of the padded tensor comes from.
#include <functional>

#include "op_helpers.h"

namespace tg::ops {

struct PadAttrs {
  std::vector<std::int64_t> paddings;  // [before_0, after_0, before_1, after_1, ...], one pair per axis
  std::string mode = "CONSTANT";       // "CONSTANT", "REFLECT" or "SYMMETRIC" (any case)
  double constant_values = 0;          // the fill of CONSTANT
};
extern const AttrSchema kPadAttrs;

enum class PadMode { constant, reflect, symmetric };
/// The mode; ShapeError naming `what` for another.
PadMode pad_mode(const std::string& mode, const char* what);
/// The padded shape of `in` (`grow`) or, for pad_grad, the unpadded shape of a padded one; checks
/// the paddings against the rank and, for REFLECT/SYMMETRIC, against the (unpadded) sizes.
Shape padded_shape(const Shape& in, const PadAttrs& a, bool grow, const char* what);
/// Calls f(out_offset, in_offset) for every element of the padded tensor of the concrete shape
/// `in`, in order; in_offset is -1 where CONSTANT fills.
void for_each_padded(const Shape& in, const PadAttrs& a, const std::function<void(std::int64_t, std::int64_t)>& f);

}  // namespace tg::ops
