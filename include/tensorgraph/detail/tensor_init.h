#pragma once
// Template parts of Tensor: construction from nested initializer lists and typed accessors.

namespace tg {

template <class T, class L> void Tensor::init_nested(const L& v, Shape shape) {
  static_assert(std::is_arithmetic_v<T>, "tensor elements must be arithmetic");
  using E = std::conditional_t<std::is_same_v<T, int>, std::int32_t,
            std::conditional_t<std::is_same_v<T, long> || std::is_same_v<T, long long>, std::int64_t, T>>;
  *this = uninitialized(dtype_of<E>(), shape);
  E* flat = data<E>();
  auto add = [&](auto&& self, const auto& list, int depth) -> void {
    if constexpr (std::is_arithmetic_v<std::decay_t<decltype(*list.begin())>>) {
      for (auto x : list) *flat++ = static_cast<E>(x);
    } else {
      for (const auto& sub : list) {
        if (static_cast<std::int64_t>(sub.size()) != shape[depth + 1])
          throw ShapeError("Tensor: nested lists have unequal lengths (ragged), expected " +
                           std::to_string(shape[depth + 1]) + " got " + std::to_string(sub.size()));
        self(self, sub, depth + 1);
      }
    }
  };
  add(add, v, 0);
}

template <class T> Tensor::Tensor(std::initializer_list<std::initializer_list<T>> v) {
  std::int64_t cols = v.size() ? static_cast<std::int64_t>(v.begin()->size()) : 0;
  init_nested<T>(v, {static_cast<std::int64_t>(v.size()), cols});
}

template <class T>
Tensor::Tensor(std::initializer_list<std::initializer_list<std::initializer_list<T>>> v) {
  std::int64_t d1 = v.size() ? static_cast<std::int64_t>(v.begin()->size()) : 0;
  std::int64_t d2 = d1 ? static_cast<std::int64_t>(v.begin()->begin()->size()) : 0;
  init_nested<T>(v, {static_cast<std::int64_t>(v.size()), d1, d2});
}

template <class T> T Tensor::item() const {
  if (size_ != 1)
    throw ShapeError("Tensor::item: expected exactly one element, tensor has shape " + shape_.str());
  return static_cast<T>(flat(0));
}

template <class T> std::vector<T> Tensor::to_vector() const {
  std::vector<T> out(static_cast<std::size_t>(size_));
  for (std::int64_t i = 0; i < size_; ++i) out[static_cast<std::size_t>(i)] = static_cast<T>(flat(i));
  return out;
}

}  // namespace tg
