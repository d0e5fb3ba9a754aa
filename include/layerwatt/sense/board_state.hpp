#pragma once
// The board's state when a network is measured, recorded beside the measurement: a Jetson's
// power mode (`nvpmodel -q`) and the clocks sysfs shows. Power and latency depend on both
// (jetson_clocks pins the clocks at the mode's maximum; without it the governors scale them with
// the load), so a measurement without them cannot be compared with another.
//
//   {"nvpmodel": {"mode": "MAXN", "id": 0},                  or {"error": "why it is unknown"}
//    "clocks": {"devfreq": {"17000000.ga10b": {"governor": "nvhost_podgov", "cur_freq_hz": 1300500000,
//                                              "min_freq_hz": 306000000, "max_freq_hz": 1300500000}},
//               "cpufreq": {"policy0": {"cpus": "0 1 2 3", "governor": "schedutil", "cur_khz": 1984000,
//                                       "min_khz": 115200, "max_khz": 1984000}}}}
//
// devfreq devices are the GPU (and, on some boards, the EMC and NVDLA); cpufreq policies are the
// CPU clusters. A file that cannot be read is left out of its device's entry; nothing is guessed.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/io/number_text.hpp"
#include "layerwatt/sense/child_process.hpp"

namespace layerwatt::sense {

namespace detail {

/// A sysfs file's first line, trimmed; nothing when it cannot be read.
inline std::optional<std::string> read_sysfs_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
  return line;
}

/// Every subfolder of `folder` whose name starts with `prefix`, sorted; none when it is absent.
inline std::vector<std::filesystem::path> subfolders(const std::filesystem::path& folder, std::string_view prefix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec))
    if (it->path().filename().string().starts_with(prefix)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

/// `keys` (file name → JSON key) of `folder`, numbers as numbers, the rest as text.
inline nlohmann::ordered_json read_sysfs_files(const std::filesystem::path& folder,
                                               std::initializer_list<std::pair<std::string_view, std::string_view>> keys) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [file, key] : keys)
    if (const auto text = read_sysfs_line(folder / file)) {
      if (const auto n = io::parse_integer<long long>(*text)) out[std::string(key)] = *n;
      else out[std::string(key)] = *text;
    }
  return out;
}

}  // namespace detail

/// The clocks sysfs shows under `sysfs_root` (/sys on a board).
inline nlohmann::ordered_json read_board_clocks(const std::filesystem::path& sysfs_root) {
  nlohmann::ordered_json devfreq = nlohmann::ordered_json::object(), cpufreq = nlohmann::ordered_json::object();
  for (const auto& device : detail::subfolders(sysfs_root / "class/devfreq", ""))
    devfreq[device.filename().string()] = detail::read_sysfs_files(
        device, {{"governor", "governor"}, {"cur_freq", "cur_freq_hz"}, {"min_freq", "min_freq_hz"}, {"max_freq", "max_freq_hz"}});
  for (const auto& policy : detail::subfolders(sysfs_root / "devices/system/cpu/cpufreq", "policy"))
    cpufreq[policy.filename().string()] = detail::read_sysfs_files(policy, {{"affected_cpus", "cpus"},
                                                                             {"scaling_governor", "governor"},
                                                                             {"scaling_cur_freq", "cur_khz"},
                                                                             {"scaling_min_freq", "min_khz"},
                                                                             {"scaling_max_freq", "max_khz"}});
  return {{"devfreq", std::move(devfreq)}, {"cpufreq", std::move(cpufreq)}};
}

/// `nvpmodel -q`'s answer — "NV Power Mode: MAXN" and, on the next line, the mode's number — as
/// {"mode": "MAXN", "id": 0}; nothing when the text has no such line.
inline std::optional<nlohmann::ordered_json> parse_nvpmodel_query(std::string_view output) {
  constexpr std::string_view key = "NV Power Mode: ";
  const auto at = output.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = output.substr(at + key.size());
  const auto eol = rest.find('\n');
  std::string mode(rest.substr(0, eol));
  while (!mode.empty() && (mode.back() == '\r' || mode.back() == ' ')) mode.pop_back();
  nlohmann::ordered_json out = {{"mode", mode}};
  if (eol != std::string_view::npos) {
    std::string_view next = rest.substr(eol + 1);
    next = next.substr(0, next.find('\n'));
    while (!next.empty() && (next.back() == '\r' || next.back() == ' ')) next.remove_suffix(1);
    if (const auto id = io::parse_integer<int>(next)) out["id"] = *id;
  }
  return out;
}

/// Runs `program -q` (nvpmodel); {"mode", "id"}, or {"error": why} when it cannot tell.
inline nlohmann::ordered_json query_nvpmodel(const std::string& program) {
  try {
    const auto [status, output] = run_program({program, "-q"});
    if (status != 0)
      return {{"error", fmt::format("{} -q {}: {}", program, describe_wait_status(status), quote_excerpt(output))}};
    if (auto parsed = parse_nvpmodel_query(output)) return *parsed;
    return {{"error", fmt::format("{} -q printed no \"NV Power Mode:\" line: {}", program, quote_excerpt(output))}};
  } catch (const error& e) {
    return {{"error", e.what()}};
  }
}

/// The power mode and the clocks.
inline nlohmann::ordered_json read_board_state(const std::filesystem::path& sysfs_root, const std::string& nvpmodel) {
  return {{"nvpmodel", query_nvpmodel(nvpmodel)}, {"clocks", read_board_clocks(sysfs_root)}};
}

}  // namespace layerwatt::sense
