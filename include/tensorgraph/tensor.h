#pragma once
// Tensor: a dense, row-major, n-dimensional array. Copies share storage (like numpy arrays and
// torch tensors); clone() copies the data. Owned storage is 64-byte aligned.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "tensorgraph/dtype.h"
#include "tensorgraph/error.h"
#include "tensorgraph/random.h"
#include "tensorgraph/shape.h"
#include "tensorgraph/storage.h"

namespace tg {

/// Number of tensor buffers allocated by this process so far (tests use it to prove reuse).
std::uint64_t tensor_allocation_count();


class Tensor {
 public:
  /// An undefined tensor (no storage); defined() is false.
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(DType dtype, const Shape& shape);
  /// A 0-d tensor holding v.
  template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
  static Tensor scalar(T v) {
    Tensor t(dtype_of<T>(), Shape{});
    *t.data<T>() = v;
    return t;
  }
  /// A 1-d tensor from a list: Tensor{1.0, 2.0} is float64, Tensor{1.f, 2.f} float32.
  template <class T> Tensor(std::initializer_list<T> v) { init_nested<T>(v, {static_cast<std::int64_t>(v.size())}); }
  /// A 2-d tensor from nested lists; rows must have equal lengths.
  template <class T> Tensor(std::initializer_list<std::initializer_list<T>> v);
  /// A 3-d tensor from nested lists.
  template <class T> Tensor(std::initializer_list<std::initializer_list<std::initializer_list<T>>> v);

  /// A tensor of the given shape from a flat vector (copied).
  template <class T> static Tensor from_vector(const std::vector<T>& v, const Shape& shape) {
    return copy_of(dtype_of<T>(), shape, v.data(), v.size());
  }
  /// A copy of `count` elements at `data`; count must equal the shape's size.
  static Tensor copy_of(DType dtype, const Shape& shape, const void* data, std::size_t count);
  /// A zero-copy view of external memory; `owner` keeps it alive (may be null if the caller does).
  static Tensor view_of(DType dtype, const Shape& shape, void* data, std::shared_ptr<void> owner);
  /// A tensor filled with `value`.
  static Tensor full(const Shape& shape, double value, DType dtype = DType::f64);
  static Tensor zeros(const Shape& shape, DType dtype = DType::f64) { return Tensor(dtype, shape); }
  static Tensor ones(const Shape& shape, DType dtype = DType::f64) { return full(shape, 1.0, dtype); }
  /// Draws from N(mean, stddev^2) with the given generator.
  static Tensor randn(const Shape& shape, Rng& rng, DType dtype = DType::f64, double mean = 0,
                      double stddev = 1);
  /// Draws from U[low, high) with the given generator.
  static Tensor uniform(const Shape& shape, Rng& rng, DType dtype = DType::f64, double low = 0,
                        double high = 1);

  bool defined() const { return storage_ != nullptr; }
  /// Drops the storage: the tensor becomes undefined, as a default-constructed one. (Cheaper than
  /// `t = Tensor()`, which builds and copies a whole Tensor; the executor does it every run.)
  void reset() {
    storage_.reset();
    dtype_ = DType::f64;
    shape_.clear();
    size_ = 0;
  }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  /// Number of elements.
  std::int64_t size() const { return size_; }
  std::size_t nbytes() const { return static_cast<std::size_t>(size_) * dtype_size(dtype_); }

  /// Typed pointer to the elements; throws DTypeError if T is not the tensor's dtype.
  template <class T> T* data() { check_type(dtype_of<T>()); return static_cast<T*>(raw()); }
  template <class T> const T* data() const { check_type(dtype_of<T>()); return static_cast<const T*>(raw()); }
  void* raw() { return storage_ ? storage_->data : nullptr; }
  const void* raw() const { return storage_ ? storage_->data : nullptr; }
  /// Element at a flat index, converted to double (any dtype).
  double flat(std::int64_t i) const;
  /// The single element of a size-1 tensor, as T.
  template <class T> T item() const;
  /// The elements as a flat vector of T (converting).
  template <class T> std::vector<T> to_vector() const;

  /// A deep copy.
  Tensor clone() const;
  /// A converted copy (numpy astype).
  Tensor astype(DType dtype) const;
  /// A tensor sharing this storage with another shape of the same size.
  Tensor reshaped(const Shape& shape) const;
  /// True if both tensors use the same storage.
  bool shares_storage(const Tensor& other) const { return storage_ == other.storage_; }

  /// numpy-like text: [[1, 0],\n [0, -1]].
  std::string str() const;

  /// A tensor whose elements are not initialised (for outputs a kernel overwrites).
  static Tensor uninitialized(DType dtype, const Shape& shape);

  // Executor use: make this tensor describe (dtype, shape) over `storage`, growing it if needed.
  // Allocates only when the storage is missing or too small.
  void reset_into(std::shared_ptr<detail::Storage>& storage, DType dtype, const Shape& shape);

 private:
  template <class T, class L> void init_nested(const L& v, Shape shape);
  void check_type(DType want) const {
    if (want != dtype_) [[unlikely]] type_error(want);
  }
  [[noreturn]] void type_error(DType want) const;

  std::shared_ptr<detail::Storage> storage_;
  DType dtype_ = DType::f64;
  Shape shape_;
  std::int64_t size_ = 0;
};

std::ostream& operator<<(std::ostream& os, const Tensor& t);

/// Max |a-b| over all elements (as doubles); throws ShapeError if shapes differ.
double max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace tg

#include "tensorgraph/detail/tensor_init.h"
