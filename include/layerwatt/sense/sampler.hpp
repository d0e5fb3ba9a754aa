#pragma once
// The sampler policy: where power readings come from (an INA3221 over sysfs, a replayed script
// in tests; NVML on desktop GPUs could be another). The power logger and the idle measurement
// take any type that satisfies `sampler`.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log_meta.hpp"

namespace layerwatt::sense {

/// One rail's reading. mV × mA is µW, the unit of every power in the reference's files.
struct rail_reading {
  double voltage_mv = 0;
  double current_ma = 0;

  /// A sensor that knows only power (NVML) reports a nominal 1000 mV and the power in mW as the
  /// current, so the log keeps its `mV,mA` form and mV × mA is still the power in µW. Such a
  /// sampler says so in its source() name; readers of the log need not care.
  static constexpr rail_reading from_power_mw(double power_mw) noexcept { return {1000.0, power_mw}; }
  [[nodiscard]] constexpr double power_uw() const noexcept { return voltage_mv * current_ma; }
  bool operator==(const rail_reading&) const = default;
};

/// How often the sensor produces a new value, as far as the sampler knows (each field may be
/// unknown). Reading faster than `refresh_interval` only repeats the last value.
struct sensor_timing {
  std::optional<double> update_interval_ms{};///< as the driver reports it
  std::optional<std::int64_t> samples{};     ///< the sensor's averaging count, as the driver reports it
  std::optional<microseconds> refresh_interval{};
  bool operator==(const sensor_timing&) const = default;
};

/// A sampler policy S promises:
/// - `s.rails()`: the rails it reads, in a fixed order (1 to io::max_power_log_rails), each with
///   the files it reads (empty paths where there are none); `s.source()`: what it reads, for the
///   log's `.meta.json` (`ina3221-hwmon`, `ina3221-iio`, `nvml`, `replay`, ...);
///   `s.timing()`: what it knows of the sensor's refresh interval. These three are called before
///   sampling starts and after it ends, never during it.
/// - `s.read(out)`, with out.size() == rails().size(), fills one reading per rail and returns
///   true; it returns false when any rail could not be read (I/O error, garbage, empty value):
///   the logger counts that sample as failed, skips it and goes on. It is noexcept and must not
///   allocate; it is called from one thread (the logger's sampling thread) at a time, and may
///   block for as long as the sensor's bus transaction takes.
/// - It can be moved (the logger owns its sampler).
/// Construction (finding and opening the sensor) is where a sampler reports errors: it throws
/// layerwatt::error naming what it looked for and where.
template <typename S>
concept sampler = std::movable<S> && requires(S& s, const S& cs, std::span<rail_reading> out) {
  { cs.rails() } -> std::convertible_to<std::span<const io::rail_source>>;
  { cs.source() } -> std::convertible_to<std::string_view>;
  { cs.timing() } -> std::same_as<sensor_timing>;
  { s.read(out) } noexcept -> std::same_as<bool>;
};

}  // namespace layerwatt::sense
