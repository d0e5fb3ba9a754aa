#pragma once
// Small JSON files (engine info, idle power, models, configs) are read whole with nlohmann::json;
// json_node walks them keeping the JSON pointer of where it stands, so every error says
// `file: at /Layers/3/Dimensions/1: expected ...`.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/line_reader.hpp"

namespace layerwatt::io {

/// Deepest nesting of arrays and objects accepted. nlohmann parses iteratively, but copying,
/// comparing and dumping a value recurse: an unbounded depth would let a hostile file overflow the
/// stack. Every file layerwatt reads nests fewer than 10 levels.
inline constexpr std::size_t max_json_depth = 256;

namespace detail {

inline std::size_t line_at(std::string_view text, std::size_t at) {
  at = std::min(at, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

/// Fails at the first bracket nested deeper than max_json_depth (strings skipped).
inline void check_json_depth(std::string_view text, const std::string& file) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth)
        throw error(file, line_at(text, i), fmt::format("expected JSON nested at most {} levels deep", max_json_depth));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

/// nlohmann's message without its "[json.exception...] " prefix, nor a parse error's "parse error
/// at line L, column C: " (the error names the file and line): "syntax error while parsing value
/// - invalid literal; last read: 'N'".
inline std::string json_reason(const nlohmann::json::exception& e) {
  std::string_view what = e.what();
  if (const auto bracket = what.find("] "); bracket != std::string_view::npos) what.remove_prefix(bracket + 2);
  if (dynamic_cast<const nlohmann::json::parse_error*>(&e))
    if (const auto colon = what.find(": "); colon != std::string_view::npos) what.remove_prefix(colon + 2);
  // "last read: '<the token so far>'" quotes the input: a 1 MB string would make a 1 MB message.
  // nlohmann may add "; expected ..." after it (a key), so the quote ends at the last "'" before that.
  constexpr std::string_view last_read = "last read: '";
  const auto at = what.find(last_read);
  if (at == std::string_view::npos) return std::string(what);
  const auto from = at + last_read.size();
  auto end = what.rfind("'; expected ");
  if (end == std::string_view::npos || end < from) end = what.rfind('\'');
  if (end == std::string_view::npos || end < from) return std::string(what);
  return fmt::format("{}{}{}", what.substr(0, from), printable_excerpt(what.substr(from, end - from)), what.substr(end));
}

}  // namespace detail

/// Parses a whole JSON text; a syntax error, a number out of double's range or nesting deeper than
/// max_json_depth names the file and line.
inline nlohmann::json parse_json_text(std::string_view text, const std::string& file) {
  detail::check_json_depth(text, file);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw error(file, detail::line_at(text, e.byte == 0 ? 0 : e.byte - 1),
                fmt::format("expected valid JSON: {}", detail::json_reason(e)));
  } catch (const nlohmann::json::out_of_range& e) {
    // "number overflow parsing '1e400'" carries no position: the line of the number's first occurrence
    const std::string what = e.what();
    const auto open = what.find('\''), close = what.rfind('\'');
    const auto token = open < close ? std::string_view(what).substr(open + 1, close - open - 1) : std::string_view{};
    const auto at = token.empty() ? std::string_view::npos : text.find(token);
    throw error(file, detail::line_at(text, at == std::string_view::npos ? 0 : at),
                fmt::format("expected a number within double's range: {}", detail::json_reason(e)));
  }
}

inline nlohmann::json load_json_file(const std::filesystem::path& path) {
  return parse_json_text(read_text_file(path), path.string());
}

class json_node {
 public:
  json_node(const nlohmann::json& value, const std::string& file, std::string pointer = "")
      : value_(&value), file_(&file), pointer_(std::move(pointer)) {}

  [[nodiscard]] const nlohmann::json& value() const noexcept { return *value_; }
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] const std::string& file() const noexcept { return *file_; }

  [[noreturn]] void fail(std::string_view expected) const {
    throw error(*file_, pointer_.empty() ? std::string{"/"} : pointer_,
                fmt::format("expected {}", expected));
  }

  [[nodiscard]] json_node object_member(std::string_view key) const {
    if (auto found = find(key)) return *found;
    fail(fmt::format("an object with key \"{}\"", key));
  }

  /// The member if present and not null.
  [[nodiscard]] std::optional<json_node> find(std::string_view key) const {
    if (!value_->is_object()) fail("an object");
    const auto it = value_->find(key);
    if (it == value_->end() || it->is_null()) return std::nullopt;
    return json_node(*it, *file_, pointer_ + "/" + json_pointer_token(key));
  }

  /// Fails at the first member whose key is not in `keys`: a misspelt option is an error, not a
  /// silently ignored line.
  void require_known_keys(std::span<const std::string_view> keys) const {
    if (!value_->is_object()) fail("an object");
    for (const auto& item : value_->items())
      if (std::find(keys.begin(), keys.end(), item.key()) == keys.end())
        json_node(item.value(), *file_, pointer_ + "/" + json_pointer_token(item.key()))
            .fail(fmt::format("a known key (\"{}\" is not one of: {})", item.key(), fmt::join(keys, ", ")));
  }
  void require_known_keys(std::initializer_list<std::string_view> keys) const {
    require_known_keys(std::span<const std::string_view>(keys.begin(), keys.size()));
  }

  [[nodiscard]] std::size_t array_size() const {
    if (!value_->is_array()) fail("an array");
    return value_->size();
  }

  [[nodiscard]] json_node element(std::size_t index) const {
    if (index >= array_size()) fail(fmt::format("an array of more than {} elements", index));
    return json_node((*value_)[index], *file_, fmt::format("{}/{}", pointer_, index));
  }

  [[nodiscard]] std::string as_string() const {
    if (!value_->is_string()) fail("a string");
    return value_->get<std::string>();
  }

  [[nodiscard]] double as_double() const {
    if (!value_->is_number()) fail("a number");
    return value_->get<double>();
  }

  /// An integer within [min, max]; a float with an integral value (`3.0`) is accepted.
  template <typename Int = std::int64_t>
  [[nodiscard]] Int as_integer(Int min = std::numeric_limits<Int>::min(),
                               Int max = std::numeric_limits<Int>::max()) const {
    const auto range = [&] { return fmt::format("an integer in [{}, {}]", min, max); };
    if (value_->is_number_integer()) {
      // nlohmann keeps non-negative numbers unsigned: compare each form in its own type
      if (value_->is_number_unsigned()) {
        const auto v = value_->get<std::uint64_t>();
        if (std::cmp_less(v, min) || std::cmp_greater(v, max)) fail(range());
        return static_cast<Int>(v);
      }
      const auto v = value_->get<std::int64_t>();
      if (std::cmp_less(v, min) || std::cmp_greater(v, max)) fail(range());
      return static_cast<Int>(v);
    }
    if (value_->is_number_float()) {
      // Range before the cast: converting a double outside int64's range is undefined (1e300).
      const double v = value_->get<double>();
      if (!(v >= -0x1p63 && v < 0x1p63) || v != std::trunc(v)) fail(range());
      const auto i = static_cast<std::int64_t>(v);
      if (std::cmp_less(i, min) || std::cmp_greater(i, max)) fail(range());
      return static_cast<Int>(i);
    }
    fail(range());
  }

  template <typename Int = std::int64_t>
  [[nodiscard]] std::vector<Int> as_integers(Int min = std::numeric_limits<Int>::min(),
                                             Int max = std::numeric_limits<Int>::max()) const {
    std::vector<Int> out(array_size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = element(i).as_integer<Int>(min, max);
    return out;
  }

  [[nodiscard]] std::vector<double> as_doubles() const {
    std::vector<double> out(array_size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = element(i).as_double();
    return out;
  }

  [[nodiscard]] std::vector<std::string> as_strings() const {
    std::vector<std::string> out(array_size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = element(i).as_string();
    return out;
  }

 private:
  const nlohmann::json* value_;
  const std::string* file_;
  std::string pointer_;
};

/// A file loaded and ready to walk: keeps the text's DOM and the file name alive together.
class json_document {
 public:
  explicit json_document(const std::filesystem::path& path)
      : file_(path.string()), value_(load_json_file(path)) {}
  json_document(std::string file_name, std::string_view text)
      : file_(std::move(file_name)), value_(parse_json_text(text, file_)) {}

  [[nodiscard]] json_node root() const { return json_node(value_, file_); }
  [[nodiscard]] const nlohmann::json& value() const noexcept { return value_; }

 private:
  std::string file_;
  nlohmann::json value_;
};

/// Serialises like Python's json.dump(indent=4), the reference's style, and writes atomically.
inline void write_json_file(const std::filesystem::path& path, const nlohmann::json& value) {
  write_file_atomically(path, value.dump(4) + "\n");
}

}  // namespace layerwatt::io
