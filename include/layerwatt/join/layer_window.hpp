#pragma once
// What the join works on: one layer's latency entry in one inference cycle (as
// trt_layer_latency.json gives it), which entry it is, and the execution window a timeline policy
// turns it into.

#include <cmath>
#include <cstdint>

#include "layerwatt/core/time_stamp.hpp"

namespace layerwatt::join {

/// One layer in one cycle: how long it ran and the stamp the profiler wrote for it.
struct timed_latency {
  double latency_ms = 0;
  time_stamp end_stamp;
};

/// Which entry of the latency file a window belongs to.
struct entry_index {
  std::uint32_t layer;  ///< index into layer_latencies::layers
  std::uint32_t cycle;  ///< 0-based
};

/// When a layer ran in one cycle: [start, end], both ends included, at the files' µs resolution.
struct layer_window {
  time_stamp start, end;
  bool operator==(const layer_window&) const = default;
};

/// A latency in ms as a duration, rounded exactly as the reference's Python
/// `timedelta(milliseconds=ms)` rounds it: the integral ms are exact, the fraction is scaled to µs
/// in double arithmetic, and what is left below a µs is rounded half to even on the total. Window
/// ends then match the reference's to the µs, which decides which samples fall inside.
/// `ms` must be finite and small enough for 64-bit µs (the join checks that).
inline microseconds duration_from_ms(double ms) noexcept {
  double whole_ms = 0;
  const double fraction_ms = std::modf(ms, &whole_ms);
  auto us = static_cast<std::int64_t>(whole_ms) * 1000;
  if (fraction_ms == 0.0) return microseconds{us};
  double whole_us = 0;
  const double leftover_us = std::modf(fraction_ms * 1000.0, &whole_us);
  us += static_cast<std::int64_t>(whole_us);
  double rounded = std::round(leftover_us);
  if (std::fabs(rounded - leftover_us) == 0.5) {  // a tie: to even, on the total so far
    const double odd = static_cast<double>(us & 1);
    rounded = 2.0 * std::round((leftover_us + odd) * 0.5) - odd;
  }
  return microseconds{us + static_cast<std::int64_t>(rounded)};
}

}  // namespace layerwatt::join
