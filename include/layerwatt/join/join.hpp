#pragma once
// join(): every layer of every inference cycle, with its window and the power drawn in it.
//
//   const auto latencies = io::read_layer_latencies(".../trt_layer_latency.json");
//   const auto samples = io::load_power_samples(".../resnet18_power_log.log");
//   const auto joined = join::join(latencies, {samples, refresh});  // end_stamp + window_mean
//   const auto other = join::join(latencies, {samples, refresh}, join::back_to_back{}, join::interpolated{});
//   join::for_each_row(joined, latencies, [](const join::join_row& row) { ... });
//
// Processing order is the reference's: cycle k holds the k-th entry of every layer's list, the
// layers of a cycle in the file's (execution) order. A layer with fewer entries than the others
// is simply absent from the later cycles. The result holds three arrays of one element per
// (cycle, layer) entry and nothing per row on the heap: rows refer to the latencies' names.
//
// Time integrity is checked for every policy (time_integrity.hpp): a backward step in either
// series stops the join unless the options say to split both at their steps; windows reaching
// into a forward gap of the log get no power. The options also shift the latency stamps onto
// the log's clock (a known offset between the two).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/join/attribution.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/layer_window.hpp"
#include "layerwatt/join/power_signal.hpp"
#include "layerwatt/join/time_integrity.hpp"
#include "layerwatt/join/timeline.hpp"
#include "layerwatt/join/window_mean.hpp"

namespace layerwatt::join {

/// How join() treats time: clock steps, gaps in the log, an offset between the two clocks.
struct join_options {
  clock_step_policy clock_steps = clock_step_policy::error;
  /// A forward gap between two samples longer than this is a hole in the log: windows reaching
  /// into it get no power.
  microseconds max_gap = default_max_gap;
  /// Added to every latency stamp: moves the profiler's clock onto the logger's (+1 h for stamps
  /// that read an hour earlier than the log's).
  microseconds clock_offset{0};
  /// How error messages name a power sample (0-based index in the log) and a latency entry; by
  /// default "power sample N" and "layer "x", cycle N". A caller that has the files says file:line.
  std::function<std::string(std::size_t)> name_sample = {};
  std::function<std::string(entry_index)> name_entry = {};
};

struct joined {
  std::vector<entry_index> entries;   ///< processing order
  std::vector<layer_window> windows;  ///< windows[i] belongs to entries[i]; clock offset applied
  std::vector<double> power_uw;       ///< power_uw[i] for windows[i], idle included; no_power if none
  std::size_t cycles = 0;
  std::size_t shortest_list = 0, longest_list = 0;  ///< entries per layer; they differ in a ragged file
  std::optional<microseconds> refresh_interval;     ///< carried from the power signal
  std::string_view timeline, attribution;           ///< the policies' names
  /// The monotonic stretches joined with each other: one, unless split at clock steps.
  std::vector<time_segment> segments;
  std::vector<time_step> power_steps, latency_steps;  ///< backward steps split at (split policy only)
  std::vector<time_gap> gaps;                         ///< forward gaps of the log longer than max_gap
  std::size_t windows_in_gaps = 0;       ///< windows reaching into a gap: no power
  std::size_t windows_across_steps = 0;  ///< windows of cycles straddling a step: no power
};

/// The longest latency the join accepts; anything longer is a unit mistake, not a layer.
inline constexpr double max_latency_ms = 86'400'000.0;

namespace detail {

inline void check_latencies(const io::layer_latencies& latencies) {
  if (!latencies.stamped)
    throw error("the layer latencies have no time stamps (the bare-list form of desktop runs); power can be "
                "mapped to layers only from [latency_ms, \"time stamp\"] entries");
  if (latencies.layers.size() > UINT32_MAX) throw error("more layers than the join can index");
  for (const auto& layer : latencies.layers) {
    if (layer.end_stamps.size() != layer.latency_ms.size())
      throw error(fmt::format("layer \"{}\" has {} latencies but {} time stamps", layer.name, layer.latency_ms.size(),
                              layer.end_stamps.size()));
    if (layer.latency_ms.size() > UINT32_MAX) throw error("more cycles than the join can index");
    for (std::size_t c = 0; c < layer.latency_ms.size(); ++c) {
      const double ms = layer.latency_ms[c];
      if (!(ms >= 0 && ms <= max_latency_ms))
        throw error(fmt::format("layer \"{}\", cycle {}: expected a latency in [0, {}] ms, got {}", layer.name, c + 1,
                                max_latency_ms, ms));
    }
  }
}

/// Refuses a log too sparse for per-layer power, finds the backward steps of both series and
/// either throws (clock_step_policy::error) or cuts both into paired segments.
inline void check_time(joined& out, const io::layer_latencies& latencies, std::span<const io::power_sample> samples,
                       const join_options& options) {
  if (const auto pace = io::median_sample_interval(samples); pace && *pace >= slowest_per_layer_sampling)
    throw error(fmt::format(
        "the power log's samples are {} apart (median), far slower than layers run (µs to ms): no attribution can "
        "give a layer its power from it. Such a log (tegrastats prints a line a second) serves a board's idle power "
        "and a network's energy over a run; per-layer power needs a log taken at the sensor's pace (layerwatt log)",
        format_duration(*pace)));
  auto power_steps = find_backward_steps(samples.size(), [&](std::size_t i) { return samples[i].t; });
  auto latency_steps = find_backward_steps(out.entries.size(), [&](std::size_t i) {
    const entry_index e = out.entries[i];
    return latencies.layers[e.layer].end_stamps[e.cycle];
  });
  if (power_steps.empty() && latency_steps.empty()) {
    out.segments = {{0, out.entries.size(), 0, samples.size()}};
    return;
  }
  const std::function<std::string(std::size_t)> name_sample =
      options.name_sample ? options.name_sample : [](std::size_t i) { return fmt::format("power sample {}", i + 1); };
  const std::function<std::string(std::size_t)> name_entry = [&](std::size_t i) {
    const entry_index e = out.entries[i];
    return options.name_entry ? options.name_entry(e)
                              : fmt::format("layer \"{}\", cycle {}", latencies.layers[e.layer].name, e.cycle + 1);
  };
  if (options.clock_steps == clock_step_policy::error)
    throw error(describe_clock_steps(power_steps, latency_steps, name_sample, name_entry));
  out.segments = pair_segments(power_steps, latency_steps, out.entries.size(), samples.size(), name_sample, name_entry);
  out.power_steps = std::move(power_steps);
  out.latency_steps = std::move(latency_steps);
}

/// Gives no power to every window of a cycle whose entries straddle a segment boundary.
inline void drop_cycles_across_steps(joined& out) {
  for (std::size_t k = 1; k < out.segments.size(); ++k) {
    const std::size_t boundary = out.segments[k].entries_begin;
    if (boundary == 0 || boundary >= out.entries.size() ||
        out.entries[boundary - 1].cycle != out.entries[boundary].cycle)
      continue;
    const std::uint32_t cycle = out.entries[boundary].cycle;
    std::size_t first = boundary, last = boundary;
    while (first > 0 && out.entries[first - 1].cycle == cycle) --first;
    while (last < out.entries.size() && out.entries[last].cycle == cycle) ++last;
    for (std::size_t i = first; i < last; ++i) out.power_uw[i] = no_power;
    out.windows_across_steps += last - first;
  }
}

/// Gives no power to every window of `segment` that reaches into one of its gaps.
inline void drop_windows_in_gaps(joined& out, const time_segment& segment, std::span<const time_gap> gaps) {
  if (gaps.empty()) return;
  for (std::size_t i = segment.entries_begin; i < segment.entries_end; ++i) {
    const layer_window& w = out.windows[i];
    // the first gap ending after the window starts: if it does not reach into the window, no later one does
    const auto g = std::upper_bound(gaps.begin(), gaps.end(), w.start,
                                    [](time_stamp t, const time_gap& gap) { return t < gap.to; });
    if (g != gaps.end() && g->from < w.end) out.power_uw[i] = no_power, ++out.windows_in_gaps;
  }
}

}  // namespace detail

/// Lays out every window with `timeline` (each moved by options.clock_offset), checks the time
/// integrity of both series, then attributes power to all windows with `attribution` (by default
/// the reference's: end_stamp, window_mean), segment by segment. Throws layerwatt::error (naming
/// the layer and cycle, or the sample) for latencies without stamps, negative or absurd latencies,
/// a backward step in either series under clock_step_policy::error, steps that cannot be paired
/// under split, and whatever the attribution policy cannot use.
template <timeline_policy Timeline = end_stamp, attribution_policy Attribution = window_mean>
joined join(const io::layer_latencies& latencies, const power_signal& signal, const Timeline& timeline = {},
            Attribution attribution = {}, const join_options& options = {}) {
  detail::check_latencies(latencies);
  joined out;
  out.refresh_interval = signal.refresh_interval;
  out.timeline = Timeline::name;
  out.attribution = Attribution::name;
  std::size_t total = 0;
  if (!latencies.layers.empty()) out.shortest_list = latencies.layers.front().latency_ms.size();
  for (const auto& layer : latencies.layers) {
    total += layer.latency_ms.size();
    out.shortest_list = std::min(out.shortest_list, layer.latency_ms.size());
    out.longest_list = std::max(out.longest_list, layer.latency_ms.size());
  }
  out.cycles = out.longest_list;
  out.entries.reserve(total);
  out.windows.resize(total);
  std::vector<timed_latency> cycle;
  cycle.reserve(latencies.layers.size());
  std::size_t done = 0;
  for (std::size_t c = 0; c < out.cycles; ++c) {
    cycle.clear();
    for (std::size_t l = 0; l < latencies.layers.size(); ++l) {
      const auto& layer = latencies.layers[l];
      if (c >= layer.latency_ms.size()) continue;
      cycle.push_back({layer.latency_ms[c], layer.end_stamps[c] + options.clock_offset});
      out.entries.push_back({static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(c)});
    }
    timeline.lay_out(std::span<const timed_latency>(cycle), std::span(out.windows).subspan(done, cycle.size()));
    done += cycle.size();
  }

  const auto samples = signal.samples;
  detail::check_time(out, latencies, samples, options);

  out.power_uw.assign(total, no_power);
  std::vector<time_gap> gaps;
  for (const time_segment& segment : out.segments) {
    const std::size_t windows_count = segment.entries_end - segment.entries_begin;
    const power_signal part{samples.subspan(segment.samples_begin, segment.samples_end - segment.samples_begin),
                            signal.refresh_interval};
    const auto windows = std::span<const layer_window>(out.windows).subspan(segment.entries_begin, windows_count);
    const auto power = std::span(out.power_uw).subspan(segment.entries_begin, windows_count);
    if constexpr (layer_aware_attribution<Attribution>)
      attribution.attribute(part, windows,
                            std::span<const entry_index>(out.entries).subspan(segment.entries_begin, windows_count), power);
    else
      attribution.attribute(part, windows, power);
    gaps.clear();
    find_gaps(samples, segment.samples_begin, segment.samples_end, options.max_gap, gaps);
    detail::drop_windows_in_gaps(out, segment, gaps);
    out.gaps.insert(out.gaps.end(), gaps.begin(), gaps.end());
  }
  detail::drop_cycles_across_steps(out);
  return out;
}

/// One row of the join: a layer in a cycle. Views into the latencies; valid during the call.
struct join_row {
  std::int64_t cycle;  ///< 1-based, as the reference writes it
  std::size_t layer;   ///< index into layer_latencies::layers
  std::string_view layer_name;
  layer_window window;
  double latency_ms;
  std::optional<double> power_uw;  ///< idle included
};

/// Calls sink(const join_row&) for every entry, in processing order. `latencies` must be the
/// ones `result` was joined from.
template <typename Sink>
void for_each_row(const joined& result, const io::layer_latencies& latencies, Sink&& sink) {
  for (std::size_t i = 0; i < result.entries.size(); ++i) {
    const auto [l, c] = result.entries[i];
    const auto& layer = latencies.layers[l];
    const double p = result.power_uw[i];
    sink(join_row{static_cast<std::int64_t>(c) + 1, l, layer.name, result.windows[i], layer.latency_ms[c],
                  std::isnan(p) ? std::nullopt : std::optional<double>(p)});
  }
}

/// Where the windows without power lie relative to the log (to their own segment of it).
struct coverage {
  std::size_t windows = 0, with_power = 0;
  std::size_t before_log = 0;  ///< ends before the first sample (no power, or the log started late)
  std::size_t after_log = 0;   ///< starts after the last sample (the log stopped early)
  std::size_t inside_log = 0;  ///< in the log's span, yet no power (shorter than the sampling period)
  std::size_t in_gaps = 0;     ///< of inside_log: reaching into a gap of the log, or across a clock step
  [[nodiscard]] std::size_t without_power() const noexcept { return windows - with_power; }
};

inline coverage coverage_of(const joined& result, std::span<const io::power_sample> samples) {
  coverage c;
  c.windows = result.windows.size();
  c.in_gaps = result.windows_in_gaps + result.windows_across_steps;
  for (const auto& segment : result.segments) {
    const auto part = samples.subspan(segment.samples_begin, segment.samples_end - segment.samples_begin);
    const auto [first, last] = std::minmax_element(part.begin(), part.end(),
                                                   [](const auto& a, const auto& b) { return a.t < b.t; });
    for (std::size_t i = segment.entries_begin; i < segment.entries_end; ++i) {
      if (!std::isnan(result.power_uw[i])) {
        ++c.with_power;
        continue;
      }
      const layer_window& w = result.windows[i];
      if (part.empty() || w.start > last->t) ++c.after_log;
      else if (w.end < first->t) ++c.before_log;
      else ++c.inside_log;
    }
  }
  return c;
}

}  // namespace layerwatt::join
