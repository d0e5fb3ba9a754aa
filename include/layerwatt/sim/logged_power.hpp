#pragma once
// The power log a logger writes of a simulated rail: the INA3221 publishes the window mean of the
// true power every refresh interval from a random phase (ina3221.hpp); the logger reads the last
// published value at its own jittered instants, now and then stalled by the scheduler. Both the
// reference-layout benchmark (simulate_model.hpp) and the simulated trtexec run
// (simulate_trtexec_run.hpp) log their power signal through this one model.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/ina3221.hpp"
#include "layerwatt/sim/power_signal.hpp"
#include "layerwatt/sim/random.hpp"

namespace layerwatt::sim {

/// One line of the power log: time stamp, mV, mA.
struct power_log_line {
  time_stamp t;
  std::array<double, 2> readings;
};

/// A logged run: its lines, its .meta.json, and the sensor's first refresh instant (µs from the
/// log's start).
struct logged_power {
  std::vector<power_log_line> lines;
  io::power_log_meta meta;
  double first_refresh_us = 0;
};

/// The random draws of the sensor and the logger, each its own stream.
struct logging_streams {
  random_stream& logger;
  random_stream& sensor_noise;
  random_stream& phase;
};

namespace detail {

inline time_stamp at(time_stamp origin, double t_us) {
  return origin + microseconds{static_cast<std::int64_t>(std::floor(t_us))};
}

inline double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace detail

/// Logs `signal` (µs from `start`) from 0 to `log_end_us`.
inline logged_power log_power(const power_signal& signal, double log_end_us, const device_profile& profile,
                              time_stamp start, const logging_streams& streams) {
  // The sensor: refresh m publishes the mean over [T_m − W, T_m], T_m = phase + m·W.
  const ina3221 chip(profile.sensor);
  const auto window = static_cast<double>(chip.refresh_interval_us());
  const auto phase_us = static_cast<double>(streams.phase.below(static_cast<std::uint64_t>(chip.refresh_interval_us())));
  std::int64_t published = std::numeric_limits<std::int64_t>::min();
  ina3221_reading value;
  const logger_profile& lp = profile.logger;
  logged_power out;
  out.first_refresh_us = phase_us;
  std::vector<double> periods;
  periods.reserve(static_cast<std::size_t>(log_end_us / lp.period_us) + 16);
  out.lines.reserve(periods.capacity());
  std::uint64_t identical = 0;
  for (double s = 0; s < log_end_us;) {
    const auto m = static_cast<std::int64_t>(std::floor((s - phase_us) / window));
    if (m != published) {
      const double refresh = phase_us + static_cast<double>(m) * window;
      value = chip.read(signal.mean(refresh - window, refresh), streams.sensor_noise.normal());
      published = m;
    }
    if (!out.lines.empty() && out.lines.back().readings == std::array{value.bus_mv, value.current_ma}) ++identical;
    out.lines.push_back({detail::at(start, s), {value.bus_mv, value.current_ma}});
    double period = std::max(0.1 * lp.period_us, lp.period_us + lp.jitter_us * streams.logger.normal());
    if (streams.logger.uniform() < lp.stall_probability) period += lp.stall_us * streams.logger.lognormal(0.5);
    periods.push_back(period);
    s += period;
  }
  periods.pop_back();  // the last period leads past the end of the log

  io::power_log_meta& meta = out.meta;
  meta.rails = {{profile.sensor.rail, "", ""}};
  meta.source = "simulator";
  meta.clock = "realtime";
  meta.requested_period = microseconds{static_cast<std::int64_t>(std::llround(lp.period_us))};
  meta.sensor_update_interval_ms = window / 1000;
  meta.sensor_samples = profile.sensor.samples;
  meta.refresh_interval = microseconds{chip.refresh_interval_us()};
  meta.stats.samples = out.lines.size();
  meta.stats.rate_hz = static_cast<double>(out.lines.size()) / (log_end_us * 1e-6);
  meta.stats.period_p50_us = std::round(detail::percentile(periods, 0.5));
  meta.stats.period_p99_us = std::round(detail::percentile(periods, 0.99));
  meta.stats.identical_consecutive = identical;
  return out;
}

}  // namespace layerwatt::sim
