#pragma once
// What `map`, `convert` and `dataset` share: their options, the per-model loops and the summaries
// they print at the end.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "arguments.hpp"
#include "command.hpp"
#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "classify_option.hpp"
#include "earlier_output.hpp"
#include "layerwatt/dataset/campaign_network.hpp"
#include "layerwatt/dataset/convert_model.hpp"
#include "layerwatt/dataset/join_meta.hpp"
#include "layerwatt/dataset/layer_measurements.hpp"
#include "layerwatt/dataset/map_model.hpp"
#include "layerwatt/dataset/preprocessed_dir.hpp"
#include "layerwatt/dataset/statistics_csv.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/join/deconvolved.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace layerwatt::cli {

/// The --help lines of the options `map` and `dataset` share.
inline constexpr std::string_view map_options_help =
    R"(  --timeline NAME      where each layer ran in a cycle (docs/join.md):
                         end-stamp (default, the reference's): [stamp - latency, stamp];
                         back-to-back: the cycle's layers end to end, ending at its last stamp
                         (right when the stamps were taken after the inference)
  --attribution NAME   the power of a layer in its window:
                         window-mean (default, the reference's): mean of the samples inside,
                         each sample used once, none inside: no power;
                         interpolated: time average of the signal drawn straight between
                         samples; every window inside the log gets a value;
                         deconvolved: one power per layer, solved by non-negative least
                         squares from every reading, modelling the sensor's averaging
                         window (needs its refresh interval); every cycle of a layer
                         gets that power
  --refresh-us N       the sensor's refresh (averaging) interval in µs, for power logs
                       without a .meta.json saying it (default: none; a .meta.json wins)
  --rail NAME|INDEX    the power log's rail to use (default: the first, the board's input);
                       A+B+C: the sum of those rails per sample (boards without an input rail,
                       such as the AGX Orin). Names come from the log's header or .meta.json.
                       The idle power subtracted is that of the same rail or sum, where
                       idling_power.json names its rails (else its value, as the reference)
  --clock-offset DUR   add DUR to every latency stamp: moves the profiler's clock onto the
                       logger's (1h for stamps an hour behind the log's, e.g. a benchmark in a
                       UTC Docker container beside a logger in UTC+1); default 0. DUR is a number
                       and a unit: h, min, s, ms, us (-30min, 1.5s)
  --clock-steps WHAT   when the power log or the latency stamps step back in time (a clock
                       corrected by NTP, a DST change): error (default) names where; split cuts
                       both at their steps and joins the k-th stretch of one with the k-th of
                       the other (a cycle across a step gets no power)
  --max-gap DUR        a gap between power samples longer than DUR is reported and windows
                       reaching into it get no power (default 1s)
  --overlap WHAT       when fewer than half of the layer windows reach into the power log's time
                       range (another clock, another run): error (default), saying by how much
                       the ranges miss and any whole-hour offset; warn: write the rows anyway
)";

/// What `convert` and `dataset` do to TRAINING_DIR's earlier content (the help's paragraph).
inline constexpr std::string_view replaced_as_a_whole_help =
    R"(A model's files in TRAINING_DIR are replaced as a whole: a model skipped by the rule or failed
keeps none (training would read them as this run's), and TRAINING_DIR's other folders, an
earlier run's, are named in a warning.
)";

inline constexpr std::string_view strict_help =
    R"(  --strict             exit 1 if any model is skipped (default: skips are listed, exit 0)
)";

inline constexpr std::string_view min_measurements_help =
    R"(  --min-measurements N skip a model if any layer of a modelled kind has fewer than N powers or
                       runtimes over its cycles (default 10, the reference's)
)";

inline dataset::map_options parse_map_options(arguments& args) {
  dataset::map_options options;
  if (const auto t = args.value("--timeline")) {
    if (*t == to_string(dataset::timeline_choice::end_stamp)) options.timeline = dataset::timeline_choice::end_stamp;
    else if (*t == to_string(dataset::timeline_choice::back_to_back))
      options.timeline = dataset::timeline_choice::back_to_back;
    else throw usage_error(fmt::format("--timeline expects end-stamp or back-to-back, got \"{}\"", *t));
  }
  if (const auto a = args.value("--attribution")) {
    using enum dataset::attribution_choice;
    bool known = false;
    for (const auto choice : {window_mean, interpolated, deconvolved})
      if (*a == to_string(choice)) options.attribution = choice, known = true;
    if (!known)
      throw usage_error(
          fmt::format("--attribution expects window-mean, interpolated or deconvolved, got \"{}\"", *a));
  }
  if (const auto us = args.number<std::int64_t>("--refresh-us", 1, 100'000'000)) options.refresh_interval = microseconds{*us};
  if (auto rail = args.value("--rail")) options.rail = std::move(*rail);
  if (const auto offset = args.duration("--clock-offset")) options.clock_offset = *offset;
  if (const auto gap = args.duration("--max-gap")) {
    if (gap->count() <= 0) throw usage_error("--max-gap expects a duration above 0");
    options.max_gap = *gap;
  }
  if (const auto steps = args.value("--clock-steps")) {
    if (*steps == "error") options.clock_steps = join::clock_step_policy::error;
    else if (*steps == "split") options.clock_steps = join::clock_step_policy::split;
    else throw usage_error(fmt::format("--clock-steps expects error or split, got \"{}\"", *steps));
  }
  if (const auto overlap = args.value("--overlap")) {
    if (*overlap == "error") options.overlap = dataset::overlap_choice::error;
    else if (*overlap == "warn") options.overlap = dataset::overlap_choice::warn;
    else throw usage_error(fmt::format("--overlap expects error or warn, got \"{}\"", *overlap));
  }
  return options;
}

inline std::size_t parse_min_measurements(arguments& args) {
  return args.number<std::size_t>("--min-measurements", 1, 1'000'000'000).value_or(dataset::default_min_measurements);
}

/// A model that could not be processed (or was skipped), and why.
struct model_failure {
  std::string model, why;
};

/// What `map` (and `dataset --preprocessed`) writes for `model` into `directory`.
inline std::vector<std::filesystem::path> preprocessed_outputs(const std::filesystem::path& directory,
                                                               std::string_view model) {
  return {directory / dataset::layerwise_mapping_file_name, directory / dataset::engine_info_file_name,
          directory / dataset::join_meta_file_name,
          dataset::statistics_csv_path(directory, model, dataset::measured::power),
          dataset::statistics_csv_path(directory, model, dataset::measured::run_time)};
}

/// What `dataset` and `convert` write for a model or network into `directory`
/// (TRAINING_DIR/<name>/).
inline std::vector<std::filesystem::path> training_outputs(const std::filesystem::path& directory) {
  auto files = dataset::training_csv_paths(directory);
  files.push_back(directory / dataset::join_meta_file_name);
  files.push_back(directory / dataset::campaign_engine_info_file_name);
  return files;
}

/// Removes those of `files` that are there, and says so in `failure`: a failed model's output,
/// an earlier run's or written before the failure, would be read as this run's. `files` lie in
/// one folder. A file that cannot be removed is said in `failure` too: the other models go on.
inline void remove_output_of_failed(model_failure& failure, std::span<const std::filesystem::path> files) {
  std::vector<std::string> removed;
  for (const auto& f : files) {
    try {
      if (io::remove_if_present(f)) removed.push_back(f.filename().string());
    } catch (const error& e) {
      failure.why += fmt::format(" ({})", e.what());
    }
  }
  if (!removed.empty())
    failure.why += fmt::format(" (its {} removed from {})", fmt::join(removed, ", "), files.front().parent_path().string());
}

/// The names of `folders` (io::raw_model_files, io::campaign_network_files), appended to `names`.
template <typename Folders>
std::vector<std::string> names_of(const Folders& folders, std::vector<std::string> names = {}) {
  for (const auto& f : folders) names.push_back(f.name);
  return names;
}

/// Warns where the output directory `out` holds folders of none of `this_run` (the models or
/// networks this run wrote, or removed the output of): an earlier run's, or an incomplete
/// folder's, which `reader` would take for this run's.
inline void warn_about_earlier_folders(const std::filesystem::path& out, const std::vector<std::string>& this_run,
                                       std::string_view reader) {
  if (std::error_code ec; !std::filesystem::is_directory(out, ec)) return;
  std::vector<std::string> earlier;
  for (const auto& folder : io::model_folders(out))
    if (auto name = folder.filename().string(); std::find(this_run.begin(), this_run.end(), name) == this_run.end())
      earlier.push_back(std::move(name));
  warn_about_earlier_output(out, std::move(earlier), reader);
}

/// Joins every complete model of a raw-data directory. Each model's rows go to
/// `PREPROCESSED/<model>/` (with join.meta.json) when `preprocessed` is given; then
/// `on_model(model files, summary, measurements, engine)` runs, the measurements keeping the layers
/// `rule` classifies as of a modelled kind. A model that fails in either is recorded, its files in
/// PREPROCESSED removed, and the others go on.
template <typename OnModel>
std::vector<dataset::map_summary> map_all(const io::raw_data_set& raw,
                                          const std::optional<std::filesystem::path>& preprocessed,
                                          const dataset::map_options& options, dataset::classification_rule rule,
                                          std::vector<model_failure>& failures, OnModel&& on_model) {
  const auto idle = io::read_idle_power(raw.idle_power);
  std::vector<dataset::map_summary> summaries;
  progress_bar bar("mapping", raw.models.size());
  const warning_sink warn = [&](std::string_view w) { bar.warn(w); };
  for (const auto& model : raw.models) {
    bar.step(model.name);
    try {
      const auto engine = io::read_engine_info(model.engine_info);
      dataset::layer_measurements measurements(dataset::modelled_layers(engine, rule));
      std::optional<io::layerwise_mapping_writer> writer;
      const auto out_dir = preprocessed ? *preprocessed / model.name : std::filesystem::path{};
      if (preprocessed) writer.emplace(out_dir / dataset::layerwise_mapping_file_name);
      auto summary = dataset::map_model(
          model, idle, raw.idle_power, options,
          [&](const io::layerwise_row& row) {
            if (writer) writer->write(row);
            measurements.add(row);
          },
          warn);
      if (writer) {
        writer->commit();
        dataset::copy_engine_info(model.engine_info, out_dir / dataset::engine_info_file_name);
        dataset::write_join_meta(out_dir, model, options, summary);
      }
      summaries.push_back(std::move(summary));
      on_model(model, summaries.back(), measurements, engine);
    } catch (const error& e) {
      failures.push_back({model.name, e.what()});
      if (preprocessed) remove_output_of_failed(failures.back(), preprocessed_outputs(*preprocessed / model.name, model.name));
    }
  }
  return summaries;
}

inline std::string count_or_dash(std::size_t n) { return n ? std::to_string(n) : "-"; }

inline void print_layer_types(const std::map<std::string, std::size_t, std::less<>>& per_type) {
  std::string types;
  for (const auto& [type, count] : per_type) types += fmt::format(" {} {},", type, count);
  if (!types.empty()) types.pop_back();
  fmt::print("Measured layers by TensorRT type:{}\n", types.empty() ? " none" : types);
}

/// One line on how a deconvolution went.
inline void print_deconvolution(std::string_view model, const join::deconvolution_report& d) {
  const auto& g = d.grid;
  const std::string refreshes =
      g.located() ? fmt::format("refreshes located from {} of {} value changes (every {:.3f} µs, ±{:.1f} µs)",
                                g.consistent, g.changes, g.interval_us, 0.5 * (g.phase_to_us - g.phase_from_us))
                  : fmt::format("refreshes not located ({} value changes), each reading's refresh left uncertain",
                                g.changes);
  fmt::print("{}: deconvolved from {} readings, {}; idle {:.0f} µW, residual {:.0f} µW RMS; {} layer(s), {} seen by "
             "no reading (no power), {} held at idle\n",
             model, d.readings, refreshes, d.idle_power_uw, d.residual_rms_uw, d.layers, d.unseen_layers,
             d.layers_at_idle);
}

inline void print_map_summary(const std::vector<dataset::map_summary>& summaries, const dataset::map_options& options) {
  using align = text_table::align;
  text_table table({"model", "rail", "samples", "cycles", "rows", "with power", "none: before", "inside", "after",
                    "stamps fit"},
                   {align::left, align::left, align::right, align::right, align::right, align::right, align::right,
                    align::right, align::right, align::left});
  std::map<std::string, std::size_t, std::less<>> per_type;
  std::vector<const dataset::map_summary*> mismatched;
  for (const auto& s : summaries) {
    const auto& c = s.coverage;
    table.add({s.model, s.rail, std::to_string(s.samples), std::to_string(s.cycles), std::to_string(s.rows),
               std::to_string(c.with_power), count_or_dash(c.before_log), count_or_dash(c.inside_log),
               count_or_dash(c.after_log),
               s.stamp_spread.suggested_timeline.empty() ? "-" : std::string(s.stamp_spread.suggested_timeline)});
    for (const auto& [type, n] : s.layers_per_type) per_type[type] += n;
    if (!s.stamp_spread.suggested_timeline.empty() && s.stamp_spread.suggested_timeline != to_string(options.timeline))
      mismatched.push_back(&s);
  }
  fmt::print("Timeline {}, attribution {}.\n\n", to_string(options.timeline), to_string(options.attribution));
  table.print();
  fmt::print("\n");
  print_layer_types(per_type);
  for (const auto& s : summaries) {
    if (!s.unknown_layers.empty())
      fmt::print("{}: {} layer(s) not in trt_engine_info.json, typed Unknown: {}\n", s.model, s.unknown_layers.size(),
                 fmt::join(s.unknown_layers, "; "));
    if (s.refresh_interval)
      fmt::print("{}: sensor refresh interval {} µs (from the log's .meta.json)\n", s.model, s.refresh_interval->count());
    if (s.deconvolution) print_deconvolution(s.model, *s.deconvolution);
    if (s.segments > 1)
      fmt::print("{}: joined in {} stretches between clock steps (--clock-steps split); {} window(s) of cycles across "
                 "a step got no power\n",
                 s.model, s.segments, s.windows_across_steps);
    if (!s.gaps.empty())
      fmt::print("{}: {} gap(s) in the power log longer than {}; {} window(s) reaching into them got no power\n", s.model,
                 s.gaps.size(), format_duration(options.max_gap), s.windows_in_gaps);
  }
  for (const auto* s : mismatched)
    fmt::print("note: {}: per cycle the stamps spread over {:.3f} ms (median) while the layers take {:.3f} ms; "
               "--timeline {} fits this file better (docs/join.md)\n",
               s->model, s->stamp_spread.median_spread_ms, s->stamp_spread.median_latency_sum_ms,
               s->stamp_spread.suggested_timeline);
}

/// Why convert_model wrote no training data for a model, if it wrote none.
inline std::optional<std::string> skip_reason(const dataset::convert_summary& s, std::size_t min_measurements) {
  if (s.skipped()) return fmt::format("skipped: {} layer(s) below {} measurements", s.shortfalls.size(), min_measurements);
  std::size_t rows = 0;
  for (const std::size_t n : s.rows_per_kind) rows += n;
  if (rows == 0) return std::string("skipped: no layer of a modelled kind, nothing written");
  return std::nullopt;
}

inline void print_convert_summary(const std::vector<dataset::convert_summary>& summaries, std::size_t min_measurements) {
  using align = text_table::align;
  text_table table({"model", "layers", "convolutional", "pooling", "dense", "memory_bound", "training data"},
                   {align::left, align::right, align::right, align::right, align::right, align::right, align::left});
  std::map<std::string, std::size_t, std::less<>> per_type;
  for (const auto& s : summaries) {
    const auto& r = s.rows_per_kind;
    table.add({s.model, std::to_string(s.modelled_layers), count_or_dash(r[0]), count_or_dash(r[1]),
               count_or_dash(r[2]), count_or_dash(r[3]),
               skip_reason(s, min_measurements).value_or("written")});
    for (const auto& [type, n] : s.layers_per_type) per_type[type] += n;
  }
  table.print();
  fmt::print("\n");
  print_layer_types(per_type);
  for (const auto& s : summaries) {
    if (s.skipped()) {
      constexpr std::size_t shown = 8;
      std::vector<std::string> layers;
      for (std::size_t i = 0; i < s.shortfalls.size() && i < shown; ++i)
        layers.push_back(fmt::format("{} (power {}, runtime {})", s.shortfalls[i].layer_name,
                                     s.shortfalls[i].power_count, s.shortfalls[i].run_time_count));
      fmt::print("{} skipped, fewer than {} measurements: {}{}\n", s.model, min_measurements, fmt::join(layers, "; "),
                 s.shortfalls.size() > shown ? fmt::format("; and {} more", s.shortfalls.size() - shown) : "");
    }
    if (!s.not_in_engine.empty())
      fmt::print("{}: {} layer(s) not in trt_engine_info.json, left out: {}\n", s.model, s.not_in_engine.size(),
                 fmt::join(s.not_in_engine, "; "));
  }
}

/// Prints the models left out and why, and returns the exit status: exit_failure when a model
/// failed, when no model produced output (`written` is 0: then every model's reason is repeated
/// in the error, with `advice` where given) or, with `strict`, when any model was skipped.
/// `skipped` are models left out by a rule (too few measurements), with why.
inline int print_left_out(const std::vector<io::incomplete_model>& incomplete,
                          const std::vector<model_failure>& failures, std::size_t written,
                          const std::vector<model_failure>& skipped = {}, bool strict = false,
                          std::string_view advice = {}) {
  std::vector<std::string> reasons;
  for (const auto& m : incomplete) {
    fmt::print("skipped {}: {}\n", m.name, m.describe());
    reasons.push_back(fmt::format("{}: {}", m.name, m.describe()));
  }
  for (const auto& s : skipped) reasons.push_back(fmt::format("{}: {}", s.model, s.why));
  for (const auto& f : failures) {
    fmt::print(stderr, "layerwatt: error: {} failed: {}\n", f.model, f.why);
    reasons.push_back(fmt::format("{}: failed (above)", f.model));
  }
  if (written == 0) {
    fmt::print(stderr, "layerwatt: error: no model produced output:\n  {}\n", fmt::join(reasons, "\n  "));
    if (!advice.empty()) fmt::print(stderr, "{}\n", advice);
    return exit_failure;
  }
  if (!failures.empty()) return exit_failure;
  if (strict && (!incomplete.empty() || !skipped.empty())) {
    fmt::print(stderr, "layerwatt: error: {} model(s) skipped (--strict)\n", incomplete.size() + skipped.size());
    return exit_failure;
  }
  return exit_ok;
}

/// The models convert_model wrote no training data for, with why.
inline std::vector<model_failure> skipped_models(const std::vector<dataset::convert_summary>& converted,
                                                 std::size_t min_measurements) {
  std::vector<model_failure> out;
  for (const auto& s : converted)
    if (auto why = skip_reason(s, min_measurements)) out.push_back({s.model, std::move(*why)});
  return out;
}

/// True when every model converted was skipped for too few measurements (and there was one).
inline bool all_short_of_measurements(const std::vector<dataset::convert_summary>& converted) {
  return !converted.empty() && std::all_of(converted.begin(), converted.end(), [](const auto& s) { return s.skipped(); });
}

/// What to try when every model was skipped for too few measurements.
inline constexpr std::string_view too_few_measurements_advice =
    "Every model lacks measurements for some layers: record more cycles, lower --min-measurements, or map with "
    "--attribution interpolated or deconvolved, which give every window inside the power log a power (window-mean "
    "gives none to a layer shorter than the sampling period).";

}  // namespace layerwatt::cli
