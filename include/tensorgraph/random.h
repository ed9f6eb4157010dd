#pragma once
// An explicit, seeded generator: tensorgraph has no hidden global random state.
#include <cstdint>
#include <random>

namespace tg {

class Rng {
 public:
  /// A generator whose whole sequence is fixed by `seed`.
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// A draw from N(0, 1).
  double normal() { return normal_(engine_); }
  /// A draw from U[0, 1).
  double uniform() { return uniform_(engine_); }
  /// The underlying engine, for std distributions.
  std::mt19937_64& engine() { return engine_; }

 private:
  std::mt19937_64 engine_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

}  // namespace tg
