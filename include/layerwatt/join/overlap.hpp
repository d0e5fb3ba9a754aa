#pragma once
// Do the layer windows and the power log cover the same time? When the profiler and the logger
// stamp on different clocks — a benchmark in a Docker container (UTC) beside a logger on the host
// (local time), two machines, a log of another run — no window falls inside the log and every row
// would be written without power. overlap_of() counts the windows that reach into the log's time
// range and measures by how much the two ranges miss; describe_overlap() says so in words, naming a
// shift by a whole number of hours (or quarter hours) as the likely time-zone mistake.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>

#include <fmt/format.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/join/join.hpp"

namespace layerwatt::join {

/// Below this share of windows reaching into the log's time range, the two are taken not to overlap.
inline constexpr double min_overlap_share = 0.5;

struct time_range {
  time_stamp first, last;
};

struct overlap_report {
  std::size_t windows = 0;
  std::size_t overlapping = 0;  ///< windows reaching into their power segment's time range
  std::optional<time_range> windows_span, log_span;  ///< empty without windows, or without samples
  /// A non-zero multiple of 15 min that moves the windows inside the log (a time-zone difference),
  /// where there is one: add it to the latency stamps (--clock-offset).
  std::optional<microseconds> likely_offset;

  [[nodiscard]] double share_overlapping() const noexcept {
    return windows ? static_cast<double>(overlapping) / static_cast<double>(windows) : 1.0;
  }
  /// True when no window, or fewer than min_overlap_share of them, reaches into the log.
  [[nodiscard]] bool poor() const noexcept { return windows > 0 && share_overlapping() < min_overlap_share; }
};

namespace detail {

/// The multiple of 15 min, not 0, within [lo − 1 min, hi + 1 min] nearest to their middle.
inline std::optional<microseconds> quarter_hour_in(microseconds lo, microseconds hi) {
  constexpr std::int64_t quarter = 15 * 60'000'000LL, slack = 60'000'000;
  const std::int64_t from = lo.count() - slack, to = hi.count() + slack, middle = (lo.count() + hi.count()) / 2;
  std::int64_t k = middle / quarter;
  std::optional<microseconds> best;
  for (std::int64_t candidate : {k - 1, k, k + 1}) {
    const std::int64_t shift = candidate * quarter;
    if (candidate == 0 || shift < from || shift > to || std::llabs(candidate) > 26 * 4) continue;
    if (!best || std::llabs(shift - middle) < std::llabs(best->count() - middle)) best = microseconds{shift};
  }
  return best;
}

}  // namespace detail

/// How the windows of `result` lie against the samples it was joined with.
inline overlap_report overlap_of(const joined& result, std::span<const io::power_sample> samples) {
  overlap_report r;
  r.windows = result.windows.size();
  for (const auto& segment : result.segments) {
    if (segment.samples_begin == segment.samples_end) continue;
    const auto [first, last] = std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(segment.samples_begin),
                                                   samples.begin() + static_cast<std::ptrdiff_t>(segment.samples_end),
                                                   [](const auto& a, const auto& b) { return a.t < b.t; });
    for (std::size_t i = segment.entries_begin; i < segment.entries_end; ++i)
      r.overlapping += result.windows[i].end >= first->t && result.windows[i].start <= last->t;
  }
  for (const auto& w : result.windows) {
    if (!r.windows_span) r.windows_span = time_range{w.start, w.end};
    r.windows_span->first = std::min(r.windows_span->first, w.start);
    r.windows_span->last = std::max(r.windows_span->last, w.end);
  }
  for (const auto& s : samples) {
    if (!r.log_span) r.log_span = time_range{s.t, s.t};
    r.log_span->first = std::min(r.log_span->first, s.t);
    r.log_span->last = std::max(r.log_span->last, s.t);
  }
  if (r.windows_span && r.log_span) {
    // Shifts that put the windows' range inside the log's: [lo, hi] (or, for windows spanning
    // longer than the log, the shifts between which the overlap is greatest).
    const microseconds lo = r.log_span->first - r.windows_span->first, hi = r.log_span->last - r.windows_span->last;
    r.likely_offset = detail::quarter_hour_in(std::min(lo, hi), std::max(lo, hi));
  }
  return r;
}

/// What the report says, in a sentence or three: how many windows reach into the log, both time ranges,
/// by how much they miss, and the likely offset.
inline std::string describe_overlap(const overlap_report& r) {
  std::string text =
      fmt::format("{} of {} layer windows reach into the power log's time range", r.overlapping, r.windows);
  if (!r.log_span) return text + ": the power log has no samples";
  if (!r.windows_span) return text;
  const auto& w = *r.windows_span;
  const auto& l = *r.log_span;
  text += fmt::format(": the windows span {} to {}, the log {} to {}", layerwatt::to_string(w.first), layerwatt::to_string(w.last),
                      layerwatt::to_string(l.first), layerwatt::to_string(l.last));
  if (w.last < l.first) text += fmt::format("; the windows end {} before the log begins", format_duration(l.first - w.last));
  else if (w.first > l.last) text += fmt::format("; the windows begin {} after the log ends", format_duration(w.first - l.last));
  else {
    if (w.first < l.first) text += fmt::format("; the windows begin {} before the log", format_duration(l.first - w.first));
    if (w.last > l.last) text += fmt::format("; they end {} after it", format_duration(w.last - l.last));
  }
  if (r.likely_offset)
    text += fmt::format(
        ". Moved by {} they fit inside it: the profiler's and the logger's clocks differ by a time zone (a benchmark "
        "in a Docker container runs in UTC unless TZ is passed in)? --clock-offset {} moves the latency stamps onto "
        "the log's clock",
        format_duration(*r.likely_offset), format_duration_option(*r.likely_offset));
  return text;
}

}  // namespace layerwatt::join
