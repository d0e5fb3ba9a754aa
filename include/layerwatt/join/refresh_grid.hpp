#pragma once
// When did the power sensor refresh? An INA3221 publishes a new average every W µs, at
// T_k = phase + k·W, and a logger faster than that reads the same value again until the next
// refresh. Where two consecutive lines of the log differ, a refresh happened between them; with
// the lines less than W apart, that pins the grid's phase to an interval. The phase covered by the
// most such intervals (a sweep over their ends, modulo W) is the grid's; the intervals all agree
// on it when the log fits the model, and thousands of them narrow it to a µs or two, because the
// logger's jitter moves its lines over every phase.
//
// A real chip's clock is not the nominal one: 0.1 % off moves the phase by W every 1 000
// refreshes, and one phase no longer fits a long log. When the nominal interval fits fewer than
// min_grid_consistency of the changes, the interval is searched within ±max_clock_error of it,
// coarse to fine: on the first changes, where the drift is small, with steps fine enough for
// their span, then on twice as many around the best, and so on to all of them. Either way the
// grid is then sharpened (detail::sharpen). A log whose changes fit no grid (the sensor refreshes
// no faster than the logger reads, a clock that wanders, a wrong nominal interval) leaves the
// phase unknown: `located()` is false.
//
// Time stamps are truncated to the µs, as Python's datetime and layerwatt's loggers write them:
// a line stamped t was read during [t, t + 1), at t + ½ on average. Times here are µs after the
// first line's stamp.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "layerwatt/io/power_log.hpp"

namespace layerwatt::join {

/// Fewer constraining value changes than this locate nothing.
inline constexpr std::size_t min_grid_changes = 16;
/// The share of the changes a grid must explain to be believed.
inline constexpr double min_grid_consistency = 0.9;
/// How far the sensor's real refresh interval may be from the nominal one: ±5 %.
inline constexpr double max_clock_error = 0.05;

/// When the line `i` of `samples` was read, on average: µs after the first line's stamp, plus ½.
inline double read_time_us(std::span<const io::power_sample> samples, std::size_t i) noexcept {
  return static_cast<double>((samples[i].t - samples.front().t).count()) + 0.5;
}

struct refresh_grid {
  /// A refresh instant lies in [phase_from_us, phase_to_us], µs after the first line's stamp;
  /// the others are k · interval_us away.
  double phase_from_us = 0, phase_to_us = 0;
  double interval_us = 0;
  std::size_t changes = 0;     ///< value changes between lines less than an interval apart
  std::size_t consistent = 0;  ///< of those, how many have a refresh of this grid between their lines

  [[nodiscard]] bool located() const noexcept {
    return changes >= min_grid_changes &&
           static_cast<double>(consistent) >= min_grid_consistency * static_cast<double>(changes);
  }
  /// The refresh instant k (the middle of its interval).
  [[nodiscard]] double refresh_us(double k) const noexcept {
    return 0.5 * (phase_from_us + phase_to_us) + k * interval_us;
  }
  /// Index of the latest refresh at or before `read_us`.
  [[nodiscard]] double refresh_index(double read_us) const noexcept {
    return std::floor((read_us - refresh_us(0)) / interval_us);
  }
};

namespace detail {

/// A refresh happened in (from, to): between the stamp of the line before and the end of the µs
/// of the line that shows it.
struct value_change {
  double from_us, to_us;
};

struct phase_fit {
  double from_us = 0, to_us = 0;
  std::size_t covered = 0;
};

/// The phase in [0, interval) inside the most changes (their ends taken modulo the interval);
/// `events` is scratch space.
inline phase_fit best_phase(std::span<const value_change> changes, double interval_us,
                            std::vector<std::pair<double, int>>& events) {
  events.clear();
  for (const auto& c : changes) {
    const double from = std::fmod(c.from_us, interval_us), to = from + (c.to_us - c.from_us);
    events.emplace_back(from, +1);
    if (to <= interval_us) {
      events.emplace_back(to, -1);
    } else {  // wraps around the interval's end
      events.emplace_back(interval_us, -1);
      events.emplace_back(0.0, +1);
      events.emplace_back(to - interval_us, -1);
    }
  }
  // At one position, starts before ends: closed intervals that touch share that point.
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.first < b.first || (a.first == b.first && a.second > b.second); });
  phase_fit best;
  std::size_t inside = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].second > 0) {
      ++inside;
      if (inside > best.covered) best = {events[i].first, events[i + 1].first, inside};  // an end follows
    } else {
      --inside;
    }
  }
  return best;
}

/// Whether a refresh instant of the grid lies inside a change; its index k if so.
inline bool explains(const refresh_grid& g, const value_change& c, double& k) {
  k = std::ceil((c.from_us - g.refresh_us(0)) / g.interval_us);
  return g.refresh_us(k) <= c.to_us;
}

/// Sharpens a located grid. With the refresh index k of each change the grid explains held
/// fixed, an interval W leaves the phases [max(from − k·W), min(to − k·W)] consistent with all of
/// them; their width is concave in W, and the intervals where it is not negative are those every
/// explained change allows. The nominal interval is kept if it is one of them (the sensor's word,
/// when the log does not contradict it); otherwise the grid takes the middle of that range — a
/// chip whose clock is off — and the phases there. Then the changes are counted again, and while
/// more fit at the new interval, the whole is done again with them.
inline void sharpen(refresh_grid& g, std::span<const value_change> changes, double nominal_interval_us) {
  std::vector<std::pair<const value_change*, double>> kept;  // change, refresh index
  for (std::size_t before = 0; g.consistent > before;) {
    before = g.consistent;
    kept.clear();
    double k_min = 0, k_max = 0;
    for (const auto& c : changes)
      if (double k = 0; explains(g, c, k)) {
        kept.emplace_back(&c, k);
        k_min = std::min(k_min, k);
        k_max = std::max(k_max, k);
      }
    const auto phases = [&](double interval) {
      double from = -1e300, to = 1e300;
      for (const auto& [c, k] : kept) {
        from = std::max(from, c->from_us - k * interval);
        to = std::min(to, c->to_us - k * interval);
      }
      return std::pair{from, to};
    };
    const auto width = [&](double interval) {
      const auto [from, to] = phases(interval);
      return to - from;
    };
    double interval = nominal_interval_us;
    if (width(interval) < 0) {
      // Further off than this, the first and the last kept change cannot both hold a refresh.
      const double reach = (g.phase_to_us - g.phase_from_us + g.interval_us) / std::max(1.0, k_max - k_min);
      const double resolution = 1e-12 * g.interval_us;
      double low = g.interval_us - reach, high = g.interval_us + reach;
      while (high - low > resolution) {  // the widest point: ternary search of a concave function
        const double a = low + (high - low) / 3, b = high - (high - low) / 3;
        if (width(a) < width(b)) low = a;
        else high = b;
      }
      const double peak = 0.5 * (low + high);
      if (width(peak) < 0) return;  // rounding at a single point: keep what the sweep found
      const auto edge = [&](double outside, double inside) {  // where the width crosses 0
        if (width(outside) >= 0) return outside;
        while (std::fabs(inside - outside) > resolution) {
          const double middle = 0.5 * (inside + outside);
          if (width(middle) >= 0) inside = middle;
          else outside = middle;
        }
        return inside;
      };
      interval = 0.5 * (edge(g.interval_us - reach, peak) + edge(g.interval_us + reach, peak));
    }
    const auto [from, to] = phases(interval);
    g.interval_us = interval;
    g.phase_from_us = from;
    g.phase_to_us = to;
    g.consistent = 0;
    for (const auto& c : changes)
      if (double k = 0; explains(g, c, k)) ++g.consistent;
  }
}

}  // namespace detail

/// Locates the refresh grid of a log read from a sensor that refreshes every
/// `nominal_interval_us` (nominally). Samples must be in time order.
inline refresh_grid fit_refresh_grid(std::span<const io::power_sample> samples, double nominal_interval_us) {
  refresh_grid grid;
  grid.interval_us = nominal_interval_us;
  if (samples.empty() || !(nominal_interval_us > 0)) return grid;
  std::vector<detail::value_change> changes;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    const double from = read_time_us(samples, i - 1) - 0.5, to = read_time_us(samples, i) + 0.5;
    if (samples[i].power_uw != samples[i - 1].power_uw && to - from < nominal_interval_us) changes.push_back({from, to});
  }
  grid.changes = changes.size();
  if (changes.size() < min_grid_changes) return grid;

  std::vector<std::pair<double, int>> events;
  const auto adopt = [&](double interval_us) {
    const detail::phase_fit fit = detail::best_phase(changes, interval_us, events);
    grid.interval_us = interval_us;
    grid.phase_from_us = fit.from_us;
    grid.phase_to_us = fit.to_us;
    grid.consistent = fit.covered;
  };
  adopt(nominal_interval_us);
  if (!grid.located()) {
    // Search the interval. With the first n changes spanning K refreshes, an interval off by δ
    // moves the last of them K·δ from the first: steps of a quarter of a change's length over K
    // keep one candidate within reach of the true one.
    std::vector<double> lengths;
    lengths.reserve(changes.size());
    for (const auto& c : changes) lengths.push_back(c.to_us - c.from_us);
    std::nth_element(lengths.begin(), lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2),
                     lengths.end());
    const double length = lengths[lengths.size() / 2];
    const auto step_for = [&](std::size_t n) {
      const double refreshes = std::max(1.0, (changes[n - 1].to_us - changes.front().from_us) / nominal_interval_us);
      return length / (4 * refreshes);
    };
    const auto best_between = [&](double low, double high, double step, std::size_t n) {
      const std::span<const detail::value_change> first(changes.data(), n);
      double best = low;
      std::size_t most = 0;
      for (double interval = low; interval <= high; interval += step)
        if (const auto covered = detail::best_phase(first, interval, events).covered; covered > most) {
          most = covered;
          best = interval;
        }
      return best;
    };
    std::size_t n = std::min(changes.size(), 4 * min_grid_changes);
    double step = step_for(n);
    double interval = best_between(nominal_interval_us * (1 - max_clock_error),
                                   nominal_interval_us * (1 + max_clock_error), step, n);
    while (n < changes.size()) {
      n = std::min(changes.size(), 2 * n);
      const double finer = std::min(step, step_for(n));
      interval = best_between(interval - 2 * step, interval + 2 * step, finer, n);
      step = finer;
    }
    const refresh_grid nominal = grid;
    adopt(interval);
    if (grid.consistent < nominal.consistent) grid = nominal;
  }
  if (grid.located()) detail::sharpen(grid, changes, nominal_interval_us);
  return grid;
}

}  // namespace layerwatt::join
