#pragma once
// The INA3221 power monitor on NVIDIA Jetson boards, read over sysfs: discovery of its rails
// and the sampler policy that reads them.
//
// Every `<root>/bus/i2c/devices/*/name` containing `ina3221` (also `ina3221x`) is a chip, laid out
//   hwmon (JetPack 5+):  <dev>/hwmon/hwmon*/in{N}_label, in{N}_input (mV), curr{N}_input (mA), N = 1..3,
//                        plus the chip's update_interval (ms) and samples;
//   iio (JetPack 4):     <dev>/iio:device*/rail_name_{N}, in_voltage{N}_input (mV),
//                        in_current{N}_input (mA), N = 0..2.
// Channels labelled NC (not connected) are skipped; so is hwmon's shunt-sum channel 7, which is
// not a rail. `root` is `/sys` on a board and a temporary tree in tests.

#include <algorithm>
#include <array>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sense/sampler.hpp"
#include "layerwatt/sense/sysfs_attribute.hpp"

namespace layerwatt::sense {

enum class ina3221_layout { hwmon, iio };

/// The `source` recorded in a power log's `.meta.json`.
constexpr std::string_view to_source_name(ina3221_layout layout) noexcept {
  return layout == ina3221_layout::hwmon ? "ina3221-hwmon" : "ina3221-iio";
}

/// The board-input rails, in order of preference: what the reference measured, and the default.
inline constexpr std::array<std::string_view, 2> board_input_rails = {"VDD_IN", "POM_5V_IN"};

/// One rail found on a chip.
struct ina3221_rail {
  std::string name;  ///< the channel's label: VDD_IN, POM_5V_IN, VDD_GPU_SOC, ...
  ina3221_layout layout = ina3221_layout::hwmon;
  std::filesystem::path device;  ///< <root>/bus/i2c/devices/<id>
  int channel = 0;               ///< N in the file names
  std::filesystem::path voltage_path, current_path;
  sensor_timing timing;  ///< its chip's settings; empty in the iio layout, which does not show them
};

/// What discovery found, and everything it looked at (for error messages).
struct ina3221_scan {
  std::filesystem::path root;
  std::vector<ina3221_rail> rails;  ///< chips by directory name, channels by number
  std::vector<std::filesystem::path> searched;
};

/// How often an INA3221 loads a new value into a channel's registers, from the hwmon settings.
/// The chip converts shunt then bus voltage of each enabled channel in turn, and with averaging
/// loads a register once per `samples` conversions: every C × S × (BC + SC). hwmon reports
/// `update_interval` = C × (BC + SC), rounded to whole ms (Linux >= 5.14, and the kernels of
/// JetPack 5 and 6; older mainline kernels folded S in already, but those boards use the iio
/// layout), so the refresh interval is update_interval × samples. A reported 0 only says "under
/// half a millisecond": the interval is then unknown.
constexpr std::optional<microseconds> ina3221_refresh_interval(std::optional<double> update_interval_ms,
                                                               std::optional<std::int64_t> samples) noexcept {
  if (!update_interval_ms || *update_interval_ms <= 0) return std::nullopt;
  const double us = *update_interval_ms * 1000.0 * static_cast<double>(samples.value_or(1));
  return microseconds{static_cast<std::int64_t>(us + 0.5)};
}

namespace detail {

inline std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path& dir, std::string_view prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().starts_with(prefix)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

/// True for labels that mark an unconnected channel: a word `NC` (`NC`, `NC_1`, `CH3 NC`).
inline bool is_unconnected_label(std::string_view label) {
  std::size_t at = 0;
  while (at <= label.size()) {
    const std::size_t end = std::min(label.find_first_of("_ ", at), label.size());
    if (label.substr(at, end - at) == "NC") return true;
    at = end + 1;
  }
  return false;
}

inline std::optional<double> read_setting(const std::filesystem::path& path) {
  const auto text = read_sysfs_text(path);
  return text ? io::parse_double(*text) : std::nullopt;
}

inline void scan_hwmon(const std::filesystem::path& device, ina3221_scan& scan) {
  for (const auto& hwmon : sorted_entries(device / "hwmon", "hwmon")) {
    scan.searched.push_back(hwmon);
    sensor_timing timing;
    timing.update_interval_ms = read_setting(hwmon / "update_interval");
    if (const auto s = read_setting(hwmon / "samples")) timing.samples = static_cast<std::int64_t>(*s);
    timing.refresh_interval = ina3221_refresh_interval(timing.update_interval_ms, timing.samples);
    for (int n = 1; n <= 3; ++n) {
      const auto label = read_sysfs_text(hwmon / fmt::format("in{}_label", n));
      const auto voltage = hwmon / fmt::format("in{}_input", n), current = hwmon / fmt::format("curr{}_input", n);
      if (!label || label->empty() || is_unconnected_label(*label) || !std::filesystem::exists(voltage) ||
          !std::filesystem::exists(current))
        continue;
      scan.rails.push_back({*label, ina3221_layout::hwmon, device, n, voltage, current, timing});
    }
  }
}

inline void scan_iio(const std::filesystem::path& device, ina3221_scan& scan) {
  for (const auto& iio : sorted_entries(device, "iio:device")) {
    scan.searched.push_back(iio);
    for (int n = 0; n <= 2; ++n) {
      const auto label = read_sysfs_text(iio / fmt::format("rail_name_{}", n));
      const auto voltage = iio / fmt::format("in_voltage{}_input", n);
      const auto current = iio / fmt::format("in_current{}_input", n);
      if (!label || label->empty() || is_unconnected_label(*label) || !std::filesystem::exists(voltage) ||
          !std::filesystem::exists(current))
        continue;
      scan.rails.push_back({*label, ina3221_layout::iio, device, n, voltage, current, {}});
    }
  }
}

inline std::string list_paths(const std::vector<std::filesystem::path>& paths) {
  std::string out;
  for (const auto& p : paths) out += fmt::format("{}{}", out.empty() ? "" : ", ", p.string());
  return out;
}

inline std::string list_rails(const std::vector<ina3221_rail>& rails) {
  std::string out;
  for (const auto& r : rails)
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", r.name, r.voltage_path.parent_path().string());
  return out;
}

}  // namespace detail

/// Finds every INA3221 rail under `root`; an error (listing what was searched) if there is none.
inline ina3221_scan scan_ina3221(const std::filesystem::path& root = "/sys") {
  ina3221_scan scan;
  scan.root = root;
  const auto devices_dir = root / "bus" / "i2c" / "devices";
  scan.searched.push_back(devices_dir / "*" / "name");
  std::vector<std::filesystem::path> chips;
  for (const auto& device : detail::sorted_entries(devices_dir, "")) {
    const auto name = read_sysfs_text(device / "name");
    if (!name || name->find("ina3221") == std::string::npos) continue;
    chips.push_back(device);
    detail::scan_hwmon(device, scan);
    detail::scan_iio(device, scan);
  }
  if (chips.empty())
    throw error(fmt::format("no INA3221 power monitor under {}: no {} contains \"ina3221\"", root.string(),
                            (devices_dir / "*" / "name").string()));
  if (scan.rails.empty())
    throw error(fmt::format(
        "INA3221 chips at {} show no connected rail (a label, in*_input and curr*_input, or rail_name_*, "
        "in_voltage*_input and in_current*_input); searched {}",
        detail::list_paths(chips), detail::list_paths(scan.searched)));
  return scan;
}

/// The rails named (several may be sampled together), or, when `names` is empty, the board-input
/// rail. An error lists the rails found and every path searched.
inline std::vector<ina3221_rail> select_ina3221_rails(const ina3221_scan& scan, std::span<const std::string> names) {
  const auto find = [&](std::string_view name) {
    return std::find_if(scan.rails.begin(), scan.rails.end(), [&](const auto& r) { return r.name == name; });
  };
  std::vector<ina3221_rail> chosen;
  if (names.empty()) {
    for (const auto name : board_input_rails)
      if (const auto it = find(name); it != scan.rails.end()) return {*it};
    throw error(fmt::format("no board-input rail ({} or {}) under {}; choose rails by name (CLI: --rail NAME) from: {}",
                            board_input_rails[0], board_input_rails[1], scan.root.string(),
                            detail::list_rails(scan.rails)));
  }
  for (const auto& name : names) {
    const auto it = find(name);
    if (it == scan.rails.end())
      throw error(fmt::format("no INA3221 rail \"{}\" under {}; rails found: {}; searched {}", name,
                              scan.root.string(), detail::list_rails(scan.rails), detail::list_paths(scan.searched)));
    if (std::count_if(scan.rails.begin(), scan.rails.end(), [&](const auto& r) { return r.name == name; }) > 1)
      throw error(fmt::format("INA3221 rail name \"{}\" is ambiguous under {}: {}", name, scan.root.string(),
                              detail::list_rails(scan.rails)));
    if (std::any_of(chosen.begin(), chosen.end(), [&](const auto& r) { return r.name == name; }))
      throw error(fmt::format("INA3221 rail \"{}\" is named twice", name));
    chosen.push_back(*it);
  }
  if (chosen.size() > io::max_power_log_rails)
    throw error(fmt::format("{} rails chosen; a power log holds at most {}", chosen.size(), io::max_power_log_rails));
  return chosen;
}

/// The sampler policy over INA3221 sysfs files. Files are opened at construction; read() is two
/// preads per rail.
class ina3221_sampler {
 public:
  explicit ina3221_sampler(std::vector<ina3221_rail> rails) : rails_(std::move(rails)) {
    if (rails_.empty()) throw error("an INA3221 sampler needs at least one rail");
    for (const auto& r : rails_) {
      files_.emplace_back(r.voltage_path);
      files_.emplace_back(r.current_path);
      sources_.push_back({r.name, r.voltage_path.string(), r.current_path.string()});
    }
    // Rails on several chips: the slowest chip bounds how fresh a whole sample is.
    timing_ = std::max_element(rails_.begin(), rails_.end(), [](const auto& a, const auto& b) {
                return a.timing.refresh_interval.value_or(microseconds{0}) <
                       b.timing.refresh_interval.value_or(microseconds{0});
              })->timing;
  }

  /// Discovers the chips under `root` and opens the named rails (none: the board-input rail).
  static ina3221_sampler open(const std::filesystem::path& root = "/sys", std::span<const std::string> names = {}) {
    return ina3221_sampler(select_ina3221_rails(scan_ina3221(root), names));
  }

  [[nodiscard]] std::span<const io::rail_source> rails() const noexcept { return sources_; }
  [[nodiscard]] std::string_view source() const noexcept { return to_source_name(rails_.front().layout); }
  [[nodiscard]] sensor_timing timing() const noexcept { return timing_; }
  [[nodiscard]] const std::vector<ina3221_rail>& rail_details() const noexcept { return rails_; }

  bool read(std::span<rail_reading> out) noexcept {
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      const auto mv = files_[2 * i].read();
      const auto ma = files_[2 * i + 1].read();
      if (!mv || !ma) return false;
      out[i] = {*mv, *ma};
    }
    return true;
  }

 private:
  std::vector<ina3221_rail> rails_;
  std::vector<sysfs_attribute> files_;  ///< voltage, current of each rail
  std::vector<io::rail_source> sources_;
  sensor_timing timing_;
};

static_assert(sampler<ina3221_sampler>);

}  // namespace layerwatt::sense
