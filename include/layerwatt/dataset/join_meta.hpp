#pragma once
// `join.meta.json`, written by `layerwatt map` beside each mapping file and by `layerwatt dataset`
// into each training folder: how that model's rows were joined — the files, the rail (or the sum
// of rails), the idle power subtracted and how it was matched, the timeline and attribution, the
// clock offset, what was done about clock steps and gaps, and where the windows fell. A mapping
// or training set is then never a number without its method.
//
// {
//   "model": "resnet18", "power_log": "raw/resnet18/resnet18_power_log.log", "layer_latency": "...",
//   "rail": "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0", "rails": ["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0"],
//   "idle_power_uw": 35454456.0, "idle_matched": "rail VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0",
//   "timeline": "end-stamp", "attribution": "window-mean", "refresh_interval_us": 4000,
//   "clock_offset_us": 3600000000, "clock_steps": "split", "segments": 2,
//   "power_log_steps": [{"index": 9871, "before": "...", "after": "...", "size_us": 4000}], "latency_steps": [...],
//   "max_gap_us": 1000000, "gaps": [{"index": 120, "from": "...", "to": "...", "size_us": 2500000}],
//   "overlap": "error",
//   "windows": {"total": 600, "with_power": 590, "before_log": 0, "inside_log": 10, "after_log": 0,
//               "in_gaps": 4, "overlapping_log": 600}
// }
// `index` is 0-based in the log's samples (steps, gaps) or in the processing order (latency steps).

#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "layerwatt/dataset/map_model.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/raw_data_dir.hpp"

namespace layerwatt::dataset {

inline constexpr std::string_view join_meta_file_name = "join.meta.json";

inline nlohmann::ordered_json join_meta(const io::raw_model_files& files, const map_options& options,
                                        const map_summary& s) {
  const auto steps = [](const std::vector<join::time_step>& list) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& step : list)
      out.push_back({{"index", step.index},
                     {"before", layerwatt::to_string(step.before)},
                     {"after", layerwatt::to_string(step.after)},
                     {"size_us", step.size().count()}});
    return out;
  };
  auto gaps = nlohmann::ordered_json::array();
  for (const auto& g : s.gaps)
    gaps.push_back({{"index", g.index}, {"from", layerwatt::to_string(g.from)}, {"to", layerwatt::to_string(g.to)}, {"size_us", g.size().count()}});
  nlohmann::ordered_json j;
  j["model"] = s.model;
  j["power_log"] = files.power_log.string();
  j["layer_latency"] = files.layer_latency.string();
  j["rail"] = s.rail;
  j["rails"] = s.rails;
  j["idle_power_uw"] = s.idle_power_uw;
  j["idle_matched"] = s.idle_matched;
  j["timeline"] = s.timeline;
  j["attribution"] = s.attribution;
  j["refresh_interval_us"] = s.refresh_interval ? nlohmann::ordered_json(s.refresh_interval->count()) : nullptr;
  j["clock_offset_us"] = options.clock_offset.count();
  j["clock_steps"] = join::to_string(options.clock_steps);
  j["segments"] = s.segments;
  j["power_log_steps"] = steps(s.power_steps);
  j["latency_steps"] = steps(s.latency_steps);
  j["max_gap_us"] = options.max_gap.count();
  j["gaps"] = std::move(gaps);
  j["overlap"] = to_string(options.overlap);
  const auto& c = s.coverage;
  j["windows"] = {{"total", c.windows},           {"with_power", c.with_power}, {"before_log", c.before_log},
                  {"inside_log", c.inside_log},   {"after_log", c.after_log},   {"in_gaps", c.in_gaps},
                  {"overlapping_log", s.overlap.overlapping}};
  return j;
}

/// Writes join_meta() to `directory`/join.meta.json, atomically.
inline void write_join_meta(const std::filesystem::path& directory, const io::raw_model_files& files,
                            const map_options& options, const map_summary& summary) {
  io::write_file_atomically(directory / join_meta_file_name, join_meta(files, options, summary).dump(4) + "\n");
}

}  // namespace layerwatt::dataset
