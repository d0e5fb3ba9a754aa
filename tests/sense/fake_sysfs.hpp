#pragma once
// Fake sysfs trees with INA3221 chips, in both layouts, for tests that run without a Jetson.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "support/temp_dir.hpp"

namespace layerwatt::testing {

struct fake_channel {
  std::string label;  ///< empty: no label file
  std::string millivolts, milliamps;
};

/// <root>/bus/i2c/devices/<id>/hwmon/hwmon<index>/ with channels N = 1, 2, ...; returns that directory.
inline std::filesystem::path add_hwmon_chip(const std::filesystem::path& root, const std::string& id,
                                            const std::vector<fake_channel>& channels,
                                            std::optional<std::string> update_interval_ms = std::nullopt,
                                            std::optional<std::string> samples = std::nullopt,
                                            const std::string& name = "ina3221", int index = 1) {
  const auto device = root / "bus/i2c/devices" / id;
  write_text(device / "name", name + "\n");
  const auto hwmon = device / "hwmon" / fmt::format("hwmon{}", index);
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const auto n = i + 1;
    if (!channels[i].label.empty()) write_text(hwmon / fmt::format("in{}_label", n), channels[i].label + "\n");
    write_text(hwmon / fmt::format("in{}_input", n), channels[i].millivolts + "\n");
    write_text(hwmon / fmt::format("curr{}_input", n), channels[i].milliamps + "\n");
  }
  if (update_interval_ms) write_text(hwmon / "update_interval", *update_interval_ms + "\n");
  if (samples) write_text(hwmon / "samples", *samples + "\n");
  return hwmon;
}

/// <root>/bus/i2c/devices/<id>/iio:device<index>/ with channels N = 0, 1, ...; returns that directory.
inline std::filesystem::path add_iio_chip(const std::filesystem::path& root, const std::string& id,
                                          const std::vector<fake_channel>& channels,
                                          const std::string& name = "ina3221x", int index = 0) {
  const auto device = root / "bus/i2c/devices" / id;
  write_text(device / "name", name + "\n");
  const auto iio = device / fmt::format("iio:device{}", index);
  for (std::size_t n = 0; n < channels.size(); ++n) {
    if (!channels[n].label.empty()) write_text(iio / fmt::format("rail_name_{}", n), channels[n].label + "\n");
    write_text(iio / fmt::format("in_voltage{}_input", n), channels[n].millivolts + "\n");
    write_text(iio / fmt::format("in_current{}_input", n), channels[n].milliamps + "\n");
  }
  return iio;
}

/// An i2c device that is not a power monitor.
inline void add_other_device(const std::filesystem::path& root, const std::string& id, const std::string& name) {
  write_text(root / "bus/i2c/devices" / id / "name", name + "\n");
}

/// The Jetson Orin Nano's layout: one chip, VDD_IN, VDD_CPU_GPU_CV and VDD_SOC.
inline std::filesystem::path add_orin_nano(const std::filesystem::path& root) {
  return add_hwmon_chip(root, "1-0040",
                        {{"VDD_IN", "5000", "1096"}, {"VDD_CPU_GPU_CV", "5000", "312"}, {"VDD_SOC", "5000", "704"}},
                        "1", "4");
}

}  // namespace layerwatt::testing
