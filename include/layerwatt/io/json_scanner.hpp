#pragma once
// A streaming JSON tokenizer for the one file too big for a DOM: trt_layer_latency.json holds a
// stamp per layer per cycle (30 000 cycles × 60 layers is 1.8 M entries, ~150 MB indented).
// It reads through one growing buffer, so memory is bounded by the largest token, not the file,
// and reports errors as file:line, and where the reader says where it is, at a JSON path (a file
// written on one line has one line).

#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

class json_scanner {
 public:
  static constexpr std::size_t max_token = std::size_t{16} << 20;
  static constexpr int eof = -1;

  explicit json_scanner(const std::filesystem::path& path) : file_(path), buffer_(std::size_t{1} << 20) {}

  /// The next non-whitespace character without consuming it, or eof.
  int peek() {
    for (;;) {
      while (begin_ < end_) {
        const char c = buffer_[begin_];
        if (c == ' ') {  // indentation: most of an indented file, skipped eight at a time
          constexpr std::uint64_t spaces = 0x2020202020202020;
          std::uint64_t word = 0;
          while (begin_ + 8 <= end_ && (std::memcpy(&word, buffer_.data() + begin_, 8), word == spaces)) begin_ += 8;
          while (begin_ < end_ && buffer_[begin_] == ' ') ++begin_;
          continue;
        }
        if (c == '\n') ++line_;
        else if (c != '\t' && c != '\r') return static_cast<unsigned char>(c);
        ++begin_;
      }
      if (!refill()) return eof;
    }
  }

  /// Consumes `c` or fails with `what` as the expectation.
  void expect(char c, std::string_view what) {
    if (peek() != static_cast<unsigned char>(c)) fail(what);
    ++begin_;
  }

  /// Consumes `c` if it is next.
  bool accept(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++begin_;
    return true;
  }

  /// Reads a string token into `out` (escapes decoded, \u to UTF-8).
  void read_string(std::string& out, std::string_view what) {
    if (peek() != '"') fail(what);
    std::size_t close = 0;
    for (std::size_t from = begin_ + 1;;) {  // find the closing quote, skipping escapes
      const void* q = std::memchr(buffer_.data() + from, '"', end_ - from);
      if (!q) {
        from = end_ - begin_;
        if (!refill()) fail("a closing '\"'");
        from += begin_;
        continue;
      }
      close = static_cast<std::size_t>(static_cast<const char*>(q) - buffer_.data());
      std::size_t backslashes = 0;
      while (close - backslashes > begin_ + 1 && buffer_[close - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) break;
      from = close + 1;
    }
    decode(std::string_view(buffer_.data() + begin_ + 1, close - begin_ - 1), out);
    begin_ = close + 1;
  }

  /// Reads a number token as a finite double.
  double read_number(std::string_view what) {
    const int c = peek();
    if (c != '-' && !(c >= '0' && c <= '9')) fail(what);
    std::size_t n = 0;
    for (;;) {
      while (begin_ + n < end_ && is_number_char(buffer_[begin_ + n])) ++n;
      if (begin_ + n < end_ || !refill()) break;
    }
    const auto value = parse_double(std::string_view(buffer_.data() + begin_, n));
    if (!value) fail(what);
    begin_ += n;
    return *value;
  }

  /// Where the reader is, as a JSON pointer ("/conv1/1234"; "" for nowhere in particular), said
  /// in every error beside the line. Called only when an error is thrown.
  void set_location(std::function<std::string()> where) { where_ = std::move(where); }

  [[noreturn]] void fail(std::string_view expected) {
    const int c = peek();
    const std::string got = c == eof ? std::string{"the end of the file"}
                                     : quote_excerpt(std::string_view(buffer_.data() + begin_,
                                                                      std::min<std::size_t>(end_ - begin_, 20)), 20);
    throw located_error(fmt::format("expected {}, got {}", expected, got));
  }

  /// As fail(), for a value already read: `got` says what it was (the input that follows is not it).
  [[noreturn]] void fail_value(std::string_view expected, std::string_view got) {
    throw located_error(fmt::format("expected {}, got {}", expected, quote_excerpt(got)));
  }

  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  [[nodiscard]] const std::string& path() const noexcept { return file_.path(); }

 private:
  static bool is_number_char(char c) noexcept {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  /// Keeps [begin_, end_) and appends more bytes; false at the end of the file.
  bool refill() {
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) {
      if (buffer_.size() >= max_token) fail(fmt::format("a token of at most {} bytes", max_token));
      buffer_.resize(std::min(buffer_.size() * 2, max_token));
    }
    const std::size_t n = file_.read_some(buffer_.data() + end_, buffer_.size() - end_);
    end_ += n;
    return n > 0;
  }

  void decode(std::string_view raw, std::string& out) {
    bool plain = true;  // no escape and no control character: copied as is
    for (const char c : raw) plain &= (c != '\\') & (static_cast<unsigned char>(c) >= 0x20);
    if (plain) {
      out.assign(raw);
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (static_cast<unsigned char>(c) < 0x20) fail("no raw control characters in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (++i == raw.size()) fail("an escape sequence");
      switch (raw[i]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': i = decode_unicode(raw, i, out); break;
        default: fail("a valid escape sequence");
      }
    }
  }

  std::size_t decode_unicode(std::string_view raw, std::size_t at, std::string& out) {
    const auto hex4 = [&](std::size_t from) {
      unsigned v = 0;
      if (from + 4 > raw.size()) fail("four hex digits after \\u");
      const auto [end, ec] = std::from_chars(raw.data() + from, raw.data() + from + 4, v, 16);
      if (ec != std::errc{} || end != raw.data() + from + 4) fail("four hex digits after \\u");
      return v;
    };
    unsigned cp = hex4(at + 1);
    at += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
      if (at + 6 >= raw.size() || raw[at + 1] != '\\' || raw[at + 2] != 'u') fail("a low surrogate");
      const unsigned low = hex4(at + 3);
      if (low < 0xDC00 || low > 0xDFFF) fail("a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      at += 6;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return at;
  }

  error located_error(std::string_view what) const {
    const std::string where = where_ ? where_() : std::string{};
    return where.empty() ? error(file_.path(), line_, what)
                         : error(file_.path(), line_, fmt::format("at {}: {}", where, what));
  }

  input_file file_;
  std::function<std::string()> where_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0, line_ = 1;
};

/// Appends `text` as a JSON string literal (quotes included).
inline void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        else out += c;
    }
  }
  out += '"';
}

}  // namespace layerwatt::io
