#pragma once
// Shapes live inline (rank <= kMaxRank), so building, copying and comparing them never touches
// the heap: the executor infers shapes on every run whose feed shapes changed.
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace tg {

inline constexpr int kMaxRank = 8;
/// A dimension whose size is not known before the graph runs (e.g. the batch size).
inline constexpr std::int64_t kUnknownDim = -1;

class Shape {
 public:
  /// The scalar shape (rank 0).
  Shape() = default;
  /// A shape from its dimensions; kUnknownDim (-1) marks an unknown one.
  Shape(std::initializer_list<std::int64_t> dims);
  /// A shape from a range of dimensions.
  template <class It> static Shape from(It first, It last) {
    Shape s;
    for (; first != last; ++first) s.push_back(static_cast<std::int64_t>(*first));
    return s;
  }
  /// A shape whose rank is not known (a placeholder declared without a shape).
  static Shape unknown_rank();
  /// A shape of `rank` unknown dimensions.
  static Shape unknown_dims(int rank);

  /// Rank, or -1 when unknown.
  int rank() const { return rank_; }
  bool rank_known() const { return rank_ >= 0; }
  /// True when the rank and every dimension are known.
  bool fully_known() const;
  /// Product of the dimensions; -1 if any is unknown; throws ShapeError on int64 overflow.
  std::int64_t num_elements() const;

  std::int64_t operator[](int i) const { return dims_[static_cast<std::size_t>(i)]; }
  std::int64_t& operator[](int i) { return dims_[static_cast<std::size_t>(i)]; }
  /// Dimension i counted from the end when negative (python style); no bounds check.
  std::int64_t dim(int i) const { return (*this)[i < 0 ? i + rank_ : i]; }
  const std::int64_t* begin() const { return dims_.data(); }
  const std::int64_t* end() const { return dims_.data() + (rank_ > 0 ? rank_ : 0); }

  /// Appends a dimension; throws ShapeError past kMaxRank.
  void push_back(std::int64_t d);
  /// Removes the last dimension.
  void pop_back() { --rank_; }
  /// Makes this the scalar shape (rank 0) without rewriting the dimensions' storage.
  void clear() { rank_ = 0; }

  bool operator==(const Shape& o) const {  // NOTE: inline: the executor compares shapes every run
    if (rank_ != o.rank_) return false;
    for (int i = 0; i < rank_; ++i)
      if (dims_[static_cast<std::size_t>(i)] != o.dims_[static_cast<std::size_t>(i)]) return false;
    return true;
  }
  /// "[2, 3]", "[?, 3]", "[]" for a scalar, "<unknown rank>".
  std::string str() const;

 private:
  std::array<std::int64_t, kMaxRank> dims_{};
  std::int8_t rank_ = 0;
};

/// True if a value of shape `concrete` fits `declared` (same rank, equal where known).
bool shape_compatible(const Shape& declared, const Shape& concrete);
/// Numpy broadcast of two shapes (unknown dims allowed); returns false if incompatible.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out);
/// Normalises a possibly negative axis for `rank`; throws ShapeError naming `what` if out of range.
int normalize_axis(std::int64_t axis, int rank, const std::string& what);

}  // namespace tg
