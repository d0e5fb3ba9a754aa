#pragma once
// Percentiles of intervals (sampling periods, wake-up lateness) over runs of any length in fixed
// memory: a log-linear histogram of nanoseconds, exact below 512 ns and within 1/512 (0.2 %, 2 µs
// at 1 ms) above, like HdrHistogram. Recording is a few instructions and never allocates: it runs
// once per sample. The buckets (115 KiB) are allocated once, at construction.

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

namespace layerwatt::sense {

class interval_histogram {
 public:
  interval_histogram() : counts_(exact + groups * per_group, 0) {}

  void record(std::chrono::nanoseconds interval) noexcept {
    const auto ns = static_cast<std::uint64_t>(interval.count() < 0 ? 0 : interval.count());
    ++counts_[index(ns)];
    ++total_;
  }

  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }

  /// The interval below which a fraction `q` (0..1] of the recorded ones lie (the middle of its
  /// bucket); zero when nothing was recorded.
  [[nodiscard]] std::chrono::nanoseconds percentile(double q) const noexcept {
    if (total_ == 0) return std::chrono::nanoseconds{0};
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::chrono::nanoseconds{static_cast<std::int64_t>(middle(i))};
    }
    return std::chrono::nanoseconds{static_cast<std::int64_t>(middle(counts_.size() - 1))};
  }

  void clear() noexcept {
    std::fill(counts_.begin(), counts_.end(), 0);
    total_ = 0;
  }

 private:
  // Bucket i < 512 holds exactly i ns. Above, a value v with bit width b (>= 10) falls in group
  // e = b - 9 of 256 buckets of width 2^e, by its top nine bits m = v >> e (256..511).
  static constexpr int bits = 9;
  static constexpr std::size_t exact = std::size_t{1} << bits, per_group = exact / 2, groups = 64 - bits;

  static constexpr std::size_t index(std::uint64_t ns) noexcept {
    if (ns < exact) return ns;
    const auto e = static_cast<int>(std::bit_width(ns)) - bits;
    return exact + static_cast<std::size_t>(e - 1) * per_group + static_cast<std::size_t>((ns >> e) - per_group);
  }

  static constexpr std::uint64_t middle(std::size_t i) noexcept {
    if (i < exact) return i;
    const std::size_t e = (i - exact) / per_group + 1;
    const std::uint64_t m = (i - exact) % per_group + per_group;
    return (m << e) + (std::uint64_t{1} << e) / 2;
  }

  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

}  // namespace layerwatt::sense
