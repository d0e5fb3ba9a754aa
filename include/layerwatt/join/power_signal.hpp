#pragma once
// The power side of the join: the samples of one rail and what is known about the sensor.

#include <limits>
#include <optional>
#include <span>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"

namespace layerwatt::join {

struct power_signal {
  /// One rail's readings in µW, in the log's order (normally time order).
  std::span<const io::power_sample> samples;
  /// How often the sensor produces a new value (its averaging window), from the log's
  /// `.meta.json` when there is one. Window attribution ignores it; a policy that models the
  /// sensor's averaging (deconvolution) needs it.
  std::optional<microseconds> refresh_interval;
};

/// The value an attribution policy writes for a window it cannot give a power (an empty CSV cell).
inline constexpr double no_power = std::numeric_limits<double>::quiet_NaN();

}  // namespace layerwatt::join
