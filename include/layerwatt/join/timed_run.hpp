#pragma once
// A trtexec timed run joined with a power log: what a long loop of one network measures well on
// any board — its latency, and its mean power and energy per inference.
//
// **Alignment.** trtexec's --exportTimes gives each inference's times in ms since its own zero
// (`cpuStart`, io/trtexec_times.hpp), not on any wall clock. Its output places that zero: it
// prints "Starting inference" just before taking it, and "Warmup completed ..." only after the
// last inference has ended (it syncs, joins its threads and sorts the trace first). With each
// output line stamped when it reached us, the zero lies in
//
//   [stamp(Starting inference), stamp(Warmup completed) − last inference's end]
//
// We take the middle and call half the bracket's width (plus half a step of trtexec's six-digit
// times) the uncertainty: the zero is within ± that of the estimate. The bracket is what trtexec
// does outside its timed loop — creating a stream and events before, syncing and sorting the
// trace after — typically a few ms; it is measured anew for every run. A bracket that is negative
// (the times do not fit between the lines) means the clocks disagree, and is an error.
//
// **Window and trimming.** The timed inferences run from the first H2D start to the last D2H end
// (trtexec's own "Total Host Walltime"); the warm-up before them is left out by trtexec already.
// The energy window is that span less `trim` at each end: the trim must cover the alignment's
// uncertainty (so the window lies inside the run whichever way the error goes). Sensors average
// over the past (the INA3221 over its conversion window, NVML's power usage over 1 s), so a
// reading inside the window describes the run or the warm-up before it, both the same load: no
// more trimming is needed for them, provided the warm-up is longer than the sensor's window.
//
// **Energy.** The power log is a step signal: each sample holds until the next one (the last one
// for one median sample interval). The energy in the window is its integral, the mean power that
// over the window's length; a gap between samples longer than `max_gap` inside the window is an
// error (nothing was measured there). Inferences are counted by time too: inference i owns the
// time from its start to the next one's, and counts by the share of that inside the window. The
// energy per inference is the window's energy over its inferences — **total** (idle included) —
// and **above idle**: less the idle power over the same time. A board rail measures everything
// on it: the CPU running trtexec's host thread (spinning at full load with --useSpinWait),
// memory, and the GPU.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/trtexec_times.hpp"

namespace layerwatt::join {

/// Where trtexec's zero lies on the log's clock.
struct trtexec_alignment {
  time_stamp origin;            ///< the estimate: the bracket's middle
  time_stamp earliest, latest;  ///< the bracket
  microseconds uncertainty{0};  ///< the zero is within origin ± uncertainty
};

/// The time `ms` after trtexec's zero, on the log's clock (to the µs).
inline time_stamp at_trtexec_ms(time_stamp origin, double ms) {
  return origin + microseconds{static_cast<std::int64_t>(std::llround(ms * 1000))};
}

/// `started`: when "Starting inference" reached us; `finished`: when the first line after the
/// timed run did ("Warmup completed ..."); `last_end_ms`: the last inference's end on trtexec's
/// clock (io::last_end_ms). An error when the times do not fit between the two lines.
inline trtexec_alignment align_trtexec_run(time_stamp started, time_stamp finished, double last_end_ms) {
  const double step_ms = io::trtexec_time_resolution_ms(last_end_ms);
  const time_stamp latest = at_trtexec_ms(finished, -last_end_ms);
  const auto slack = microseconds{static_cast<std::int64_t>(std::ceil(step_ms * 1000))};
  if (latest + slack < started)
    throw error(fmt::format(
        "trtexec's times do not fit between its output lines: its last inference ended {} after its zero, but "
        "\"Warmup completed\" reached us only {} after \"Starting inference\" (at {}): trtexec's clock and ours "
        "differ (a clock step during the run?)",
        format_duration(microseconds{std::llround(last_end_ms * 1000)}), format_duration(finished - started),
        layerwatt::to_string(started)));
  trtexec_alignment a;
  a.earliest = started;
  a.latest = std::max(latest, started);
  a.origin = a.earliest + (a.latest - a.earliest) / 2;
  a.uncertainty = (a.latest - a.earliest + microseconds{1}) / 2 + slack / 2;
  return a;
}

/// The power over a window of a log held as a step signal.
struct window_power {
  std::size_t samples = 0;  ///< samples whose step overlaps the window
  double mean_power_uw = 0;
  double energy_mj = 0;     ///< ∫ power over the window, idle included
};

/// The step signal's integral over [from, to]: each sample holds until the next, the last for one
/// median interval. Errors: samples out of time order, a log that starts after `from` or ends
/// before `to`, a gap longer than `max_gap` inside the window, an empty window.
inline window_power power_over_window(std::span<const io::power_sample> samples, time_stamp from, time_stamp to,
                                      microseconds max_gap) {
  if (to <= from) throw error(fmt::format("an empty window: {} to {}", layerwatt::to_string(from), layerwatt::to_string(to)));
  const auto median = io::median_sample_interval(samples);
  if (!median || samples.front().t > from)
    throw error(fmt::format("the power log ({}) does not cover the window's start {}",
                            samples.empty() ? std::string{"no sample"}
                                            : fmt::format("{} samples from {}", samples.size(), layerwatt::to_string(samples.front().t)),
                            layerwatt::to_string(from)));
  if (const time_stamp log_end = samples.back().t + *median; log_end < to)
    throw error(fmt::format("the power log ends at {}, before the window's end {}", layerwatt::to_string(log_end), layerwatt::to_string(to)));
  window_power out;
  double energy_uw_us = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const time_stamp begin = samples[i].t;
    const time_stamp end = i + 1 < samples.size() ? samples[i + 1].t : begin + *median;
    if (end < begin)
      throw error(fmt::format("power sample {} ({}) comes before the one ahead of it ({}): samples out of time order",
                              i + 1, layerwatt::to_string(end), layerwatt::to_string(begin)));
    if (end <= from) continue;
    if (begin >= to) break;
    if (end - begin > max_gap)
      throw error(fmt::format("the power log has a gap of {} inside the window (from {} to {}), longer than {}: "
                              "nothing was measured there",
                              format_duration(end - begin), layerwatt::to_string(begin), layerwatt::to_string(end), format_duration(max_gap)));
    const auto overlap = std::min(end, to) - std::max(begin, from);
    energy_uw_us += samples[i].power_uw * static_cast<double>(overlap.count());
    ++out.samples;
  }
  out.energy_mj = energy_uw_us / 1e9;  // µW·µs = 1e-12 J = 1e-9 mJ
  out.mean_power_uw = energy_uw_us / static_cast<double>((to - from).count());
  return out;
}

/// Inferences inside [from, to], each owning the time from its start to the next one's start (the
/// last: to its end), counted by the share of that inside.
inline double inferences_in_window(std::span<const time_stamp> starts, time_stamp last_end, time_stamp from,
                                   time_stamp to) {
  double count = 0;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const time_stamp begin = starts[i], end = i + 1 < starts.size() ? starts[i + 1] : last_end;
    if (end <= begin) {
      count += begin >= from && begin < to;
      continue;
    }
    const auto overlap = std::min(end, to) - std::max(begin, from);
    if (overlap.count() > 0) count += static_cast<double>(overlap.count()) / static_cast<double>((end - begin).count());
  }
  return count;
}

struct timed_run_options {
  microseconds trim{1'000'000};  ///< cut from each end of the timed inferences
  /// A longer gap between power samples inside the window is an error; default: 1 s, or three
  /// median sample intervals if that is longer (tegrastats).
  std::optional<microseconds> max_gap{};
};

/// Throws error unless a trim of `trim` at each end leaves part of a timed run of `duration`
/// (trtexec's --duration; the run lasts about that long): a campaign checks it before it measures
/// anything, rather than failing each network's analysis after its run.
inline void check_trim_fits(microseconds trim, microseconds duration) {
  if (2 * trim >= duration)
    throw error(fmt::format("a trim of {} at each end leaves nothing of a {} timed run: trim less than half the "
                            "duration",
                            format_duration(trim), format_duration(duration)));
}

struct timed_run {
  trtexec_alignment alignment;
  time_stamp first_start, last_end;     ///< the timed inferences, on the log's clock
  time_stamp window_start, window_end;  ///< trimmed
  microseconds trim{0};
  std::size_t inferences = 0;           ///< timed (after the warm-up)
  double inferences_in_window = 0;
  double latency_mean_ms = 0, latency_median_ms = 0;  ///< trtexec's latencyMs
  double compute_mean_ms = 0, compute_median_ms = 0;  ///< trtexec's computeMs
  double throughput_qps = 0;            ///< inferences over the host walltime, as trtexec reports it
  window_power power;                   ///< over the window
  double idle_power_uw = 0;
  double energy_per_inference_total_mj = 0, energy_per_inference_above_idle_mj = 0;
};

namespace detail {

inline double median_of(std::vector<double> v) {
  const std::size_t n = v.size(), mid = n / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (n % 2) return v[mid];
  return (v[mid] + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
}

}  // namespace detail

/// Joins a timed run's `times` with `power` (µW, time order) through the two output stamps (see
/// align_trtexec_run), taking `idle_power_uw` as the idle power of the same rail.
inline timed_run join_timed_run(std::span<const io::trtexec_inference> times, time_stamp started, time_stamp finished,
                                std::span<const io::power_sample> power, double idle_power_uw,
                                const timed_run_options& options = {}) {
  if (times.empty()) throw error("a timed run without inferences");
  timed_run r;
  r.alignment = align_trtexec_run(started, finished, io::last_end_ms(times));
  r.trim = options.trim;
  if (options.trim < r.alignment.uncertainty)
    throw error(fmt::format("trtexec's zero is placed on the log's clock only to ±{}; trim at least that much from "
                            "each end of the run (the trim is {})",
                            format_duration(r.alignment.uncertainty), format_duration(options.trim)));
  std::vector<io::trtexec_inference> ordered(times.begin(), times.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.start_h2d_ms < b.start_h2d_ms; });
  std::vector<time_stamp> starts;
  starts.reserve(ordered.size());
  double last_ms = 0;
  std::vector<double> latency, compute;
  latency.reserve(ordered.size());
  compute.reserve(ordered.size());
  for (const auto& t : ordered) {
    starts.push_back(at_trtexec_ms(r.alignment.origin, t.start_h2d_ms));
    last_ms = std::max(last_ms, t.end_d2h_ms);
    latency.push_back(t.latency_ms);
    compute.push_back(t.compute_ms);
  }
  r.inferences = ordered.size();
  const auto mean = [](const std::vector<double>& v) {
    double sum = 0;
    for (const double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  };
  r.latency_mean_ms = mean(latency);
  r.latency_median_ms = detail::median_of(latency);
  r.compute_mean_ms = mean(compute);
  r.compute_median_ms = detail::median_of(compute);
  const double walltime_ms = last_ms - ordered.front().start_h2d_ms;
  r.throughput_qps = walltime_ms > 0 ? static_cast<double>(r.inferences) / walltime_ms * 1000 : 0;

  r.first_start = starts.front();
  r.last_end = at_trtexec_ms(r.alignment.origin, last_ms);
  r.window_start = r.first_start + options.trim;
  r.window_end = r.last_end - options.trim;
  if (r.window_end <= r.window_start)
    throw error(fmt::format("the timed run lasted {}, not more than the {} trimmed from each end: run longer "
                            "(trtexec --duration) or trim less",
                            format_duration(r.last_end - r.first_start), format_duration(options.trim)));
  r.inferences_in_window = inferences_in_window(starts, r.last_end, r.window_start, r.window_end);
  if (r.inferences_in_window <= 0) throw error("no inference inside the trimmed window");
  const auto median = io::median_sample_interval(power);
  const microseconds max_gap =
      options.max_gap.value_or(std::max(microseconds{1'000'000}, median ? *median * 3 : microseconds{0}));
  r.power = power_over_window(power, r.window_start, r.window_end, max_gap);
  r.idle_power_uw = idle_power_uw;
  const double window_us = static_cast<double>((r.window_end - r.window_start).count());
  r.energy_per_inference_total_mj = r.power.energy_mj / r.inferences_in_window;
  r.energy_per_inference_above_idle_mj =
      (r.power.energy_mj - idle_power_uw * window_us / 1e9) / r.inferences_in_window;
  return r;
}

}  // namespace layerwatt::join
