#pragma once
// CSV as pandas reads and writes it: a header row, ',' separators, fields quoted with '"' only
// when they hold a separator, a quote or a line break (quotes doubled inside), CRLF tolerated,
// blank lines (empty, or spaces and tabs only) skipped, as pandas skips them: an editor's
// trailing line break is no row.
// The reader reuses its buffers, so a million-row file costs no allocation per row.

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/line_reader.hpp"
#include "layerwatt/io/number_text.hpp"

namespace layerwatt::io {

class csv_reader {
 public:
  /// Opens the file and reads its header; an empty file is an error, and so is a column name
  /// given twice (which of the two a reader took would be a guess). A UTF-8 byte-order mark
  /// (Excel's "CSV UTF-8" writes one) is not part of the first column's name, as for pandas.
  explicit csv_reader(const std::filesystem::path& path) : in_(path) {
    if (!read_record()) throw error(in_.path(), 1, "expected a header row, got an empty file (or blank lines only)");
    header_.assign(fields_.begin(), fields_.end());
    for (std::size_t i = 0; i < header_.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (!header_[i].empty() && header_[i] == header_[j])
          throw error(in_.path(), 1,
                      fmt::format("expected each column name once, got \"{}\" as columns {} and {}", header_[i], j + 1,
                                  i + 1));
  }

  [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_; }

  [[nodiscard]] std::optional<std::size_t> find_column(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (header_[i] == name) return i;
    return std::nullopt;
  }

  /// The index of a column that must exist.
  [[nodiscard]] std::size_t column(std::string_view name) const {
    if (auto i = find_column(name)) return *i;
    throw error(in_.path(), 1, fmt::format("expected a column \"{}\" in the header", name));
  }

  /// Reads the next record; false at the end of the file. Every record has the header's width.
  bool next() {
    if (!read_record()) return false;
    if (fields_.size() != header_.size())
      fail(fmt::format("{} fields like the header, got {}", header_.size(), fields_.size()));
    return true;
  }

  [[nodiscard]] std::string_view field(std::size_t column) const { return fields_[column]; }

  /// A field that must hold a finite number.
  [[nodiscard]] double number(std::size_t column) const {
    if (auto v = parse_double(fields_[column])) return *v;
    fail(fmt::format("a number in column \"{}\", got {}", header_[column], quote_excerpt(fields_[column])));
  }

  /// A field that holds a number or nothing (pandas writes a missing value as an empty field).
  [[nodiscard]] std::optional<double> optional_number(std::size_t column) const {
    if (fields_[column].empty()) return std::nullopt;
    return number(column);
  }

  template <typename Int>
  [[nodiscard]] Int integer(std::size_t column) const {
    if (auto v = parse_integer<Int>(fields_[column])) return *v;
    // pandas may write an integer column holding a missing value as floats ("3.0")
    if (auto d = parse_double(fields_[column]); d && *d == static_cast<double>(static_cast<Int>(*d)))
      return static_cast<Int>(*d);
    fail(fmt::format("an integer in column \"{}\", got {}", header_[column], quote_excerpt(fields_[column])));
  }

  [[noreturn]] void fail(std::string_view expected) const {
    throw error(in_.path(), record_line_, fmt::format("expected {}", expected));
  }

  /// Line on which the current record starts (1 is the header).
  [[nodiscard]] std::size_t line_number() const noexcept { return record_line_; }
  [[nodiscard]] const std::string& path() const noexcept { return in_.path(); }

 private:
  bool read_record() {
    auto line = in_.next();
    while (line && line->find_first_not_of(" \t") == std::string_view::npos) line = in_.next();
    if (!line) return false;
    record_line_ = in_.line_number();
    if (constexpr std::string_view utf8_bom = "\xEF\xBB\xBF"; record_line_ == 1 && line->starts_with(utf8_bom))
      line->remove_prefix(utf8_bom.size());
    fields_.clear();
    if (line->find('"') == std::string_view::npos) {  // the fast, common case
      split_plain(*line);
      return true;
    }
    record_.assign(line->begin(), line->end());
    while (!quotes_balanced(record_)) {  // a quoted field spans lines
      const auto more = in_.next();
      if (!more) throw error(in_.path(), record_line_, "expected a closing '\"' before the end of the file");
      record_ += '\n';
      record_.append(more->begin(), more->end());
    }
    split_quoted(record_);
    return true;
  }

  void split_plain(std::string_view line) {
    for (;;) {
      const auto comma = line.find(',');
      fields_.push_back(line.substr(0, comma));
      if (comma == std::string_view::npos) return;
      line.remove_prefix(comma + 1);
    }
  }

  static bool quotes_balanced(std::string_view text) {
    return std::count(text.begin(), text.end(), '"') % 2 == 0;
  }

  void split_quoted(std::string_view text) {
    scratch_.clear();
    scratch_.reserve(text.size());  // fields_ point into scratch_: it must not reallocate
    std::size_t i = 0;
    for (;;) {
      const std::size_t start = scratch_.size();
      if (i < text.size() && text[i] == '"') {
        for (++i;; ++i) {
          if (i >= text.size()) fail("a closing '\"'");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') { scratch_ += '"'; ++i; continue; }
            ++i;
            break;
          }
          scratch_ += text[i];
        }
        if (i < text.size() && text[i] != ',') fail("',' after a closing '\"'");
      } else {
        while (i < text.size() && text[i] != ',') {
          if (text[i] == '"') fail("'\"' only around a whole field");
          scratch_ += text[i++];
        }
      }
      fields_.emplace_back(scratch_.data() + start, scratch_.size() - start);
      if (i >= text.size()) return;
      ++i;  // the comma
    }
  }

  line_reader in_;
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::string record_, scratch_;
  std::size_t record_line_ = 0;
};

/// Appends a field, quoted only if it must be (Python csv QUOTE_MINIMAL, as pandas writes).
inline void append_csv_field(std::string& out, std::string_view field) {
  bool special = false;  // no early exit: the loop vectorises, and most fields are plain
  for (const char c : field) special |= (c == ',') | (c == '"') | (c == '\r') | (c == '\n');
  if (!special) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

/// Appends a header or any row of text fields, with its newline.
inline void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, fields[i]);
  }
  out += '\n';
}

}  // namespace layerwatt::io
