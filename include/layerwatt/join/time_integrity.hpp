#pragma once
// Time integrity of a join: the power log and the latency stamps must run forward on one clock.
//
// A wall clock can step back mid-run (a Jetson without an RTC battery corrected by NTP, a DST
// fall-back). Both files then carry the step, and an attribution that takes samples in file
// order gives windows after it the power of other layers. So every backward step is found — in
// the power log's samples in file order, and in the latency stamps in processing order (cycle by
// cycle, the layers of a cycle in execution order) — and either stops the join (the default) or,
// with clock_step_policy::split, both series are cut at their steps into monotonic segments,
// paired by order: latency segment k is joined only with power segment k. A cycle whose stamps
// straddle a step gets no power (its layers were laid out on two clocks).
//
// A forward gap in the power log (a stalled logger, a suspended board) longer than a threshold is
// reported, and windows reaching into it get no power: nothing was measured there. Gaps between
// latency stamps are normal (the benchmark's warm-up, its host work).

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/join/layer_window.hpp"

namespace layerwatt::join {

/// What a backward step in either series does to the join.
enum class clock_step_policy {
  error,  ///< stop, naming where each series steps back and by how much
  split,  ///< cut both series at their steps; join segment k of one with segment k of the other
};

constexpr std::string_view to_string(clock_step_policy p) noexcept { return p == clock_step_policy::error ? "error" : "split"; }

/// The forward gap in a power log above which nothing is taken to have been measured.
inline constexpr microseconds default_max_gap{1'000'000};

/// A power log sampled this sparsely cannot give a layer its power: layers last µs to ms, and a
/// reading every half second or more (tegrastats prints one a second) spans many inferences.
inline constexpr microseconds slowest_per_layer_sampling{500'000};

/// A backward step: the element at `index` (0-based, in the series' order) is `before − after`
/// earlier than the one before it.
struct time_step {
  std::size_t index = 0;
  time_stamp before, after;
  [[nodiscard]] microseconds size() const noexcept { return before - after; }
};

/// A forward gap in the power log: samples `index − 1` and `index` are more than the threshold
/// apart; nothing is known in between.
struct time_gap {
  std::size_t index = 0;
  time_stamp from, to;
  [[nodiscard]] microseconds size() const noexcept { return to - from; }
};

/// Every backward step of a series of `count` stamps, `stamp_at(i)` the i-th.
template <typename StampAt>
std::vector<time_step> find_backward_steps(std::size_t count, StampAt&& stamp_at) {
  std::vector<time_step> steps;
  if (count == 0) return steps;
  time_stamp previous = stamp_at(std::size_t{0});
  for (std::size_t i = 1; i < count; ++i) {
    const time_stamp t = stamp_at(i);
    if (t < previous) steps.push_back({i, previous, t});
    previous = t;
  }
  return steps;
}

/// Every gap longer than `max_gap` between consecutive samples of `samples[begin, end)`.
inline void find_gaps(std::span<const io::power_sample> samples, std::size_t begin, std::size_t end,
                      microseconds max_gap, std::vector<time_gap>& out) {
  for (std::size_t i = begin + 1; i < end; ++i)
    if (samples[i].t - samples[i - 1].t > max_gap) out.push_back({i, samples[i - 1].t, samples[i].t});
}

/// One stretch of both series between clock steps: entries [entries_begin, entries_end) of the
/// processing order and samples [samples_begin, samples_end) of the log.
struct time_segment {
  std::size_t entries_begin = 0, entries_end = 0;
  std::size_t samples_begin = 0, samples_end = 0;
};

namespace detail {

inline std::string describe_step(std::string_view where, const time_step& s) {
  return fmt::format("{}: time steps backward by {} ({} after {})", where, format_duration(s.size()), layerwatt::to_string(s.after),
                     layerwatt::to_string(s.before));
}

inline std::string more_steps(std::size_t count) {
  return count > 1 ? fmt::format(" (and {} more step(s))", count - 1) : std::string{};
}

}  // namespace detail

/// The message of a clock-step error: where each series steps back first, how many steps each
/// has, and what to do.
inline std::string describe_clock_steps(const std::vector<time_step>& power, const std::vector<time_step>& latency,
                                        const std::function<std::string(std::size_t)>& name_sample,
                                        const std::function<std::string(std::size_t)>& name_entry) {
  std::string text;
  if (!power.empty()) text = detail::describe_step(name_sample(power.front().index), power.front()) + detail::more_steps(power.size());
  if (!latency.empty()) {
    if (!text.empty()) text += "; the latency stamps step back too: ";
    text += detail::describe_step(name_entry(latency.front().index), latency.front()) + detail::more_steps(latency.size());
  } else {
    text += "; the latency stamps do not (a step shorter than the pauses between them leaves them in order, and "
            "which of them came after it cannot then be told)";
  }
  return text + ". The wall clock was stepped back (NTP correcting a board without an RTC battery, a DST change?): "
                "samples taken in file order would give windows after the step another layer's power. "
                "--clock-steps split joins each stretch between steps with its own (both files must step alike)";
}

/// Cuts both series at their backward steps and pairs the segments by order. An error when the
/// two have different numbers of steps (they cannot then be paired), naming each step.
inline std::vector<time_segment> pair_segments(const std::vector<time_step>& power, const std::vector<time_step>& latency,
                                               std::size_t entries, std::size_t samples,
                                               const std::function<std::string(std::size_t)>& name_sample,
                                               const std::function<std::string(std::size_t)>& name_entry) {
  if (power.size() != latency.size()) {
    constexpr std::size_t shown = 5;  // naming an entry may read its file again
    std::string listed;
    for (std::size_t k = 0; k < power.size() && k < shown; ++k)
      listed += "\n  " + detail::describe_step(name_sample(power[k].index), power[k]);
    for (std::size_t k = 0; k < latency.size() && k < shown; ++k)
      listed += "\n  " + detail::describe_step(name_entry(latency[k].index), latency[k]);
    throw error(fmt::format("the power log steps back in time {} time(s), the latency stamps {}: their segments cannot "
                            "be paired by order (a step before the benchmark started or after it ended, or one shorter "
                            "than the pauses between latency stamps, which leaves them in order?):{}",
                            power.size(), latency.size(), listed));
  }
  std::vector<time_segment> segments;
  std::size_t e = 0, s = 0;
  for (std::size_t k = 0; k < power.size(); ++k) {
    segments.push_back({e, latency[k].index, s, power[k].index});
    e = latency[k].index;
    s = power[k].index;
  }
  segments.push_back({e, entries, s, samples});
  return segments;
}

}  // namespace layerwatt::join
