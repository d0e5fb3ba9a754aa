#pragma once
// Small builders shared by the join tests: stamps, latency files and power signals in memory.

#include <string>
#include <utility>
#include <vector>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/power_signal.hpp"

namespace layerwatt::testing {

/// 2024-11-21 00:00:00 plus `us` microseconds.
inline time_stamp at_us(std::int64_t us) {
  return parse_time_stamp("20241121-00:00:00.000000") + microseconds{us};
}

/// A layer's list of [latency_ms, end stamp at µs].
inline io::layer_latency_series layer(std::string name, std::vector<std::pair<double, std::int64_t>> entries) {
  io::layer_latency_series s{std::move(name), {}, {}};
  for (const auto& [ms, end_us] : entries) {
    s.latency_ms.push_back(ms);
    s.end_stamps.push_back(at_us(end_us));
  }
  return s;
}

/// Samples {time in µs, power in µW}.
inline std::vector<io::power_sample> samples(std::vector<std::pair<std::int64_t, double>> points) {
  std::vector<io::power_sample> out;
  for (const auto& [us, p] : points) out.push_back({at_us(us), p});
  return out;
}

/// The window [from, to] in µs after at_us(0).
inline join::layer_window window_us(std::int64_t from_us, std::int64_t to_us) { return {at_us(from_us), at_us(to_us)}; }

/// The powers an attribution policy gives `windows` over `s`.
template <typename Policy>
std::vector<double> attribute_with(const std::vector<io::power_sample>& s,
                                   const std::vector<join::layer_window>& windows) {
  std::vector<double> power(windows.size(), 0.0);
  Policy{}.attribute({s, std::nullopt}, windows, power);
  return power;
}

}  // namespace layerwatt::testing
