#pragma once
// A sampler that sums rails: each of its columns is the power of one or more rails of another
// sampler, added per reading. A Jetson AGX Orin (or AGX Xavier) has no board-input rail; its module power
// is the sum of VDD_GPU_SOC, VDD_CPU_CV and VIN_SYS_5V0 (what jtop and energymon report), so
// `--rail VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0` logs and measures that sum as one rail.
//
// A sum knows only power, so a column of several rails is reported as a power-only sensor reports
// it: rail_reading::from_power_mw (a nominal 1000 mV, the power in mW as mA), keeping mV × mA =
// µW. A column of one rail is that rail, its voltage, current and files as read. The sidecar's
// `rails` names each column (`A+B+C`); `rail_sums` lists each sum's rails with their files.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/rail_selection.hpp"
#include "layerwatt/sense/sampler.hpp"

namespace layerwatt::sense {

/// Which rails to open for a list of rail specs (`A`, `A+B+C`), and which of them each column sums.
struct rail_sum_plan {
  std::vector<std::string> rails;                 ///< each rail once, in order of first mention
  std::vector<std::vector<std::size_t>> columns;  ///< per spec, indices into `rails`
};

inline rail_sum_plan plan_rail_sums(std::span<const std::string> specs) {
  rail_sum_plan plan;
  for (const auto& spec : specs) {
    auto& column = plan.columns.emplace_back();
    for (auto& name : io::split_rail_sum(spec)) {
      const auto it = std::find(plan.rails.begin(), plan.rails.end(), name);
      column.push_back(static_cast<std::size_t>(it - plan.rails.begin()));
      if (it == plan.rails.end()) plan.rails.push_back(std::move(name));
    }
  }
  if (plan.rails.size() > io::max_power_log_rails)
    throw error(fmt::format("{} rails to sum; a sampler reads at most {}", plan.rails.size(), io::max_power_log_rails));
  return plan;
}

/// True when a spec names a sum of rails (then the rails must be read through rail_sum_sampler).
inline bool names_a_sum(std::span<const std::string> specs) {
  return std::any_of(specs.begin(), specs.end(), [](const auto& s) { return s.find(io::rail_sum_separator) != s.npos; });
}

template <sampler Inner>
class rail_sum_sampler {
 public:
  /// Column k is the sum of the inner sampler's rails `columns[k]` (indices into inner.rails()).
  rail_sum_sampler(Inner inner, std::vector<std::vector<std::size_t>> columns)
      : inner_(std::move(inner)), columns_(std::move(columns)) {
    const auto inner_rails = inner_.rails();
    if (columns_.empty() || columns_.size() > io::max_power_log_rails)
      throw error(fmt::format("a rail sum needs 1 to {} columns", io::max_power_log_rails));
    for (const auto& column : columns_) {
      if (column.empty()) throw error("a rail sum's column names no rail");
      for (const std::size_t i : column)
        if (i >= inner_rails.size()) throw error(fmt::format("a rail sum names rail {} of {}", i, inner_rails.size()));
      if (column.size() == 1) {
        sources_.push_back(inner_rails[column.front()]);
        continue;
      }
      std::vector<std::string> names;
      for (const std::size_t i : column) names.push_back(inner_rails[i].name);
      sources_.push_back({fmt::format("{}", fmt::join(names, std::string_view(&io::rail_sum_separator, 1))), {}, {}});
    }
  }

  [[nodiscard]] std::span<const io::rail_source> rails() const noexcept { return sources_; }
  [[nodiscard]] std::string_view source() const noexcept { return inner_.source(); }
  [[nodiscard]] sensor_timing timing() const noexcept { return inner_.timing(); }

  bool read(std::span<rail_reading> out) noexcept {
    const std::span<rail_reading> readings(buffer_.data(), inner_.rails().size());
    if (!inner_.read(readings)) return false;
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k].size() == 1) {
        out[k] = readings[columns_[k].front()];
        continue;
      }
      double sum_uw = 0;
      for (const std::size_t i : columns_[k]) sum_uw += readings[i].power_uw();
      out[k] = rail_reading::from_power_mw(sum_uw / 1000.0);
    }
    return true;
  }

  void begin_run() noexcept {
    if constexpr (run_aware_sampler<Inner>) inner_.begin_run();
  }

  /// Adds `rail_sums` (where a column is a sum): each sum's column name and the rails (with their
  /// files) it sums.
  void end_run(io::power_log_meta& meta) {
    if constexpr (run_aware_sampler<Inner>) inner_.end_run(meta);
    const auto inner_rails = inner_.rails();
    auto sums = nlohmann::json::array();
    for (std::size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k].size() == 1) continue;
      auto rails = nlohmann::json::array();
      for (const std::size_t i : columns_[k])
        rails.push_back({{"name", inner_rails[i].name},
                         {"voltage_path", inner_rails[i].voltage_path},
                         {"current_path", inner_rails[i].current_path}});
      sums.push_back({{"name", sources_[k].name}, {"rails", std::move(rails)}});
    }
    if (!sums.empty()) meta.extra["rail_sums"] = std::move(sums);
  }

 private:
  Inner inner_;
  std::vector<std::vector<std::size_t>> columns_;
  std::vector<io::rail_source> sources_;
  std::array<rail_reading, io::max_power_log_rails> buffer_{};
};

}  // namespace layerwatt::sense
