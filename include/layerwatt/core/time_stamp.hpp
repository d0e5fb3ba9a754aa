#pragma once
// The library's one time-stamp type and the two text forms the reference system writes:
//   power logs and layer latencies  YYYYmmdd-HH:MM:SS.f   (f: 1 to 6 digits, like Python's %f)
//   the idle-power file             YYYYmmdd-HHMMSS
// Parsing runs once per log line (millions of times), so it is hand-written: no allocation,
// no locale, no strptime.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "layerwatt/core/error.hpp"

namespace layerwatt {

using microseconds = std::chrono::microseconds;
/// Wall-clock time in microseconds since the Unix epoch (UTC-agnostic: the files carry local time
/// without a zone, and we keep the digits as they are).
using time_stamp = std::chrono::sys_time<microseconds>;

inline constexpr std::string_view time_stamp_format = "YYYYmmdd-HH:MM:SS.ffffff";
inline constexpr std::string_view idle_time_stamp_format = "YYYYmmdd-HHMMSS";
/// Characters written by format_time_stamp.
inline constexpr std::size_t time_stamp_length = 24;

namespace detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// Reads `count` digits at `text[at]`; false if any is not a digit.
constexpr bool read_digits(std::string_view text, std::size_t at, std::size_t count,
                           int& value) noexcept {
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[at + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  value = v;
  return true;
}

/// Days since 1970-01-01 of a proleptic Gregorian date, or nullopt if the date does not exist.
constexpr std::optional<std::int64_t> days_from_civil(int y, int m, int d) noexcept {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

/// Parses `YYYYmmdd-HH` `sep` `MM` `sep` `SS` starting at 0; shared by both formats.
constexpr std::optional<std::int64_t> parse_date_time_seconds(std::string_view text,
                                                              bool with_colons) noexcept {
  const std::size_t need = with_colons ? 17 : 15;
  if (text.size() < need || text[8] != '-') return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const std::size_t m_at = with_colons ? 12 : 11, s_at = with_colons ? 15 : 13;
  if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 2, mo) || !read_digits(text, 6, 2, d) ||
      !read_digits(text, 9, 2, h) || !read_digits(text, m_at, 2, mi) ||
      !read_digits(text, s_at, 2, s))
    return std::nullopt;
  if (with_colons && (text[11] != ':' || text[14] != ':')) return std::nullopt;
  if (h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto days = days_from_civil(y, mo, d);
  if (!days) return std::nullopt;
  return *days * 86400 + h * 3600 + mi * 60 + s;
}

}  // namespace detail

/// Parses `YYYYmmdd-HH:MM:SS.f` with 1 to 6 fraction digits (`01.5` is 500 000 µs).
/// Returns nullopt for anything else; never allocates.
constexpr std::optional<time_stamp> try_parse_time_stamp(std::string_view text) noexcept {
  if (text.size() < 19 || text.size() > time_stamp_length || text[17] != '.') return std::nullopt;
  const auto seconds = detail::parse_date_time_seconds(text, true);
  if (!seconds) return std::nullopt;
  std::int64_t fraction = 0;
  std::size_t i = 18;
  for (; i < text.size(); ++i) {
    if (!detail::is_digit(text[i])) return std::nullopt;
    fraction = fraction * 10 + (text[i] - '0');
  }
  for (; i < time_stamp_length; ++i) fraction *= 10;  // right-pad to microseconds, like %f
  return time_stamp{microseconds{*seconds * 1'000'000 + fraction}};
}

/// Parses the idle-file form `YYYYmmdd-HHMMSS`.
constexpr std::optional<time_stamp> try_parse_idle_time_stamp(std::string_view text) noexcept {
  if (text.size() != idle_time_stamp_format.size()) return std::nullopt;
  const auto seconds = detail::parse_date_time_seconds(text, false);
  if (!seconds) return std::nullopt;
  return time_stamp{microseconds{*seconds * 1'000'000}};
}

/// As try_parse_time_stamp, but an error that says what was expected.
inline time_stamp parse_time_stamp(std::string_view text) {
  if (auto t = try_parse_time_stamp(text)) return *t;
  throw error(fmt::format("expected a time stamp {} (1 to 6 fraction digits), got {}",
                          time_stamp_format, quote_excerpt(text)));
}

inline time_stamp parse_idle_time_stamp(std::string_view text) {
  if (auto t = try_parse_idle_time_stamp(text)) return *t;
  throw error(fmt::format("expected a time stamp {}, got {}", idle_time_stamp_format,
                          quote_excerpt(text)));
}

namespace detail {

/// Writes the low `count` decimal digits of a non-negative value.
constexpr char* write_digits(char* out, std::int64_t value, int count) noexcept {
  for (int i = count - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + count;
}

struct civil_time {
  std::int64_t year, month, day, hour, minute, second, micros;
};

constexpr civil_time to_civil(time_stamp t) noexcept {
  using namespace std::chrono;
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const std::int64_t in_day = (t - day_point).count();
  const std::int64_t y = (static_cast<int>(ymd.year()) % 10000 + 10000) % 10000;
  return {y, static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), in_day / 3'600'000'000,
          in_day / 60'000'000 % 60,     in_day / 1'000'000 % 60,
          in_day % 1'000'000};
}

}  // namespace detail

/// Writes exactly time_stamp_length characters (`YYYYmmdd-HH:MM:SS.ffffff`); returns the end.
/// Years outside 0..9999 are not representable in the format and are written modulo 10 000.
constexpr char* format_time_stamp(time_stamp t, char* out) noexcept {
  const auto c = detail::to_civil(t);
  out = detail::write_digits(out, c.year, 4);
  out = detail::write_digits(out, c.month, 2);
  out = detail::write_digits(out, c.day, 2);
  *out++ = '-';
  out = detail::write_digits(out, c.hour, 2);
  *out++ = ':';
  out = detail::write_digits(out, c.minute, 2);
  *out++ = ':';
  out = detail::write_digits(out, c.second, 2);
  *out++ = '.';
  return detail::write_digits(out, c.micros, 6);
}

inline std::string to_string(time_stamp t) {
  std::array<char, time_stamp_length> buffer{};
  format_time_stamp(t, buffer.data());
  return {buffer.data(), buffer.size()};
}

/// `YYYYmmdd-HHMMSS`, the idle file's form (sub-second part dropped).
inline std::string to_idle_string(time_stamp t) {
  const auto c = detail::to_civil(t);
  std::array<char, idle_time_stamp_format.size()> b{};
  char* out = detail::write_digits(b.data(), c.year, 4);
  out = detail::write_digits(out, c.month, 2);
  out = detail::write_digits(out, c.day, 2);
  *out++ = '-';
  out = detail::write_digits(out, c.hour, 2);
  out = detail::write_digits(out, c.minute, 2);
  detail::write_digits(out, c.second, 2);
  return {b.data(), b.size()};
}

}  // namespace layerwatt
