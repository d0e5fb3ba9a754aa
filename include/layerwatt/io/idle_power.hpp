#pragma once
// `idling_power.json`: {"timestamp": "YYYYmmdd-HHMMSS", "avg_idle_power": <µW>, ...extra keys}.
// Extra keys (sample count, spread, rails) are kept and written back untouched.

#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/power_bound.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/json_document.hpp"

namespace layerwatt::io {

struct idle_power {
  time_stamp timestamp;
  double avg_idle_power_uw = 0;
  nlohmann::json extra = nlohmann::json::object();  ///< every other key, as read
  bool operator==(const idle_power&) const = default;
};

/// Whether `uw` is an idle power a board can draw: from 0 to max_board_power_uw (a sensor read
/// wrong, or a value in another unit, is not).
constexpr bool storable_idle_power(double uw) noexcept { return uw >= 0 && uw <= max_board_power_uw; }

inline std::string idle_power_range(double uw) {
  return fmt::format("a power in µW from 0 to {:g} ({} W), got {}", max_board_power_uw, max_board_power_w, uw);
}

inline idle_power read_idle_power(const std::filesystem::path& path) {
  const json_document doc(path);
  const json_node root = doc.root();
  if (!root.value().is_object()) root.fail("an object with \"timestamp\" and \"avg_idle_power\"");
  idle_power result;
  const json_node stamp = root.object_member("timestamp");
  if (const auto t = try_parse_idle_time_stamp(stamp.as_string())) result.timestamp = *t;
  else stamp.fail(fmt::format("a time stamp {}", idle_time_stamp_format));
  const json_node power = root.object_member("avg_idle_power");
  result.avg_idle_power_uw = power.as_double();
  if (!storable_idle_power(result.avg_idle_power_uw)) power.fail(idle_power_range(result.avg_idle_power_uw));
  for (const auto& [key, value] : root.value().items())
    if (key != "timestamp" && key != "avg_idle_power") result.extra[key] = value;
  return result;
}

/// Writes the file atomically. Errors: an idle power read_idle_power would refuse (a sensor read
/// wrong), naming the file; nothing is written then.
inline void write_idle_power(const std::filesystem::path& path, const idle_power& idle) {
  if (!storable_idle_power(idle.avg_idle_power_uw))
    throw error(fmt::format("{}: not written: expected {} (is the sensor read right?)", path.string(),
                            idle_power_range(idle.avg_idle_power_uw)));
  nlohmann::ordered_json out;
  out["timestamp"] = to_idle_string(idle.timestamp);
  out["avg_idle_power"] = idle.avg_idle_power_uw;
  for (const auto& [key, value] : idle.extra.items()) out[key] = value;
  write_file_atomically(path, out.dump(4) + "\n");
}

}  // namespace layerwatt::io
