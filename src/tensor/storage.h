#pragma once
// Tensor storage: either an owned 64-byte aligned buffer, or a view of external memory kept alive
// by `owner`.
#include <cstddef>
#include <memory>

namespace tg::detail {

struct Storage {
  void* data = nullptr;
  std::size_t capacity = 0;       // bytes
  std::shared_ptr<void> owner;    // set for views; null for owned buffers
  bool owned = false;

  /// An owned, zero-filled buffer of at least `bytes` bytes.
  static std::shared_ptr<Storage> allocate(std::size_t bytes);
  Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();
};

}  // namespace tg::detail
