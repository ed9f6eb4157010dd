#pragma once
// Counter-based random numbers: element i of a node's output in run r is a hash of
// (seed, node, r, i). A session's sequence is reproducible from the seed, every run differs, any
// element can be computed alone (so loops split over threads freely), and no generator state
// needs a home in the graph.
#include <cmath>
#include <cstdint>

namespace tg::kernels {

/// splitmix64's finaliser: a bijective mix of 64 bits.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The stream of one node in one run.
inline std::uint64_t stream_key(std::uint64_t seed, int node_id, std::uint64_t run) {
  return mix64(mix64(seed ^ 0x9e3779b97f4a7c15ULL) + static_cast<std::uint64_t>(node_id)) + mix64(run + 1);
}

/// 64 random bits: draw i of stream `key`.
inline std::uint64_t draw_bits(std::uint64_t key, std::uint64_t i) { return mix64(key + 0x9e3779b97f4a7c15ULL * i); }

/// U[0, 1) with 53 random bits: draw i of stream `key`.
inline double uniform_at(std::uint64_t key, std::uint64_t i) { return static_cast<double>(draw_bits(key, i) >> 11) * 0x1p-53; }

/// Two independent N(0, 1) numbers from draws 2j and 2j+1 of stream `key` (Box-Muller:
/// r = sqrt(-2 ln u1) with u1 in (0, 1], z = (r cos 2 pi u2, r sin 2 pi u2)).
inline void normal_pair_at(std::uint64_t key, std::uint64_t j, double& z0, double& z1) {
  const double u1 = static_cast<double>((draw_bits(key, 2 * j) >> 11) + 1) * 0x1p-53;
  const double u2 = uniform_at(key, 2 * j + 1);
  const double r = std::sqrt(-2.0 * std::log(u1)), a = 6.283185307179586476925 * u2;
  z0 = r * std::cos(a);
  z1 = r * std::sin(a);
}

}  // namespace tg::kernels
