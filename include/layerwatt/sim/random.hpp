#pragma once
// The simulator's randomness, fixed and portable: the same seed gives the same bytes on every
// standard library. xoshiro256** (Blackman & Vigna) seeded through splitmix64, 53-bit uniforms,
// and our own normal (Marsaglia's polar method) and mean-one log-normal transforms — the
// standard <random> distributions are implementation-defined and would not be.

#include <cmath>
#include <cstdint>
#include <string_view>

namespace layerwatt::sim {

/// One splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A 64-bit hash of text (FNV-1a, then mixed), stable across platforms unlike std::hash.
constexpr std::uint64_t hash_text(std::string_view text, std::uint64_t seed = 0) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return splitmix64(h);
}

/// A stream of random numbers. Not thread-safe; give each thread (and each purpose) its own.
class random_stream {
 public:
  explicit constexpr random_stream(std::uint64_t seed) noexcept {
    for (auto& word : s_) word = splitmix64(seed);
  }

  /// xoshiro256**: the next 64 random bits.
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  constexpr double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n) for n ≥ 1 (the tiny modulo bias is irrelevant here).
  constexpr std::uint64_t below(std::uint64_t n) noexcept { return next() % n; }

  /// Standard normal, by Marsaglia's polar method (two values per accepted pair).
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double scale = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

  /// Log-normal with mean exactly 1: exp(σZ − σ²/2). σ = 0 gives 1 and draws nothing.
  double lognormal(double sigma) noexcept {
    if (sigma == 0) return 1;
    return std::exp(sigma * normal() - sigma * sigma / 2);
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

  std::uint64_t s_[4]{};
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace layerwatt::sim
