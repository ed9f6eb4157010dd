#pragma once
// Tensor storage: either an owned 64-byte aligned buffer, or a view of external memory kept alive
// by `owner`. An implementation detail, public only so that Tensor::raw() can be inline: kernels
// on tiny tensors call it several times per node.
#include <cstddef>
#include <memory>

namespace tg::detail {

struct Storage {
  void* data = nullptr;           // 64-byte aligned
  void* base = nullptr;           // what malloc returned, for owned buffers
  std::size_t capacity = 0;       // bytes
  std::shared_ptr<void> owner;    // set for views; null for owned buffers
  bool owned = false;
  // A buffer of up to kInlineBytes lives in the Storage itself (`base` stays null): a small
  // tensor, such as a fed point or a bias, costs one allocation, not two. 63 spare bytes align it.
  static constexpr std::size_t kInlineBytes = 64;
  unsigned char inline_bytes[kInlineBytes + 63];

  /// An owned buffer of at least `bytes` bytes, zero-filled when `zero`.
  static std::shared_ptr<Storage> allocate(std::size_t bytes, bool zero = true);
  Storage() {}  // NOTE: user-provided, so that make_shared does not zero inline_bytes
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();
};

}  // namespace tg::detail
