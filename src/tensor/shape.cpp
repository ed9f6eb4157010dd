#include "tensorgraph/shape.h"


#include "tensorgraph/error.h"

namespace tg {

Shape::Shape(std::initializer_list<std::int64_t> dims) {
  for (auto d : dims) push_back(d);
}

Shape Shape::unknown_rank() {
  Shape s;
  s.rank_ = -1;
  return s;
}

Shape Shape::unknown_dims(int rank) {
  Shape s;
  for (int i = 0; i < rank; ++i) s.push_back(kUnknownDim);
  return s;
}

void Shape::push_back(std::int64_t d) {
  if (rank_ < 0) throw ShapeError("Shape: cannot append to a shape of unknown rank");
  if (rank_ >= kMaxRank)
    throw ShapeError("Shape: rank above the maximum of " + std::to_string(kMaxRank));
  if (d < kUnknownDim) throw ShapeError("Shape: negative dimension " + std::to_string(d));
  dims_[static_cast<std::size_t>(rank_++)] = d;
}

bool Shape::fully_known() const {
  if (rank_ < 0) return false;
  for (auto d : *this)
    if (d < 0) return false;
  return true;
}

std::int64_t Shape::num_elements() const {
  if (rank_ < 0) return -1;
  std::int64_t n = 1;
  for (auto d : *this)
    if (d < 0) return -1;
  for (auto d : *this)
    if (__builtin_mul_overflow(n, d, &n))
      throw ShapeError("Shape " + str() + ": number of elements overflows int64");
  return n;
}

std::string Shape::str() const {
  if (rank_ < 0) return "<unknown rank>";
  std::string s = "[";
  for (int i = 0; i < rank_; ++i) {
    if (i) s += ", ";
    s += (*this)[i] < 0 ? std::string("?") : std::to_string((*this)[i]);
  }
  return s + "]";
}

bool shape_compatible(const Shape& declared, const Shape& concrete) {
  if (!declared.rank_known()) return true;
  if (declared.rank() != concrete.rank()) return false;
  for (int i = 0; i < declared.rank(); ++i)
    if (declared[i] >= 0 && declared[i] != concrete[i]) return false;
  return true;
}

bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out) {
  if (!a.rank_known() || !b.rank_known()) {
    out = Shape::unknown_rank();
    return true;
  }
  int r = a.rank() > b.rank() ? a.rank() : b.rank();
  Shape s = Shape::unknown_dims(r);
  for (int i = 0; i < r; ++i) {
    int ia = a.rank() - r + i, ib = b.rank() - r + i;
    std::int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da == 1) s[i] = db;
    else if (db == 1) s[i] = da;
    else if (da < 0) s[i] = db;  // unknown vs known: the known one (or unknown if both are)
    else if (db < 0) s[i] = da;
    else if (da == db) s[i] = da;
    else return false;
  }
  out = s;
  return true;
}

int normalize_axis(std::int64_t axis, int rank, const std::string& what) {
  if (axis < -rank || axis >= rank)
    throw ShapeError(what + ": axis " + std::to_string(axis) + " is out of range for rank " +
                     std::to_string(rank) + " (expected " + std::to_string(-rank) + " <= axis < " +
                     std::to_string(rank) + ")");
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

}  // namespace tg
