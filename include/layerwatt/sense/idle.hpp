#pragma once
// The board's idle power, as the reference's idling_power.json holds it: the mean of mV × mA (µW)
// over N seconds of samples of the board-input rail, plus what the reference leaves out — the
// sample count, the standard deviation, and each rail's own figures:
//
//   {"timestamp": "20241121-051500", "avg_idle_power": 5480000.0, "samples": 60000,
//    "failed_reads": 0, "std_idle_power": 41000.0,
//    "rails": [{"name": "VDD_IN", "voltage_path": "...", "current_path": "...",
//               "avg_power_uw": 5480000.0, "std_power_uw": 41000.0}]}
//
// The reference reads in a busy loop, keeping a core at full load while it measures "idle"; we
// sample on a period (1 ms by default, about the sensor's refresh interval) and sleep between.

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/sense/clock.hpp"
#include "layerwatt/sense/sampler.hpp"
#include "layerwatt/sense/sampling_loop.hpp"

namespace layerwatt::sense {

/// Samples as `options` say (a period and a duration, or a number of samples) or until `stop`,
/// and returns the idle-power record, stamped with `clock` at the end. `avg_idle_power` is the
/// first rail's. An error if no sample could be read.
template <sampler Sampler, clock Clock>
io::idle_power measure_idle(Sampler& sampler, Clock& clock, const sampling_options& options,
                            const std::stop_token& stop = {}) {
  // Welford's running mean and variance: one pass, no storage, no cancellation.
  struct running {
    double mean = 0, m2 = 0;
  };
  std::array<running, io::max_power_log_rails> power{};
  sampling_stats stats;
  run_sampling(sampler, clock, options, stop, stats,
               [&](time_stamp, std::span<const rail_reading> readings) {
                 const auto n = static_cast<double>(stats.samples);
                 for (std::size_t i = 0; i < readings.size(); ++i) {
                   const double p = readings[i].power_uw(), delta = p - power[i].mean;
                   power[i].mean += delta / n;
                   power[i].m2 += delta * (p - power[i].mean);
                 }
               });
  const auto rails = sampler.rails();
  if (stats.samples == 0)
    throw error(fmt::format("no idle power sample could be read from {} ({}, {}){}: {} reads failed",
                            rails.front().name, sampler.source(), rails.front().current_path,
                            options.duration ? fmt::format(" in {:.3f} s", std::chrono::duration<double>(*options.duration).count())
                                             : std::string(),
                            stats.failed_reads));
  // Population standard deviation (numpy's default): the spread of the samples themselves.
  const auto std_dev = [&](const running& r) { return std::sqrt(r.m2 / static_cast<double>(stats.samples)); };

  io::idle_power result;
  result.timestamp = clock.now();
  result.avg_idle_power_uw = power[0].mean;
  result.extra["samples"] = stats.samples;
  result.extra["failed_reads"] = stats.failed_reads;
  result.extra["std_idle_power"] = std_dev(power[0]);
  auto listed = nlohmann::json::array();
  for (std::size_t i = 0; i < rails.size(); ++i)
    listed.push_back({{"name", rails[i].name},
                      {"voltage_path", rails[i].voltage_path},
                      {"current_path", rails[i].current_path},
                      {"avg_power_uw", power[i].mean},
                      {"std_power_uw", std_dev(power[i])}});
  result.extra["rails"] = std::move(listed);
  return result;
}

/// Samples for `duration` (or until `stop`) every `period`: what `layerwatt idle` does.
template <sampler Sampler, clock Clock>
io::idle_power measure_idle(Sampler& sampler, Clock& clock, std::chrono::nanoseconds duration,
                            microseconds period = microseconds{1000}, const std::stop_token& stop = {}) {
  return measure_idle(sampler, clock, sampling_options{.period = period, .duration = duration}, stop);
}

/// The idle-power record of samples already taken (a tegrastats log of the idle board): the mean
/// and population standard deviation of their power, stamped with the last sample's time, the
/// one rail named `rail`, read by `source`. An error without samples.
inline io::idle_power idle_from_samples(std::span<const io::power_sample> samples, const std::string& rail,
                                        std::string_view source) {
  if (samples.empty()) throw error(fmt::format("no {} sample of {} to measure the idle power from", source, rail));
  double sum = 0;
  for (const auto& s : samples) sum += s.power_uw;
  const double mean = sum / static_cast<double>(samples.size());
  double squares = 0;
  for (const auto& s : samples) squares += (s.power_uw - mean) * (s.power_uw - mean);
  const double std_dev = std::sqrt(squares / static_cast<double>(samples.size()));
  io::idle_power result;
  result.timestamp = samples.back().t;
  result.avg_idle_power_uw = mean;
  result.extra["samples"] = samples.size();
  result.extra["failed_reads"] = 0;
  result.extra["std_idle_power"] = std_dev;
  result.extra["rails"] = {{{"name", rail}, {"voltage_path", ""}, {"current_path", ""}, {"avg_power_uw", mean},
                            {"std_power_uw", std_dev}}};
  result.extra["source"] = source;
  return result;
}

}  // namespace layerwatt::sense
