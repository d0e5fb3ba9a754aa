#pragma once
// Numbers as the reference system's files spell them. Python writes a float with repr() — the
// shortest text that reads back to the same double, with ".0" on whole values — and {fmt}'s
// shortest round-trip form differs only in that ".0". Reading uses from_chars: exact and fast.

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace layerwatt::io {

/// Appends `value` as Python's repr(float) does: `1000.0`, `0.30000000000000004`, `1e+16`.
/// Formats into a local buffer with a compiled format: writers call it millions of times.
inline void append_python_float(std::string& out, double value) {
  char buffer[40];  // the longest shortest form, "-2.2250738585072014e-308", is 24
  char* const end = fmt::format_to(buffer, FMT_COMPILE("{}"), value);
  bool has_mark = false;  // '.', an exponent, or 'n'/'i' of nan and inf
  for (const char* p = buffer; p != end; ++p) has_mark |= (*p == '.') | (*p == 'e') | (*p == 'n') | (*p == 'i');
  out.append(buffer, end);
  if (!has_mark) out += ".0";
}

inline std::string python_float(double value) {
  std::string text;
  append_python_float(text, value);
  return text;
}

/// The whole of `text` as a finite double; nullopt for anything else (empty, trailing bytes,
/// nan, inf). Accepts a leading '+' as Python's float() does.
inline std::optional<double> parse_double(std::string_view text) noexcept {
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

/// The whole of `text` as an integer of type Int; nullopt on anything else or overflow.
template <typename Int>
std::optional<Int> parse_integer(std::string_view text) noexcept {
  if (text.size() > 1 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  Int value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace layerwatt::io
