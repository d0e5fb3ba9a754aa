#pragma once
// The reference's attribution: the mean of the samples inside a window, start ≤ t ≤ end, found
// by one forward scan in processing order. A sample taken by one window is never offered to a
// later one, so overlapping windows (end-stamp timelines) share nothing, and a window with no
// sample inside gets no power. With end_stamp it reproduces the reference's numbers bit for bit
// (same window ends to the µs, same summation). It differs in one documented way: when the log
// runs out, the reference stops writing rows; here the later windows simply get no power.
//
// Samples are used in file order whatever their time stamps (as the reference). Stateless and
// allocation-free; never throws.

#include <cstddef>
#include <span>
#include <string_view>

#include "layerwatt/join/attribution.hpp"
#include "layerwatt/join/python_sum.hpp"

namespace layerwatt::join {

struct window_mean {
  static constexpr std::string_view name = "window-mean";

  void attribute(const power_signal& signal, std::span<const layer_window> windows,
                 std::span<double> power_uw) const noexcept {
    const auto samples = signal.samples;
    std::size_t next = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const layer_window& w = windows[i];
      while (next < samples.size() && samples[next].t < w.start) ++next;
      python_sum sum;
      std::size_t count = 0;
      for (; next < samples.size() && samples[next].t <= w.end; ++next, ++count) sum.add(samples[next].power_uw);
      power_uw[i] = count ? sum.value() / static_cast<double>(count) : no_power;
    }
  }
};

static_assert(attribution_policy<window_mean>);

}  // namespace layerwatt::join
