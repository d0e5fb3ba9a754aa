#pragma once
// Attribution by the time average of the power signal drawn as straight lines between samples:
// power(window) = ∫ p(t) dt over [start, end] / (end − start), with p linear between consecutive
// samples (and p itself at a window of zero length). Every window inside the log's span gets a
// value, however short — most TensorRT layers are shorter than the sensor's sampling period and
// get no sample at all under window_mean. A window reaching outside [first sample, last sample]
// gets no power: the signal is not known there.
//
// Assumes the samples are instantaneous readings of a signal that changes linearly between them;
// a sensor that averages over its refresh interval smooths short layers towards their neighbours
// (deconvolved.hpp models that). One pass: a running integral of the samples, then each
// window is located from the previous one by galloping search, O(samples + windows) for windows
// in nearly time order. Throws layerwatt::error if the samples go back in time.

#include <algorithm>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "layerwatt/join/attribution.hpp"

namespace layerwatt::join {

class interpolated {
 public:
  static constexpr std::string_view name = "interpolated";

  void attribute(const power_signal& signal, std::span<const layer_window> windows, std::span<double> power_uw) {
    require_time_order(signal.samples, name);
    samples_ = signal.samples;
    const std::size_t n = samples_.size();
    integral_.assign(n, 0.0);  // integral_[j]: ∫ p from the first sample to sample j, in µW·µs
    for (std::size_t j = 1; j < n; ++j)
      integral_[j] = integral_[j - 1] + 0.5 * (samples_[j - 1].power_uw + samples_[j].power_uw) * span_us(j - 1, j);
    std::size_t hint = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const layer_window& w = windows[i];
      if (n == 0 || w.start < samples_.front().t || w.end > samples_.back().t) {
        power_uw[i] = no_power;
        continue;
      }
      if (n == 1) {  // then the window is the one instant of the log
        power_uw[i] = samples_.front().power_uw;
        continue;
      }
      const std::size_t a = segment_of(w.start, hint);
      const std::size_t b = segment_of(w.end, a);
      hint = a;
      const double p_start = value_at(a, w.start), p_end = value_at(b, w.end);
      if (a == b) {  // inside one segment the mean of a line is the mean of its ends
        power_uw[i] = 0.5 * (p_start + p_end);
        continue;
      }
      const double area = integral_[b] - integral_[a] + 0.5 * (samples_[b].power_uw + p_end) * since_us(b, w.end) -
                          0.5 * (samples_[a].power_uw + p_start) * since_us(a, w.start);
      power_uw[i] = area / static_cast<double>((w.end - w.start).count());
    }
  }

 private:
  double span_us(std::size_t from, std::size_t to) const noexcept {
    return static_cast<double>((samples_[to].t - samples_[from].t).count());
  }
  double since_us(std::size_t j, time_stamp t) const noexcept {
    return static_cast<double>((t - samples_[j].t).count());
  }

  /// p(t) on segment j (samples j and j + 1); the midpoint on a segment of zero length.
  double value_at(std::size_t j, time_stamp t) const noexcept {
    const double length = span_us(j, j + 1);
    const double p0 = samples_[j].power_uw, p1 = samples_[j + 1].power_uw;
    if (length == 0) return 0.5 * (p0 + p1);
    return p0 + (p1 - p0) * (since_us(j, t) / length);
  }

  /// The segment j in [0, n − 2] with t_j ≤ t ≤ t_{j+1}, for t inside the log's span; searched
  /// outwards from `hint` in doubling steps, then by bisection.
  std::size_t segment_of(time_stamp t, std::size_t hint) const noexcept {
    const std::size_t n = samples_.size();
    const auto later = [](time_stamp value, const io::power_sample& s) { return value < s.t; };
    std::size_t lo = hint, hi = hint, step = 1;  // then the first sample later than t lies in (lo, hi]
    if (samples_[hint].t <= t) {
      while (lo + step < n && samples_[lo + step].t <= t) {
        lo += step;
        step *= 2;
      }
      hi = std::min(n, lo + step);
    } else {  // t ≥ the first sample's time, so this stops
      while (hi >= step && samples_[hi - step].t > t) {
        hi -= step;
        step *= 2;
      }
      lo = hi >= step ? hi - step : 0;
    }
    const auto first_later = std::upper_bound(samples_.begin() + static_cast<std::ptrdiff_t>(lo),
                                              samples_.begin() + static_cast<std::ptrdiff_t>(hi), t, later);
    const auto k = static_cast<std::size_t>(first_later - samples_.begin());
    return std::min(k == 0 ? 0 : k - 1, n - 2);
  }

  std::span<const io::power_sample> samples_;
  std::vector<double> integral_;
};

static_assert(attribution_policy<interpolated>);

}  // namespace layerwatt::join
