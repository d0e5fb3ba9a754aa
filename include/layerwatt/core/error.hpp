#pragma once
// The one exception type of layerwatt. Its message always says where (file, then line or JSON
// path) and what was expected, so a user can fix their input without reading our code.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace layerwatt {

class error : public std::runtime_error {
 public:
  /// An error with no position inside a file (a missing file, a bad option).
  explicit error(const std::string& message) : std::runtime_error(message) {}

  /// `file:line: what`
  error(std::string file, std::size_t line, std::string_view what)
      : std::runtime_error(fmt::format("{}:{}: {}", file, line, what)),
        file_(std::move(file)),
        line_(line) {}

  /// `file: at JSON_PATH: what`
  error(std::string file, std::string json_path, std::string_view what)
      : std::runtime_error(fmt::format("{}: at {}: {}", file, json_path, what)),
        file_(std::move(file)),
        json_path_(std::move(json_path)) {}

  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// 1-based; 0 when the error has no line.
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// A JSON pointer such as `/Layers/3/Name`; empty when the error has none.
  [[nodiscard]] const std::string& json_path() const noexcept { return json_path_; }

 private:
  std::string file_;
  std::size_t line_ = 0;
  std::string json_path_;
};

/// `key` as one token of a JSON pointer (RFC 6901: '~' → "~0", '/' → "~1"), as an error's JSON
/// path writes it: TensorRT's layer names hold slashes ("/features/features.0/Conv").
inline std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

/// Untrusted text as an error message may show it: its first `max_bytes` bytes, cut between
/// characters, with control characters (C0, DEL, C1) and bytes that are no UTF-8 written as \xNN
/// (a terminal must not interpret them), and "..." where it was cut.
inline std::string printable_excerpt(std::string_view text, std::size_t max_bytes = 60) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && i < max_bytes) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = byte < 0x80 ? 1 : byte >= 0xC2 && byte <= 0xDF ? 2 : byte >= 0xE0 && byte <= 0xEF ? 3
                               : byte >= 0xF0 && byte <= 0xF4                 ? 4
                                                                              : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid && length == 1 && (byte < 0x20 || byte == 0x7F)) valid = false;
    if (valid && byte == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) valid = false;  // C1 controls
    if (valid && i + length > max_bytes) break;
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += fmt::format("\\x{:02X}", byte);
      ++i;
    }
  }
  if (i < text.size()) out += "...";
  return out;
}

/// Shortens untrusted text quoted in an error message (a 1 MB line must not become a 1 MB message).
inline std::string quote_excerpt(std::string_view text, std::size_t max_chars = 60) {
  if (text.size() <= max_chars) return fmt::format("\"{}\"", printable_excerpt(text, max_chars));
  return fmt::format("\"{}\" ({} bytes)", printable_excerpt(text, max_chars), text.size());
}

}  // namespace layerwatt
