#pragma once
// A small CSV held whole, cells as text: the training CSVs (convolutional.csv, pooling.csv,
// dense.csv), the statistics CSVs and predictions. Typed access reports file:line on bad cells.

#include <algorithm>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/io/csv.hpp"

namespace layerwatt::io {

struct csv_table {
  std::string file;  ///< where it was read from, for errors; empty for a table built in memory
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  ///< line of each row in `file`

  [[nodiscard]] std::size_t column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    throw error(file, 1, fmt::format("expected a column \"{}\" in the header", name));
  }

  /// The line row `r` was read from (a table built in memory: its place after a header line).
  [[nodiscard]] std::size_t line_of(std::size_t r) const { return r < lines.size() ? lines[r] : r + 2; }

  [[nodiscard]] bool has_column(std::string_view name) const {
    return std::find(header.begin(), header.end(), name) != header.end();
  }

  /// Every cell of a column as a finite number.
  [[nodiscard]] std::vector<double> numbers(std::string_view name) const {
    const std::size_t c = column(name);
    std::vector<double> out(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const auto v = parse_double(rows[r][c]);
      if (!v)
        throw error(file, line_of(r),
                    fmt::format("expected a number in column \"{}\", got {}", name, quote_excerpt(rows[r][c])));
      out[r] = *v;
    }
    return out;
  }

  /// Every cell of a column as a finite number, or NaN where the cell is empty: a value not
  /// measured (a runtime-only row's power). Anything else that is not a number is an error.
  [[nodiscard]] std::vector<double> numbers_or_missing(std::string_view name) const {
    const std::size_t c = column(name);
    std::vector<double> out(rows.size(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (rows[r][c].empty()) continue;
      const auto v = parse_double(rows[r][c]);
      if (!v)
        throw error(file, line_of(r),
                    fmt::format("expected a number or an empty cell in column \"{}\", got {}", name,
                                quote_excerpt(rows[r][c])));
      out[r] = *v;
    }
    return out;
  }

  [[nodiscard]] std::vector<std::string> texts(std::string_view name) const {
    const std::size_t c = column(name);
    std::vector<std::string> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(row[c]);
    return out;
  }
};

inline csv_table read_csv_table(const std::filesystem::path& path) {
  csv_reader in(path);
  csv_table table;
  table.file = path.string();
  table.header = in.header();
  while (in.next()) {
    auto& row = table.rows.emplace_back();
    row.reserve(table.header.size());
    for (std::size_t c = 0; c < table.header.size(); ++c) row.emplace_back(in.field(c));
    table.lines.push_back(in.line_number());
  }
  return table;
}

inline void write_csv_table(const std::filesystem::path& path, const csv_table& table) {
  atomic_output_file out(path);
  append_csv_row(out.buffer(), table.header);
  for (const auto& row : table.rows) {
    if (row.size() != table.header.size())
      throw error(fmt::format("{}: a row has {} cells for {} columns", path.string(), row.size(),
                              table.header.size()));
    append_csv_row(out.buffer(), row);
    out.maybe_flush();
  }
  out.commit();
}

}  // namespace layerwatt::io
