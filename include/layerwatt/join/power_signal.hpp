#pragma once
// The power side of the join: the samples of one rail and what is known about the sensor.

#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"

namespace layerwatt::join {

struct power_signal {
  /// One rail's readings in µW, in the log's order (normally time order).
  std::span<const io::power_sample> samples;
  /// How often the sensor produces a new value (its averaging window), from the log's
  /// `.meta.json` when there is one. Window attribution ignores it; a policy that models the
  /// sensor's averaging (deconvolved) needs it.
  std::optional<microseconds> refresh_interval;
};

/// The value an attribution policy writes for a window it cannot give a power (an empty CSV cell).
inline constexpr double no_power = std::numeric_limits<double>::quiet_NaN();

/// Throws layerwatt::error, naming the first offending sample, unless the samples are in time
/// order: what a policy that treats them as a signal over time (`policy`, its name) needs.
inline void require_time_order(std::span<const io::power_sample> samples, std::string_view policy) {
  for (std::size_t i = 1; i < samples.size(); ++i)
    if (samples[i].t < samples[i - 1].t)
      throw error(fmt::format("power sample {} ({}) is earlier than the one before it ({}); {} attribution needs "
                              "samples in time order",
                              i + 1, to_string(samples[i].t), to_string(samples[i - 1].t), policy));
}

}  // namespace layerwatt::join
