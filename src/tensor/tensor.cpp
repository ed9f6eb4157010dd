#include "tensorgraph/tensor.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include <sys/mman.h>

#include "tensorgraph/storage.h"

namespace tg {
namespace {
std::atomic<std::uint64_t> g_allocations{0};
constexpr std::size_t kAlign = 64;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugeBytes = std::size_t{16} << 20;  // buffers from 16 MiB up
}  // namespace

std::uint64_t tensor_allocation_count() { return g_allocations.load(std::memory_order_relaxed); }

namespace detail {

std::shared_ptr<Storage> Storage::allocate(std::size_t bytes, bool zero) {
  auto s = std::make_shared<Storage>();
  std::size_t rounded = (bytes + kAlign - 1) / kAlign * kAlign;
  if (rounded == 0) rounded = kAlign;
  if (rounded <= Storage::kInlineBytes) {
    const auto addr = reinterpret_cast<std::uintptr_t>(s->inline_bytes);
    s->data = reinterpret_cast<void*>((addr + kAlign - 1) & ~static_cast<std::uintptr_t>(kAlign - 1));
  } else if (rounded >= kHugeBytes) {
    // NOTE: a large buffer on 2 MiB pages where the kernel offers them (transparent huge pages
    // in "madvise" mode, Debian's default): first writes fault once per 2 MiB, not per 4 KiB.
    // Filling Fashion-MNIST's 188 MB of float32 took 0.3 s of page faults on 4 KiB pages.
    if (posix_memalign(&s->base, kHugePage, rounded) != 0) throw std::bad_alloc();
    s->data = s->base;
#ifdef MADV_HUGEPAGE
    madvise(s->base, rounded, MADV_HUGEPAGE);  // advice only: ignored where unsupported
#endif
  } else {
    // NOTE: malloc + manual alignment: glibc's aligned_alloc takes a much slower path.
    s->base = std::malloc(rounded + kAlign);
    if (!s->base) throw std::bad_alloc();
    const auto addr = reinterpret_cast<std::uintptr_t>(s->base);
    s->data = reinterpret_cast<void*>((addr + kAlign) & ~static_cast<std::uintptr_t>(kAlign - 1));
  }
  if (zero) std::memset(s->data, 0, rounded);
  s->capacity = rounded;
  s->owned = true;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return s;
}

Storage::~Storage() {
  if (owned) std::free(base);
}

}  // namespace detail

Tensor::Tensor(DType dtype, const Shape& shape) {
  std::shared_ptr<detail::Storage> s;
  reset_into(s, dtype, shape);
  if (nbytes()) std::memset(raw(), 0, nbytes());
}

Tensor Tensor::uninitialized(DType dtype, const Shape& shape) {
  Tensor t;
  std::shared_ptr<detail::Storage> s;
  t.reset_into(s, dtype, shape);
  return t;
}

void Tensor::reset_into(std::shared_ptr<detail::Storage>& storage, DType dtype, const Shape& shape) {
  const std::size_t esize = dtype_size(dtype);
  if (esize == 0) throw DTypeError("Tensor: cannot create a tensor of unknown dtype");
  const std::int64_t n = shape.num_elements();  // -1 when not fully known
  if (n < 0) throw ShapeError("Tensor: cannot create a tensor of partially known shape " + shape.str());
  std::size_t bytes = static_cast<std::size_t>(n) * esize;
  if (n > 0 && bytes / static_cast<std::size_t>(n) != esize)
    throw ShapeError("Tensor: byte size of shape " + shape.str() + " overflows");
  if (!storage || !storage->owned || storage->capacity < bytes) storage = detail::Storage::allocate(bytes, false);
  if (storage_ != storage) storage_ = storage;  // NOTE: steady state: no atomic refcount traffic
  dtype_ = dtype;
  shape_ = shape;
  size_ = n;
}

Tensor Tensor::copy_of(DType dtype, const Shape& shape, const void* data, std::size_t count) {
  Tensor t = uninitialized(dtype, shape);
  if (static_cast<std::int64_t>(count) != t.size_)
    throw ShapeError("Tensor: " + std::to_string(count) + " values cannot fill shape " + shape.str() +
                     " (" + std::to_string(t.size_) + " elements)");
  if (count) std::memcpy(t.raw(), data, t.nbytes());
  return t;
}

Tensor Tensor::view_of(DType dtype, const Shape& shape, void* data, std::shared_ptr<void> owner) {
  if (dtype == DType::unknown || !shape.fully_known())
    throw ShapeError("Tensor::view_of: dtype and shape must be known, got " + dtype_name(dtype) + " " +
                     shape.str());
  Tensor t;
  t.storage_ = std::make_shared<detail::Storage>();
  t.storage_->data = data;
  t.storage_->owner = std::move(owner);
  t.dtype_ = dtype;
  t.shape_ = shape;
  t.size_ = shape.num_elements();
  t.storage_->capacity = t.nbytes();
  return t;
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
  Tensor t(dtype, shape);
  dispatch_all(dtype, [&]<class T>() {
    T* p = t.data<T>();
    for (std::int64_t i = 0; i < t.size_; ++i) p[i] = static_cast<T>(value);
  });
  return t;
}

Tensor Tensor::randn(const Shape& shape, Rng& rng, DType dtype, double mean, double stddev) {
  Tensor t(dtype, shape);
  dispatch_float(dtype, "Tensor::randn", [&]<class T>() {
    T* p = t.data<T>();
    for (std::int64_t i = 0; i < t.size_; ++i) p[i] = static_cast<T>(mean + stddev * rng.normal());
  });
  return t;
}

Tensor Tensor::uniform(const Shape& shape, Rng& rng, DType dtype, double low, double high) {
  Tensor t(dtype, shape);
  dispatch_float(dtype, "Tensor::uniform", [&]<class T>() {
    T* p = t.data<T>();
    for (std::int64_t i = 0; i < t.size_; ++i) p[i] = static_cast<T>(low + (high - low) * rng.uniform());
  });
  return t;
}

void Tensor::type_error(DType want) const {
  throw DTypeError("Tensor: element access as " + dtype_name(want) + " on a tensor of dtype " +
                   dtype_name(dtype_));
}

double Tensor::flat(std::int64_t i) const {
  return dispatch_all(dtype_, [&]<class T>() -> double { return static_cast<double>(static_cast<const T*>(raw())[i]); });
}

Tensor Tensor::clone() const {
  if (!defined()) return {};
  return copy_of(dtype_, shape_, raw(), static_cast<std::size_t>(size_));
}

Tensor Tensor::astype(DType dtype) const {
  Tensor out(dtype, shape_);
  dispatch_all(dtype_, [&]<class S>() {
    dispatch_all(dtype, [&]<class D>() {
      const S* s = data<S>();
      D* d = out.data<D>();
      for (std::int64_t i = 0; i < size_; ++i) d[i] = static_cast<D>(s[i]);
    });
  });
  return out;
}

Tensor Tensor::reshaped(const Shape& shape) const {
  if (shape.num_elements() != size_)
    throw ShapeError("Tensor::reshaped: cannot view " + shape_.str() + " (" + std::to_string(size_) +
                     " elements) as " + shape.str());
  Tensor t = *this;
  t.shape_ = shape;
  return t;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  if (!(a.shape() == b.shape()))
    throw ShapeError("max_abs_diff: shapes differ: " + a.shape().str() + " vs " + b.shape().str());
  double m = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    double d = std::fabs(a.flat(i) - b.flat(i));
    if (std::isnan(d)) return d;
    if (d > m) m = d;
  }
  return m;
}

}  // namespace tg
