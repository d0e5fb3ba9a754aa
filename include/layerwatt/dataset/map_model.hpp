#pragma once
// One raw model folder → one row per layer per cycle, as power_runtime_mapping_layerwise.csv
// holds them: read the power log (one rail), the latencies and the engine info, join them with the
// chosen policies, name each layer's type, subtract the idle power.
//
//   io::layerwise_mapping_writer out(dir / dataset::layerwise_mapping_file_name);
//   const auto summary = dataset::map_model(files, idle.avg_idle_power_uw, {}, [&](const io::layerwise_row& r) {
//     out.write(r);
//   });
//   out.commit();

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/deconvolved.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/interpolated.hpp"
#include "layerwatt/join/join.hpp"
#include "layerwatt/join/stamp_spread.hpp"
#include "layerwatt/join/window_mean.hpp"

namespace layerwatt::dataset {

enum class timeline_choice { end_stamp, back_to_back };
enum class attribution_choice { window_mean, interpolated, deconvolved };

constexpr std::string_view to_string(timeline_choice t) noexcept {
  return t == timeline_choice::end_stamp ? join::end_stamp::name : join::back_to_back::name;
}
constexpr std::string_view to_string(attribution_choice a) noexcept {
  switch (a) {
    case attribution_choice::window_mean: return join::window_mean::name;
    case attribution_choice::interpolated: return join::interpolated::name;
    case attribution_choice::deconvolved: return join::deconvolved::name;
  }
  return {};
}

/// The label a layer gets when the engine info has no layer of its name (the reference's).
inline constexpr std::string_view unknown_layer_type = "Unknown";

struct map_options {
  timeline_choice timeline = timeline_choice::end_stamp;        ///< the reference's
  attribution_choice attribution = attribution_choice::window_mean;  ///< the reference's
  /// The sensor's refresh interval for a log whose .meta.json does not give it (deconvolved
  /// needs one); a .meta.json's value wins.
  std::optional<microseconds> refresh_interval = {};
  std::string rail;  ///< rail name or 0-based index; empty: the first (the board's input)
};

struct map_summary {
  std::string model;
  std::string rail;                  ///< the rail's name, or its index for a log without a header
  std::size_t samples = 0;           ///< power samples of that rail
  std::optional<microseconds> refresh_interval;  ///< the sensor's, from the log's .meta.json
  std::size_t cycles = 0, rows = 0;
  std::size_t shortest_list = 0, longest_list = 0;  ///< entries per layer in the latency file
  join::coverage coverage;
  std::map<std::string, std::size_t, std::less<>> layers_per_type;  ///< distinct layers of the latency file
  std::vector<std::string> unknown_layers;                          ///< not in the engine info
  join::stamp_spread_summary stamp_spread;
  std::string_view timeline, attribution;
  std::optional<join::deconvolution_report> deconvolution;  ///< with the deconvolved attribution
};

namespace detail {

/// The 0-based index of the rail named or numbered `rail` in a log's header.
inline std::size_t rail_index(const std::filesystem::path& log, std::string_view rail, std::string& name) {
  io::line_reader in(log);
  io::power_log_layout layout;
  if (const auto first = in.next(); first && first->starts_with(io::power_log_header_prefix))
    layout = io::detail::parse_power_log_header(*first, in);
  const auto named = [&](std::size_t i) {
    name = layout.rails.empty() ? std::to_string(i) : layout.rails[i];
    return i;
  };
  if (rail.empty()) return named(0);
  for (std::size_t i = 0; i < layout.rails.size(); ++i)
    if (layout.rails[i] == rail) return named(i);
  if (const auto i = io::parse_integer<std::size_t>(rail); i && *i < layout.rail_count()) return named(*i);
  throw error(fmt::format("{}: no rail \"{}\"; the log has {}", log.string(), rail,
                          layout.rails.empty() ? std::string{"one unnamed rail (0)"}
                                               : fmt::format("{}", fmt::join(layout.rails, ", "))));
}

template <join::timeline_policy Timeline>
join::joined join_with(const io::layer_latencies& latencies, const join::power_signal& signal,
                       attribution_choice attribution, map_summary& summary, const warning_sink& warn) {
  switch (attribution) {
    case attribution_choice::window_mean: return join::join(latencies, signal, Timeline{}, join::window_mean{});
    case attribution_choice::interpolated: return join::join(latencies, signal, Timeline{}, join::interpolated{});
    case attribution_choice::deconvolved: break;
  }
  return join::join(latencies, signal, Timeline{},
                    join::deconvolved({.warn = warn, .report = &summary.deconvolution.emplace()}));
}

}  // namespace detail

/// Joins one raw model folder and calls sink(const io::layerwise_row&) for every layer of every
/// cycle, in the reference's order. The row's strings are views valid during the call. Errors
/// name the file they come from.
template <typename Sink>
map_summary map_model(const io::raw_model_files& files, double idle_power_uw, const map_options& options,
                      Sink&& sink, const warning_sink& warn = print_warning) {
  map_summary summary;
  summary.model = files.name;
  const std::size_t rail = detail::rail_index(files.power_log, options.rail, summary.rail);
  const auto samples = io::load_power_samples(files.power_log, rail, warn);
  summary.samples = samples.size();
  if (files.power_log_meta) summary.refresh_interval = io::read_power_log_meta(*files.power_log_meta).refresh_interval;
  const auto latencies = io::read_layer_latencies(files.layer_latency);
  const auto engine = io::read_engine_info(files.engine_info);

  if (summary.refresh_interval && options.refresh_interval && summary.refresh_interval != options.refresh_interval)
    warn(fmt::format("{}: the sensor refreshes every {} µs by its .meta.json; the {} µs given is not used",
                     files.power_log.string(), summary.refresh_interval->count(), options.refresh_interval->count()));
  join::joined joined;
  try {
    const join::power_signal signal{samples,
                                    summary.refresh_interval ? summary.refresh_interval : options.refresh_interval};
    const warning_sink named = [&](std::string_view w) { warn(fmt::format("{}: {}", files.power_log.string(), w)); };
    joined = options.timeline == timeline_choice::back_to_back
                 ? detail::join_with<join::back_to_back>(latencies, signal, options.attribution, summary, named)
                 : detail::join_with<join::end_stamp>(latencies, signal, options.attribution, summary, named);
  } catch (const error& e) {
    throw error(fmt::format("{} with {}: {}", files.layer_latency.string(), files.power_log.filename().string(),
                            e.what()));
  }
  summary.cycles = joined.cycles;
  summary.rows = joined.entries.size();
  summary.shortest_list = joined.shortest_list;
  summary.longest_list = joined.longest_list;
  summary.timeline = joined.timeline;
  summary.attribution = joined.attribution;
  summary.coverage = join::coverage_of(joined, samples);
  summary.stamp_spread = join::summarize_stamp_spread(latencies);
  if (joined.shortest_list != joined.longest_list)
    warn(fmt::format("{}: layers have {} to {} entries; a cycle lacks the layers whose list is shorter",
                     files.layer_latency.string(), joined.shortest_list, joined.longest_list));

  // The type of each latency layer, looked up once (the last of a repeated engine name wins,
  // as in the reference's dictionary).
  std::unordered_map<std::string_view, std::string_view> type_of_name;
  for (const auto& layer : engine.layers) type_of_name[layer.name] = layer.layer_type;
  std::vector<std::string_view> types(latencies.layers.size(), unknown_layer_type);
  for (std::size_t l = 0; l < latencies.layers.size(); ++l) {
    const auto& name = latencies.layers[l].name;
    if (const auto it = type_of_name.find(name); it != type_of_name.end()) types[l] = it->second;
    else summary.unknown_layers.push_back(name);
    ++summary.layers_per_type[std::string(types[l])];
  }

  join::for_each_row(joined, latencies, [&](const join::join_row& r) {
    io::layerwise_row row;
    row.cycle = r.cycle;
    row.layer_name = r.layer_name;
    row.layer_type = types[r.layer];
    row.power_including_idle_uw = r.power_uw;
    if (r.power_uw) row.power_excluding_idle_uw = *r.power_uw - idle_power_uw;
    row.run_time_ms = r.latency_ms;
    sink(row);
  });
  return summary;
}

/// Copies the engine info beside the mapping file, byte for byte, atomically.
inline void copy_engine_info(const std::filesystem::path& from, const std::filesystem::path& to) {
  io::write_file_atomically(to, io::read_text_file(from));
}

}  // namespace layerwatt::dataset
