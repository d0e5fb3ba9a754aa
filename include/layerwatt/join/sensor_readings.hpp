#pragma once
// What each value of a power log measured. The sensor publishes, at each refresh instant T, the
// mean power over [T − W, T] (W its refresh interval); the logger reads the latest published
// value. So a run of equal lines is one measurement, and it describes the W before a refresh
// that lies at or before its first line — not the moment of any line.
//
// With a located refresh grid (refresh_grid.hpp), the lines between two refreshes are one
// reading, refreshed at the grid's instant; lines there that disagree contradict the grid and are
// left out. Without one, a reading starts at each line that differs from the one before (or
// follows it by W or more: the sensor must have refreshed), and its T lies anywhere between the
// line before and its own line, within W of its own.
//
// So T is known to lie in an interval [from, to] — a point on a grid — equally likely anywhere in
// it, and the reading's expected weight on time t is the boxcar [T − W, T] averaged over T: a
// trapezoid, a boxcar when T is known. reading_kernel gives the weight of a stretch of time in
// closed form. Lines are taken as read in the middle of the µs of their stamp (read_time_us).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "layerwatt/io/power_log.hpp"
#include "layerwatt/join/refresh_grid.hpp"

namespace layerwatt::join {

struct sensor_reading {
  double power_uw = 0;
  /// The refresh instant lies in [refresh_from_us, refresh_to_us], µs after the first sample.
  double refresh_from_us = 0, refresh_to_us = 0;
};

/// The weights of a reading over time, for an averaging window of `window_us`: weight(a, b) is the
/// expected share of the window that [a, b] takes. Weights over all time sum to 1; they are zero
/// outside [support_from(), support_to()].
class reading_kernel {
 public:
  reading_kernel(const sensor_reading& r, double window_us) noexcept
      : from_(r.refresh_from_us), to_(r.refresh_to_us), window_(window_us) {}

  [[nodiscard]] double support_from() const noexcept { return from_ - window_; }
  [[nodiscard]] double support_to() const noexcept { return to_; }
  [[nodiscard]] double weight(double a_us, double b_us) const noexcept { return cumulative(b_us) - cumulative(a_us); }

 private:
  /// Below this spread (µs) the refresh instant counts as known.
  static constexpr double point = 1e-6;

  /// ∫ of the boxcar's cumulative weight clamp(x / W, 0, 1) from −∞ to x.
  [[nodiscard]] double ramp_integral(double x) const noexcept {
    if (x <= 0) return 0;
    if (x <= window_) return x * x / (2 * window_);
    return x - window_ / 2;
  }

  /// The weight of (−∞, t].
  [[nodiscard]] double cumulative(double t) const noexcept {
    if (to_ - from_ < point) return std::clamp((t - from_ + window_) / window_, 0.0, 1.0);
    return (ramp_integral(t - from_ + window_) - ramp_integral(t - to_ + window_)) / (to_ - from_);
  }

  double from_, to_, window_;
};

/// The readings of a log in time order, from a sensor averaging over `window_us`, with the refresh
/// grid when it is located. Samples must be in time order. `contradicting`, if given, counts the
/// grid cells left out because their lines disagree.
inline std::vector<sensor_reading> sensor_readings(std::span<const io::power_sample> samples, double window_us,
                                                   const std::optional<refresh_grid>& grid,
                                                   std::size_t* contradicting = nullptr) {
  std::vector<sensor_reading> out;
  std::size_t left_out = 0;
  if (grid) {
    for (std::size_t i = 0; i < samples.size();) {
      const double k = grid->refresh_index(read_time_us(samples, i));
      bool agree = true;
      std::size_t j = i + 1;
      for (; j < samples.size() && grid->refresh_index(read_time_us(samples, j)) == k; ++j)
        agree = agree && samples[j].power_uw == samples[i].power_uw;
      if (agree) out.push_back({samples[i].power_uw, grid->refresh_us(k), grid->refresh_us(k)});
      else ++left_out;
      i = j;
    }
  } else {
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const double t = read_time_us(samples, i), before = i > 0 ? read_time_us(samples, i - 1) : t - window_us;
      if (i > 0 && samples[i].power_uw == samples[i - 1].power_uw && t - before < window_us) continue;
      out.push_back({samples[i].power_uw, std::max(before, t - window_us), t});
    }
  }
  if (contradicting) *contradicting = left_out;
  return out;
}

}  // namespace layerwatt::join
