#pragma once
// Durations as a person writes and reads them: `1h`, `-30min`, `4ms`, `1.5s`, `250us` on a command
// line (a clock offset, a gap threshold), and `4 ms`, `1 h`, `59 min 59.5 s` in messages.

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <system_error>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "layerwatt/core/time_stamp.hpp"

namespace layerwatt {

inline constexpr std::string_view duration_format = "a number and a unit: h, min, s, ms or us (e.g. 1h, -30min, 1.5s)";

/// Parses `[+|-]NUMBER UNIT` with UNIT one of h, min, s, ms, us (or µs), an optional space between;
/// rounds to the µs. nullopt for anything else (no unit, an unknown unit, not finite, beyond ±10⁶ h).
inline std::optional<microseconds> parse_duration(std::string_view text) {
  struct unit {
    std::string_view name;
    double us;
  };
  static constexpr unit units[] = {{"min", 60e6}, {"ms", 1e3}, {"us", 1.0}, {"µs", 1.0}, {"h", 3600e6}, {"s", 1e6}};
  for (const auto& u : units) {
    if (!text.ends_with(u.name)) continue;
    std::string_view number = text.substr(0, text.size() - u.name.size());
    if (number.ends_with(' ')) number.remove_suffix(1);
    if (number.size() > 1 && number.front() == '+' && number[1] != '-') number.remove_prefix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || end != number.data() + number.size() || number.empty()) return std::nullopt;
    const double us = std::round(value * u.us);
    if (!(std::fabs(us) <= 3.6e15)) return std::nullopt;
    return microseconds{static_cast<std::int64_t>(us)};
  }
  return std::nullopt;
}

/// `4 ms`, `4.25 ms`, `1.5 s`, `1 h`, `1 h 30 min`, `59 min 59.5 s`, `-2 h`, `12 µs`: exact to the µs,
/// trailing zeros left out.
inline std::string format_duration(microseconds d) {
  if (d.count() < 0) return "-" + format_duration(-d);
  const std::int64_t us = d.count();
  const auto decimal = [](std::int64_t value, std::int64_t scale, std::string_view unit) {
    std::string text = fmt::format("{}", value / scale);
    if (const std::int64_t rest = value % scale; rest != 0) {
      std::string digits = fmt::format("{:0{}}", rest, scale == 1000 ? 3 : 6);
      while (digits.back() == '0') digits.pop_back();
      text += "." + digits;
    }
    return fmt::format("{} {}", text, unit);
  };
  if (us < 1'000) return fmt::format("{} µs", us);
  if (us < 1'000'000) return decimal(us, 1'000, "ms");
  if (us < 60'000'000) return decimal(us, 1'000'000, "s");
  const std::int64_t h = us / 3'600'000'000, min = us / 60'000'000 % 60, rest_us = us % 60'000'000;
  std::string text;
  if (h) text = fmt::format("{} h", h);
  if (min) text += fmt::format("{}{} min", text.empty() ? "" : " ", min);
  if (rest_us) text += (text.empty() ? "" : " ") + decimal(rest_us, 1'000'000, "s");
  return text;
}

/// The shortest exact form parse_duration reads back, with no space (a command-line value):
/// `1h`, `-90min`, `4ms`, `1500us`.
inline std::string format_duration_option(microseconds d) {
  struct unit {
    std::string_view name;
    std::int64_t us;
  };
  static constexpr unit units[] = {{"h", 3'600'000'000}, {"min", 60'000'000}, {"s", 1'000'000}, {"ms", 1'000}};
  for (const auto& u : units)
    if (d.count() % u.us == 0) return fmt::format("{}{}", d.count() / u.us, u.name);
  return fmt::format("{}us", d.count());
}

}  // namespace layerwatt
