#pragma once
// The idle power to subtract from a joined rail must be the idle power of that same rail (or the
// same sum of rails). `idling_power.json` says which rails it measured where layerwatt (or the
// simulator) wrote it: "rails": [{"name": ..., "avg_power_uw": ...}], "avg_idle_power" being the
// first one's. The reference's file names none; its value is then taken for whatever rail is
// joined, as the reference does, and the summary says so.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/rail_selection.hpp"

namespace layerwatt::dataset {

struct idle_for_rails {
  double power_uw = 0;
  /// How it was found: "rail VDD_IN", "sum of A, B, C", "unnamed" (the idle file names no rail) or
  /// "first rail X" (the log names none, so nothing can be matched).
  std::string matched;
};

/// The idle power of `rails` from `idle` (read from `idle_file`). An error, naming both, when the
/// file names its rails and none of them, nor a sum of them, is the joined rail.
inline idle_for_rails idle_power_for(const io::idle_power& idle, const std::filesystem::path& idle_file,
                                     const io::rail_selection& rails) {
  const auto listed = idle.extra.find("rails");
  if (listed == idle.extra.end() || !listed->is_array() || listed->empty()) return {idle.avg_idle_power_uw, "unnamed"};
  // Each measured rail's mean; the first one's is avg_idle_power (the simulator writes no other).
  std::vector<std::pair<std::string, double>> measured;
  for (std::size_t i = 0; i < listed->size(); ++i) {
    const auto& r = (*listed)[i];
    if (!r.is_object() || !r.contains("name") || !r["name"].is_string()) continue;
    const auto mean = r.find("avg_power_uw");
    if (mean != r.end() && mean->is_number()) measured.emplace_back(r["name"].get<std::string>(), mean->get<double>());
    else if (i == 0) measured.emplace_back(r["name"].get<std::string>(), idle.avg_idle_power_uw);
  }
  if (!rails.named) return {idle.avg_idle_power_uw, fmt::format("first rail {} (the log names none)", measured.empty() ? "?" : measured.front().first)};
  const auto mean_of = [&](const std::string& name) -> std::optional<double> {
    for (const auto& [n, p] : measured)
      if (n == name) return p;
    return std::nullopt;
  };
  if (const auto whole = mean_of(rails.name)) return {*whole, "rail " + rails.name};
  if (rails.rails.size() > 1) {
    double sum = 0;
    bool all = true;
    for (const auto& r : rails.rails)
      if (const auto p = mean_of(r)) sum += *p;
      else all = false;
    if (all) return {sum, fmt::format("sum of {}", fmt::join(rails.rails, ", "))};
  }
  std::vector<std::string> names;
  for (const auto& [n, p] : measured) names.push_back(n);
  throw error(fmt::format("{}: the idle power was measured on {}, not on {}, the rail joined; the idle power "
                          "subtracted must be the same rail's (layerwatt idle --rail {})",
                          idle_file.string(), fmt::join(names, ", "), rails.name, rails.name));
}

}  // namespace layerwatt::dataset
