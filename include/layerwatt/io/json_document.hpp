#pragma once
// Small JSON files (engine info, idle power, models, configs) are read whole with nlohmann::json;
// json_node walks them keeping the JSON pointer of where it stands, so every error says
// `file: at /Layers/3/Dimensions/1: expected ...`.

#include <algorithm>
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

/// Parses a whole JSON text; a syntax error names the file and line.
inline nlohmann::json parse_json_text(std::string_view text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    const auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    std::string what = e.what();
    if (const auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw error(file, line, fmt::format("expected valid JSON: {}", what));
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
    return json_node(*it, *file_, pointer_ + "/" + escape(key));
  }

  /// Fails at the first member whose key is not in `keys`: a misspelt option is an error, not a
  /// silently ignored line.
  void require_known_keys(std::span<const std::string_view> keys) const {
    if (!value_->is_object()) fail("an object");
    for (const auto& item : value_->items())
      if (std::find(keys.begin(), keys.end(), item.key()) == keys.end())
        json_node(item.value(), *file_, pointer_ + "/" + escape(item.key()))
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
      const double v = value_->get<double>();
      if (v != static_cast<double>(static_cast<std::int64_t>(v)) || v < static_cast<double>(min) ||
          v > static_cast<double>(max))
        fail(range());
      return static_cast<Int>(v);
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
  // RFC 6901: '~' → "~0", '/' → "~1".
  static std::string escape(std::string_view key) {
    std::string out;
    for (const char c : key) {
      if (c == '~') out += "~0";
      else if (c == '/') out += "~1";
      else out += c;
    }
    return out;
  }

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
