#pragma once
// One raw model folder → one row per layer per cycle, as power_runtime_mapping_layerwise.csv
// holds them: read the power log (one rail, or the sum of several), the latencies and the engine
// info, join them with the chosen policies (time integrity checked, join.hpp), check that the
// two cover the same time, name each layer's type, subtract the idle power of the same rail.
//
//   io::layerwise_mapping_writer out(dir / dataset::layerwise_mapping_file_name);
//   const auto summary = dataset::map_model(files, idle, idle_path, {}, [&](const io::layerwise_row& r) {
//     out.write(r);
//   });
//   out.commit();

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/dataset/idle_for_rails.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/rail_selection.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/deconvolved.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/interpolated.hpp"
#include "layerwatt/join/join.hpp"
#include "layerwatt/join/overlap.hpp"
#include "layerwatt/join/stamp_spread.hpp"
#include "layerwatt/join/window_mean.hpp"

namespace layerwatt::dataset {

enum class timeline_choice { end_stamp, back_to_back };
enum class attribution_choice { window_mean, interpolated, deconvolved };
/// What a join whose windows barely reach into the power log (join/overlap.hpp) does.
enum class overlap_choice { error, warn };

constexpr std::string_view to_string(timeline_choice t) noexcept {
  return t == timeline_choice::end_stamp ? join::end_stamp::name : join::back_to_back::name;
}
constexpr std::string_view to_string(overlap_choice o) noexcept { return o == overlap_choice::error ? "error" : "warn"; }
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
  /// A rail's name or 0-based index, or a sum of them `A+B+C`; empty: the first (the board's input).
  std::string rail = {};
  join::clock_step_policy clock_steps = join::clock_step_policy::error;
  microseconds max_gap = join::default_max_gap;  ///< a longer gap in the log: no power inside it
  microseconds clock_offset{0};                  ///< added to every latency stamp
  overlap_choice overlap = overlap_choice::error;
};

struct map_summary {
  std::string model;
  std::string rail;                  ///< the rail's name (A+B+C for a sum), or its index in a log naming none
  std::vector<std::string> rails;    ///< the rails summed (one for a single rail)
  std::size_t samples = 0;           ///< power samples of that rail
  std::optional<microseconds> refresh_interval;  ///< the sensor's, from the log's .meta.json
  std::size_t cycles = 0, rows = 0;
  std::size_t shortest_list = 0, longest_list = 0;  ///< entries per layer in the latency file
  join::coverage coverage;
  join::overlap_report overlap;
  double idle_power_uw = 0;   ///< subtracted: the idle power of the same rail(s)
  std::string idle_matched;   ///< how it was matched (idle_for_rails::matched)
  std::size_t segments = 1;   ///< monotonic stretches joined (more than one after clock steps, split)
  std::vector<join::time_step> power_steps, latency_steps;
  std::vector<join::time_gap> gaps;  ///< forward gaps of the log longer than map_options::max_gap
  std::size_t windows_in_gaps = 0, windows_across_steps = 0;  ///< given no power (join::joined's)
  std::map<std::string, std::size_t, std::less<>> layers_per_type;  ///< distinct layers of the latency file
  std::vector<std::string> unknown_layers;                          ///< not in the engine info
  join::stamp_spread_summary stamp_spread;
  std::string_view timeline, attribution;
  std::optional<join::deconvolution_report> deconvolution;  ///< with the deconvolved attribution
};

namespace detail {

template <join::timeline_policy Timeline>
join::joined join_with(const io::layer_latencies& latencies, const join::power_signal& signal,
                       attribution_choice attribution, const join::join_options& options, map_summary& summary,
                       const warning_sink& warn) {
  switch (attribution) {
    case attribution_choice::window_mean: return join::join(latencies, signal, Timeline{}, join::window_mean{}, options);
    case attribution_choice::interpolated:
      return join::join(latencies, signal, Timeline{}, join::interpolated{}, options);
    case attribution_choice::deconvolved: break;
  }
  return join::join(latencies, signal, Timeline{},
                    join::deconvolved({.warn = warn, .report = &summary.deconvolution.emplace()}), options);
}

/// A tegrastats log where a power log should be: say what it can and cannot give.
inline void refuse_tegrastats(const std::filesystem::path& log) {
  io::line_reader in(log);
  const auto first = in.next();
  if (!first || !io::is_tegrastats_line(*first)) return;
  throw error(log.string(), 1,
              "this is a tegrastats log: a line a second (by default), stamped to the second if at all, while layers "
              "run for µs to ms; no attribution can give a layer its power from it. It serves a board's idle power "
              "(layerwatt idle --tegrastats) and a network's energy over a run (join::energy_of_run); per-layer power "
              "needs a log taken at the sensor's pace (layerwatt log)");
}

}  // namespace detail

/// Joins one raw model folder and calls sink(const io::layerwise_row&) for every layer of every
/// cycle, in the reference's order; `idle` (read from `idle_file`) gives the idle power of the
/// rail joined (idle_for_rails.hpp). The row's strings are views valid during the call. Errors
/// name the file (and line) they come from: a clock step, a log too sparse for per-layer power,
/// windows that do not overlap the log (unless options.overlap warns), an idle file of other rails.
template <typename Sink>
map_summary map_model(const io::raw_model_files& files, const io::idle_power& idle,
                      const std::filesystem::path& idle_file, const map_options& options, Sink&& sink,
                      const warning_sink& warn = print_warning) {
  map_summary summary;
  summary.model = files.name;
  detail::refuse_tegrastats(files.power_log);
  std::optional<io::power_log_meta> meta;
  if (files.power_log_meta) meta = io::read_power_log_meta(*files.power_log_meta);
  const auto log_rails = io::read_power_log_rails(files.power_log, meta);
  const auto rails = io::select_rails(files.power_log, log_rails.names, options.rail);
  summary.rail = rails.name;
  summary.rails = rails.rails;
  const auto idle_uw = idle_power_for(idle, idle_file, rails);
  summary.idle_power_uw = idle_uw.power_uw;
  summary.idle_matched = idle_uw.matched;
  const auto samples = io::load_power_samples(files.power_log, rails, warn);
  summary.samples = samples.size();
  // A run draws more than the board idle, and an idle board draws more than a thousandth of a
  // run: a log below its idle power, or an idle power below that, is one of the two in another
  // unit (a log in V, an idle in W or mW), and every layer's power above idle comes out negative,
  // or as all of its power.
  if (!samples.empty()) {
    double mean_uw = 0;
    for (const auto& s : samples) mean_uw += s.power_uw / static_cast<double>(samples.size());
    const double taken_uw = summary.idle_power_uw;
    const std::string idle_source = idle_file.empty() ? std::string("the idle power given") : idle_file.string();
    if (mean_uw < taken_uw)
      warn(fmt::format("{}: its mean power, {:.6g} W, is below the idle power taken, {:.6g} W ({}): every layer's "
                       "power above idle comes out negative; are both in their units (the log's columns in mV and "
                       "mA, the idle in µW)?",
                       files.power_log.string(), mean_uw / 1e6, taken_uw / 1e6, idle_source));
    else if (taken_uw > 0 && 1000 * taken_uw < mean_uw)
      warn(fmt::format("{}: the idle power taken, {:.6g} W ({}), is under a thousandth of its mean power, {:.6g} W: "
                       "every layer's power above idle comes out as nearly all of its power; is the idle in µW (not "
                       "W or mW)?",
                       files.power_log.string(), taken_uw / 1e6, idle_source, mean_uw / 1e6));
  }
  if (meta) summary.refresh_interval = meta->refresh_interval;
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
    const join::join_options join_options{
        .clock_steps = options.clock_steps,
        .max_gap = options.max_gap,
        .clock_offset = options.clock_offset,
        .name_sample = [&](std::size_t i) { return fmt::format("{}:{}", files.power_log.string(), i + log_rails.first_sample_line); },
        .name_entry = [&](join::entry_index e) {
          return fmt::format("{}:{} (layer \"{}\", cycle {})", files.layer_latency.string(),
                             io::layer_latency_line(files.layer_latency, e.layer, e.cycle),
                             latencies.layers[e.layer].name, e.cycle + 1);
        }};
    joined = options.timeline == timeline_choice::back_to_back
                 ? detail::join_with<join::back_to_back>(latencies, signal, options.attribution, join_options, summary, named)
                 : detail::join_with<join::end_stamp>(latencies, signal, options.attribution, join_options, summary, named);
  } catch (const error& e) {
    throw error(fmt::format("{} with {}: {}", files.layer_latency.string(), files.power_log.filename().string(),
                            e.what()));
  }
  summary.overlap = join::overlap_of(joined, samples);
  if (summary.overlap.poor()) {
    const std::string message =
        fmt::format("{} and {} do not overlap in time: {}", files.layer_latency.string(), files.power_log.string(),
                    join::describe_overlap(summary.overlap));
    if (options.overlap == overlap_choice::error) throw error(message + " (--overlap warn writes the rows anyway)");
    warn(message);
  }
  summary.segments = joined.segments.size();
  summary.power_steps = joined.power_steps;
  summary.latency_steps = joined.latency_steps;
  summary.gaps = joined.gaps;
  summary.windows_in_gaps = joined.windows_in_gaps;
  summary.windows_across_steps = joined.windows_across_steps;
  // A few gaps are named one by one; a log of thousands (a --max-gap below the period) would
  // bury every other message: join.meta.json lists them all.
  constexpr std::size_t gaps_named = 10;
  for (const auto& gap : std::span(joined.gaps).first(std::min(joined.gaps.size(), gaps_named)))
    warn(fmt::format("{}:{}: no sample for {} (from {} to {}): windows reaching into the gap get no power",
                     files.power_log.string(), gap.index + log_rails.first_sample_line, format_duration(gap.size()),
                     layerwatt::to_string(gap.from), layerwatt::to_string(gap.to)));
  if (joined.gaps.size() > gaps_named)
    warn(fmt::format("{}: {} more gaps (join.meta.json lists every one; is --max-gap, {}, below the log's period?)",
                     files.power_log.string(), joined.gaps.size() - gaps_named, format_duration(options.max_gap)));
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
    if (r.power_uw) row.power_excluding_idle_uw = *r.power_uw - summary.idle_power_uw;
    row.run_time_ms = r.latency_ms;
    sink(row);
  });
  return summary;
}

/// As above with the idle power given as a number, for whatever rail is joined (the reference's
/// idle file, which names no rail).
template <typename Sink>
map_summary map_model(const io::raw_model_files& files, double idle_power_uw, const map_options& options, Sink&& sink,
                      const warning_sink& warn = print_warning) {
  io::idle_power idle;
  idle.avg_idle_power_uw = idle_power_uw;
  return map_model(files, idle, {}, options, std::forward<Sink>(sink), warn);
}

/// Copies the engine info beside the mapping file, byte for byte, atomically.
inline void copy_engine_info(const std::filesystem::path& from, const std::filesystem::path& to) {
  io::write_file_atomically(to, io::read_text_file(from));
}

}  // namespace layerwatt::dataset
