#pragma once
// `<model>_power_log.log.meta.json`, the sidecar the power logger (and the simulator) writes next
// to a log: where the readings came from, how often the sensor really refreshes, and how well the
// logger kept its period. The join reads `refresh_interval` — a sensor that averages over a
// window and repeats its value until the next conversion shapes every attribution policy.
//
// {
//   "rails": [{"name": "VDD_IN", "voltage_path": "...", "current_path": "..."}],
//   "source": "ina3221-hwmon",            // or "ina3221-iio", "nvml", "simulator", ...
//   "clock": "realtime",
//   "requested_period_us": 1000,
//   "sensor": {"update_interval_ms": 1.0, "samples": 4, "refresh_interval_us": 1100},
//   "stats": {"samples": 90000, "failed_reads": 0, "rate_hz": 998.7, "period_p50_us": 1000,
//             "period_p99_us": 1031, "identical_consecutive": 12}
//   ...other keys kept in `extra`
// }

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/io/link_target.hpp"

namespace layerwatt::io {

struct rail_source {
  std::string name;
  std::string voltage_path, current_path;  ///< empty where the source has no files (NVML, simulator)
  bool operator==(const rail_source&) const = default;
};

struct logger_stats {
  std::uint64_t samples = 0;
  std::uint64_t failed_reads = 0;
  double rate_hz = 0;
  double period_p50_us = 0, period_p99_us = 0;
  std::uint64_t identical_consecutive = 0;  ///< readings equal to the one before: a sensor not yet refreshed
  bool operator==(const logger_stats&) const = default;
};

struct power_log_meta {
  std::vector<rail_source> rails;
  std::string source;
  std::string clock;
  microseconds requested_period{0};  ///< 0: as fast as possible
  std::optional<double> sensor_update_interval_ms;  ///< as the driver reports it
  std::optional<std::int64_t> sensor_samples;       ///< averaging count, as the driver reports it
  /// How often the sensor produces a new value (its averaging window); what the join models.
  std::optional<microseconds> refresh_interval;
  logger_stats stats;
  nlohmann::json extra = nlohmann::json::object();
  bool operator==(const power_log_meta&) const = default;
};

inline constexpr std::string_view power_log_meta_suffix = ".meta.json";

/// The sidecar's path for a log: `<log>.meta.json`, beside the file a linked `<log>` names
/// (link_target), where the logger writes it.
inline std::filesystem::path power_log_meta_path(const std::filesystem::path& log) {
  return link_target(log) += power_log_meta_suffix;
}

inline power_log_meta read_power_log_meta(const std::filesystem::path& path) {
  const json_document doc(path);
  const json_node root = doc.root();
  power_log_meta m;
  const json_node rails = root.object_member("rails");
  for (std::size_t i = 0; i < rails.array_size(); ++i) {
    const json_node r = rails.element(i);
    rail_source rail{r.object_member("name").as_string(), {}, {}};
    if (const auto v = r.find("voltage_path")) rail.voltage_path = v->as_string();
    if (const auto c = r.find("current_path")) rail.current_path = c->as_string();
    m.rails.push_back(std::move(rail));
  }
  if (const auto s = root.find("source")) m.source = s->as_string();
  if (const auto c = root.find("clock")) m.clock = c->as_string();
  if (const auto p = root.find("requested_period_us")) m.requested_period = microseconds{p->as_integer<std::int64_t>(0)};
  if (const auto sensor = root.find("sensor")) {
    if (const auto u = sensor->find("update_interval_ms")) m.sensor_update_interval_ms = u->as_double();
    if (const auto n = sensor->find("samples")) m.sensor_samples = n->as_integer<std::int64_t>(1);
    if (const auto r = sensor->find("refresh_interval_us"))
      m.refresh_interval = microseconds{r->as_integer<std::int64_t>(1)};
  }
  if (const auto stats = root.find("stats")) {
    const auto count = [&](const char* key) {
      const auto n = stats->find(key);
      return n ? n->as_integer<std::uint64_t>() : std::uint64_t{0};
    };
    const auto real = [&](const char* key) {
      const auto n = stats->find(key);
      return n ? n->as_double() : 0.0;
    };
    m.stats = {count("samples"), count("failed_reads"), real("rate_hz"), real("period_p50_us"),
               real("period_p99_us"), count("identical_consecutive")};
  }
  for (const auto& [key, value] : root.value().items())
    if (key != "rails" && key != "source" && key != "clock" && key != "requested_period_us" && key != "sensor" &&
        key != "stats")
      m.extra[key] = value;
  return m;
}

inline void write_power_log_meta(const std::filesystem::path& path, const power_log_meta& m) {
  nlohmann::ordered_json j;
  auto rails = nlohmann::ordered_json::array();
  for (const auto& r : m.rails)
    rails.push_back({{"name", r.name}, {"voltage_path", r.voltage_path}, {"current_path", r.current_path}});
  j["rails"] = std::move(rails);
  j["source"] = m.source;
  j["clock"] = m.clock;
  j["requested_period_us"] = m.requested_period.count();
  nlohmann::ordered_json sensor = nlohmann::ordered_json::object();
  if (m.sensor_update_interval_ms) sensor["update_interval_ms"] = *m.sensor_update_interval_ms;
  if (m.sensor_samples) sensor["samples"] = *m.sensor_samples;
  if (m.refresh_interval) sensor["refresh_interval_us"] = m.refresh_interval->count();
  j["sensor"] = std::move(sensor);
  j["stats"] = {{"samples", m.stats.samples},
                {"failed_reads", m.stats.failed_reads},
                {"rate_hz", m.stats.rate_hz},
                {"period_p50_us", m.stats.period_p50_us},
                {"period_p99_us", m.stats.period_p99_us},
                {"identical_consecutive", m.stats.identical_consecutive}};
  for (const auto& [key, value] : m.extra.items()) j[key] = value;
  write_file_atomically(path, j.dump(4) + "\n");
}

}  // namespace layerwatt::io
