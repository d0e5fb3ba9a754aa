#pragma once
// The true power of the rail over a run: idle, plus a constant dynamic part during each layer
// execution (a segment). Averages over any interval come from a running integral, so the
// sensor's window averages are exact.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "layerwatt/core/error.hpp"

namespace layerwatt::sim {

class power_signal {
 public:
  explicit power_signal(double idle_uw) : idle_uw_(idle_uw) { energy_before_.push_back(0); }

  /// Adds a segment [start_us, end_us) drawing `dynamic_uw` above idle. Segments come in time
  /// order and do not overlap; empty ones are skipped.
  void add(double start_us, double end_us, double dynamic_uw) {
    if (end_us <= start_us) return;
    if (!starts_.empty() && start_us < ends_.back())
      throw error(fmt::format("power segment at {} µs overlaps the one ending at {} µs", start_us, ends_.back()));
    starts_.push_back(start_us);
    ends_.push_back(end_us);
    power_.push_back(dynamic_uw);
    energy_before_.push_back(energy_before_.back() + dynamic_uw * (end_us - start_us));
  }

  void reserve(std::size_t segments) {
    starts_.reserve(segments);
    ends_.reserve(segments);
    power_.reserve(segments);
    energy_before_.reserve(segments + 1);
  }

  [[nodiscard]] double idle_uw() const noexcept { return idle_uw_; }
  [[nodiscard]] std::size_t segments() const noexcept { return starts_.size(); }

  /// The power at time t (µW).
  [[nodiscard]] double at(double t_us) const {
    const auto i = segment_at_or_before(t_us);
    return idle_uw_ + (i < starts_.size() && t_us < ends_[i] ? power_[i] : 0);
  }

  /// The mean power over [from_us, to_us] (µW); the power at `from_us` for an empty interval.
  [[nodiscard]] double mean(double from_us, double to_us) const {
    if (to_us <= from_us) return at(from_us);
    return idle_uw_ + (dynamic_energy_until(to_us) - dynamic_energy_until(from_us)) / (to_us - from_us);
  }

 private:
  /// Index of the last segment starting at or before t, or segments() when none does.
  [[nodiscard]] std::size_t segment_at_or_before(double t_us) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), t_us);
    return it == starts_.begin() ? starts_.size() : static_cast<std::size_t>(it - starts_.begin()) - 1;
  }

  /// ∫ dynamic power from the beginning of time to t (µW·µs).
  [[nodiscard]] double dynamic_energy_until(double t_us) const {
    const auto i = segment_at_or_before(t_us);
    if (i == starts_.size()) return 0;
    return energy_before_[i] + power_[i] * (std::min(t_us, ends_[i]) - starts_[i]);
  }

  double idle_uw_;
  std::vector<double> starts_, ends_, power_, energy_before_;
};

}  // namespace layerwatt::sim
