#pragma once
// tegrastats logs: what every Jetson user already runs, and what most published Jetson power data
// is. One line per interval (1 s by default), each rail as `NAME CURRENT/AVERAGE` in mW:
//
//   JetPack 4:    RAM 1798/3964MB ... POM_5V_IN 7384/7384 POM_5V_GPU 4618/4618 POM_5V_CPU 121/121
//   JetPack 5, 6: 08-23-2026 13:57:46 RAM 3595/7607MB ... VDD_IN 5832mW/5852mW VDD_CPU_GPU_CV 1307mW/1327mW
//                 VDD_SOC 1468mW/1468mW
//
// The first value is the rail's power when the line was printed, the second its running average
// since tegrastats started: which one is read is the caller's explicit choice. JetPack 5 and 6
// print the date and time first (`MM-DD-YYYY HH:MM:SS`, local time, whole seconds); JetPack 4 does
// not, and the caller then gives the start time and the interval. Rails are taken by name, or as
// a sum `A+B+C`.
//
// Whole-second stamps a second apart suit a board's idle power and a network's energy over a
// run, not the power of one layer (the join refuses so sparse a log).

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/duration_text.hpp"
#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/rail_selection.hpp"

namespace layerwatt::io {

/// Which of a tegrastats rail's two figures to read.
enum class tegrastats_value {
  instant,  ///< the first: the rail's power when the line was printed
  average,  ///< the second: the running mean since tegrastats started
};

constexpr std::string_view to_string(tegrastats_value v) noexcept { return v == tegrastats_value::instant ? "instant" : "average"; }

/// The clock of a log whose lines carry no time stamp (JetPack 4): when its first line was
/// printed and the interval between lines (tegrastats --interval; 1000 ms by default).
struct tegrastats_clock {
  std::optional<time_stamp> start;
  std::optional<microseconds> interval;
};

struct tegrastats_log {
  std::vector<power_sample> samples;  ///< the chosen value of the chosen rail (or the sum), µW
  std::string rail;                   ///< as chosen: `POM_5V_GPU`, `A+B`
  std::vector<std::string> rails;     ///< every rail of the first line, in its order
  bool stamped = false;               ///< the lines carry tegrastats' own time stamps
  /// The clock's interval, or for stamped lines the median time between them.
  std::optional<microseconds> interval;
};

namespace detail {

/// One `NAME a/b` or `NAME amW/bmW` pair of a line.
struct tegrastats_rail {
  std::string_view name;
  double instant_mw = 0, average_mw = 0;
};

/// `a/b` or `amW/bmW` as two numbers in mW.
inline bool parse_tegrastats_power(std::string_view token, double& instant, double& average) {
  const auto slash = token.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view a = token.substr(0, slash), b = token.substr(slash + 1);
  const bool a_unit = a.ends_with("mW"), b_unit = b.ends_with("mW");
  if (a_unit != b_unit) return false;
  if (a_unit) a.remove_suffix(2), b.remove_suffix(2);
  const auto x = parse_integer<long long>(a), y = parse_integer<long long>(b);
  if (!x || !y || *x < 0 || *y < 0) return false;
  instant = static_cast<double>(*x);
  average = static_cast<double>(*y);
  return true;
}

inline bool is_rail_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

/// Whether `line` starts as tegrastats' stamp does, `NN-NN-NNNN NN:NN:NN`, be the date valid or not.
inline bool starts_with_stamp_shape(std::string_view line) {
  if (line.size() < 19 || line[2] != '-' || line[5] != '-' || line[10] != ' ' || line[13] != ':' || line[16] != ':')
    return false;
  for (const std::size_t i : {0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18})
    if (line[i] < '0' || line[i] > '9') return false;
  return true;
}

/// tegrastats' own stamp, `MM-DD-YYYY HH:MM:SS`, at the start of `line`.
inline std::optional<time_stamp> parse_tegrastats_stamp(std::string_view line) {
  if (!starts_with_stamp_shape(line)) return std::nullopt;
  int mo = 0, d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (!layerwatt::detail::read_digits(line, 0, 2, mo) || !layerwatt::detail::read_digits(line, 3, 2, d) ||
      !layerwatt::detail::read_digits(line, 6, 4, y) || !layerwatt::detail::read_digits(line, 11, 2, h) ||
      !layerwatt::detail::read_digits(line, 14, 2, mi) || !layerwatt::detail::read_digits(line, 17, 2, s))
    return std::nullopt;
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto days = layerwatt::detail::days_from_civil(y, mo, d);
  if (!days) return std::nullopt;
  return time_stamp{microseconds{(*days * 86400 + h * 3600 + mi * 60 + s) * 1'000'000}};
}

/// `line` without a leading stamp-shaped `NN-NN-NNNN NN:NN:NN ` (a valid date or not).
inline std::string_view after_stamp(std::string_view line) {
  if (starts_with_stamp_shape(line)) line.remove_prefix(std::min<std::size_t>(20, line.size()));
  return line;
}

/// Why a stamp-shaped start of `line` is no MM-DD-YYYY HH:MM:SS stamp: the day first, when the
/// day and month swapped make one, else no such date or time.
inline std::string_view stamp_problem(std::string_view line) {
  std::string swapped(line.substr(0, 19));
  std::swap_ranges(swapped.begin(), swapped.begin() + 2, swapped.begin() + 3);
  return parse_tegrastats_stamp(swapped) ? "the day first? tegrastats writes the month first" : "no such date or time";
}

/// Calls f(previous, word) for each word of `line` (split at spaces), `previous` being the word
/// before it ("" for the first).
template <typename F>
void for_each_word(std::string_view line, F&& f) {
  std::string_view previous;
  for (std::size_t at = 0; at < line.size();) {
    const std::size_t end = std::min(line.find(' ', at), line.size());
    const std::string_view word = line.substr(at, end - at);
    if (!word.empty()) {
      f(previous, word);
      previous = word;
    }
    at = end + 1;
  }
}

/// The word after the word `name` in `line`, if `name` is one of its words but the last.
inline std::optional<std::string_view> token_after(std::string_view line, std::string_view name) {
  std::optional<std::string_view> found;
  for_each_word(line, [&](std::string_view previous, std::string_view word) {
    if (!found && previous == name) found = word;
  });
  return found;
}

/// Every rail of a line (its stamp, if any, removed), in order.
inline void tegrastats_rails(std::string_view line, std::vector<tegrastats_rail>& out) {
  out.clear();
  for_each_word(line, [&](std::string_view previous, std::string_view word) {
    double instant = 0, average = 0;
    if (is_rail_name(previous) && parse_tegrastats_power(word, instant, average)) out.push_back({previous, instant, average});
  });
}

}  // namespace detail

/// True for a line tegrastats printed: one with a rail `NAME a/b` or `NAME amW/bmW` and the RAM
/// figure every tegrastats line starts with (after its stamp).
inline bool is_tegrastats_line(std::string_view line) {
  std::vector<detail::tegrastats_rail> rails;
  detail::tegrastats_rails(line, rails);
  return !rails.empty() && line.find("RAM ") != std::string_view::npos;
}

/// The rails of a log's first line, in order (to choose one, or to list them).
inline std::vector<std::string> tegrastats_rail_names(const std::filesystem::path& path) {
  line_reader in(path);
  std::vector<detail::tegrastats_rail> rails;
  if (auto line = in.next()) detail::tegrastats_rails(detail::after_stamp(*line), rails);
  if (rails.empty()) throw error(in.path(), 1, "expected a tegrastats line (rails as NAME a/b or NAME amW/bmW)");
  std::vector<std::string> names;
  for (const auto& r : rails) names.emplace_back(r.name);
  return names;
}

/// Reads rail `rail_spec` (a name, or `A+B+C` summed per line) of a tegrastats log, the figure
/// `value`, into samples in µW. Lines without stamps are placed at clock.start + k × interval (both
/// required then; `clock` must be empty for stamped lines). Errors name the file and line: a line
/// without the rail (listing those it has), stamped and unstamped lines mixed, a stamp that goes
/// backward, a stamp-shaped start that is no date (the day first, say). A last line without a
/// newline (tegrastats stopped mid-write) is dropped with a warning.
inline tegrastats_log read_tegrastats(const std::filesystem::path& path, std::string_view rail_spec,
                                      tegrastats_value value, const tegrastats_clock& clock = {},
                                      const warning_sink& warn = print_warning) {
  const auto wanted = split_rail_sum(rail_spec);
  tegrastats_log log;
  log.rail = std::string(rail_spec);
  line_reader in(path);
  std::vector<detail::tegrastats_rail> rails;
  bool first = true;
  while (auto line = in.next()) {
    if (in.last_line_unterminated()) {
      warn(fmt::format("{}:{}: last line has no newline (tegrastats stopped mid-write?); dropped", in.path(),
                       in.line_number()));
      break;
    }
    const auto stamp = detail::parse_tegrastats_stamp(*line);
    // A day first (a log rewritten by hand, or another locale's) is not read as "no stamp".
    if (!stamp && detail::starts_with_stamp_shape(*line))
      throw error(in.path(), in.line_number(),
                  fmt::format("expected tegrastats' time stamp, MM-DD-YYYY HH:MM:SS, got {}: {}",
                              quote_excerpt(line->substr(0, 19)), detail::stamp_problem(*line)));
    detail::tegrastats_rails(detail::after_stamp(*line), rails);
    if (rails.empty())
      throw error(in.path(), in.line_number(),
                  fmt::format("expected a tegrastats line (rails as NAME a/b or NAME amW/bmW), got {}",
                              quote_excerpt(*line)));
    if (first) {
      log.stamped = stamp.has_value();
      for (const auto& r : rails) log.rails.emplace_back(r.name);
      if (log.stamped && (clock.start || clock.interval))
        throw error(in.path(), in.line_number(),
                    "the lines carry their own time stamps; a start time and interval are for logs without them");
      if (!log.stamped && !(clock.start && clock.interval))
        throw error(in.path(), in.line_number(),
                    fmt::format("the lines carry no time stamps (JetPack 4): they need the time the first line was "
                                "printed and the interval between lines (tegrastats --interval; 1000 ms by default); "
                                "missing: {}",
                                clock.start ? "the interval" : clock.interval ? "the start time" : "both"));
      if (!log.stamped) log.interval = clock.interval;
    } else if (stamp.has_value() != log.stamped) {
      throw error(in.path(), in.line_number(), "lines with and without time stamps mixed");
    }
    double power_mw = 0;
    for (const auto& name : wanted) {
      const auto it = std::find_if(rails.begin(), rails.end(), [&](const auto& r) { return r.name == name; });
      if (it == rails.end()) {
        // The name with a value no rail has (49x2/5010, 5832W) is a malformed value, not a missing rail.
        if (const auto malformed = detail::token_after(detail::after_stamp(*line), name))
          throw error(in.path(), in.line_number(),
                      fmt::format("rail {}: expected its power as a/b or amW/bmW (whole mW, at least 0), got {}", name,
                                  quote_excerpt(*malformed)));
        std::vector<std::string_view> names;
        for (const auto& r : rails) names.push_back(r.name);
        throw error(in.path(), in.line_number(),
                    fmt::format("no rail {}; the line has {}", name, fmt::join(names, ", ")));
      }
      power_mw += value == tegrastats_value::instant ? it->instant_mw : it->average_mw;
    }
    const time_stamp t = stamp ? *stamp : *clock.start + *clock.interval * static_cast<std::int64_t>(log.samples.size());
    if (!log.samples.empty() && t < log.samples.back().t)
      throw error(in.path(), in.line_number(),
                  fmt::format("time steps backward by {}", format_duration(log.samples.back().t - t)));
    log.samples.push_back({t, power_mw * 1000.0});
    first = false;
  }
  if (log.samples.empty()) throw error(fmt::format("{}: no tegrastats line in it", in.path()));
  if (log.stamped) log.interval = median_sample_interval(log.samples);
  return log;
}

}  // namespace layerwatt::io
