#pragma once
// Measured totals of whole networks: what a long timed loop measures well on any board, and what
// network-level training fits (train/network_fit.hpp). One row per network:
//
//   network,engine_info,latency_ms,energy_total_mj,energy_above_idle_mj
//   resnet18,resnet18/engine_info.json,4.2513,31.07,12.66
//
//   network               a name, unique in the file
//   engine_info           the network's engine-inspector JSON, relative to the CSV's folder (or
//                         absolute): where its layers come from
//   latency_ms            mean latency of one inference, ms
//   energy_total_mj       mean energy of one inference over the rail measured, idle included, mJ
//   energy_above_idle_mj  the same with the idle power × latency taken away, mJ
//   group                 (optional column) the network's family, for cross-validation that keeps
//                         a family together (a depth sweep's members); the network's name where empty
//
// Either energy may be empty (not measured); latency may not. A missing column, a repeated name,
// a value of 0 or below or a non-numeric one, an empty latency, or an energy above idle greater
// than the total is an error naming the file and line (and column). Written atomically.

#include <cmath>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

struct network_total {
  std::string network;
  std::filesystem::path engine_info;  ///< as resolved: relative paths against the CSV's folder
  double latency_ms = 0;
  std::optional<double> energy_total_mj, energy_above_idle_mj;
  std::string group;  ///< empty: the network is a family of its own
  std::size_t line = 0;  ///< of the file it was read from, for errors; 0: made in code
  bool operator==(const network_total&) const = default;
};

inline constexpr std::string_view network_totals_columns[] = {"network", "engine_info", "latency_ms", "energy_total_mj",
                                                              "energy_above_idle_mj"};

inline std::vector<network_total> read_network_totals(const std::filesystem::path& path) {
  const csv_table table = read_csv_table(path);
  const auto names = table.texts("network"), engines = table.texts("engine_info");
  const auto latency = table.numbers("latency_ms"), total = table.numbers_or_missing("energy_total_mj"),
             above = table.numbers_or_missing("energy_above_idle_mj");
  const auto groups = table.has_column("group") ? table.texts("group") : std::vector<std::string>(table.rows.size());
  std::vector<network_total> out;
  std::unordered_set<std::string> seen;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto line = table.line_of(r);
    if (names[r].empty()) throw error(path.string(), line, "expected a network name in column \"network\"");
    if (!seen.insert(names[r]).second)
      throw error(path.string(), line, fmt::format("network \"{}\" is listed twice", names[r]));
    if (engines[r].empty()) throw error(path.string(), line, "expected the engine file in column \"engine_info\"");
    // Above 0: the fit weighs each network by its measured totals' inverse (relative error).
    const auto check = [&](double v, std::string_view column) -> std::optional<double> {
      if (std::isnan(v)) return std::nullopt;
      if (!(v > 0)) throw error(path.string(), line, fmt::format("expected a value above 0 in column \"{}\", got {}", column, v));
      return v;
    };
    network_total t;
    t.network = names[r];
    t.engine_info = std::filesystem::path(engines[r]).is_absolute() ? std::filesystem::path(engines[r])
                                                                    : path.parent_path() / engines[r];
    t.latency_ms = *check(latency[r], "latency_ms");
    t.energy_total_mj = check(total[r], "energy_total_mj");
    t.energy_above_idle_mj = check(above[r], "energy_above_idle_mj");
    if (t.energy_total_mj && t.energy_above_idle_mj && *t.energy_above_idle_mj > *t.energy_total_mj)
      throw error(path.string(), line,
                  fmt::format("energy_above_idle_mj {} is more than energy_total_mj {}; expected at most the total "
                              "(the total less the idle power times the latency)",
                              *t.energy_above_idle_mj, *t.energy_total_mj));
    t.group = groups[r];
    t.line = line;
    out.push_back(std::move(t));
  }
  return out;
}

/// Writes `totals` with each engine path as given (relative paths are relative to `path`'s folder).
inline void write_network_totals(const std::filesystem::path& path, std::span<const network_total> totals) {
  atomic_output_file out(path);
  std::string& b = out.buffer();
  for (std::size_t i = 0; i < std::size(network_totals_columns); ++i) (b += i ? "," : "") += network_totals_columns[i];
  b += ",group\n";
  const auto number = [&b](const std::optional<double>& v) {
    b += ',';
    if (v) append_python_float(b, *v);
  };
  for (const auto& t : totals) {
    append_csv_field(b, t.network);
    b += ',';
    append_csv_field(b, t.engine_info.generic_string());
    number(t.latency_ms);
    number(t.energy_total_mj);
    number(t.energy_above_idle_mj);
    b += ',';
    append_csv_field(b, t.group);
    b += '\n';
  }
  out.commit();
}

}  // namespace layerwatt::io
