#pragma once
// The input of every pipeline: rows × Features::size values taken from a training CSV by
// column name (any column order, extra columns ignored). Every feature is a size or a count, so
// a missing column, or a cell that is not a whole number (bytes may be halves) from the column's
// minimum (0 for paddings, amounts of data and inputs, 1 for any other) to max_feature_value, is
// an error naming the file and line.

#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

/// The least value a feature column holds: a padding, what a layer reads or writes, or its
/// inputs (a Constant has none) can be 0; a batch, a dimension, a kernel, a stride, groups or a
/// dilation cannot.
constexpr double minimum_feature_value(std::string_view column) noexcept {
  return column.starts_with("padding_") || column.starts_with("bytes_") || column.ends_with("_elements") ||
                 column == "inputs"
             ? 0
             : 1;
}

/// Bytes need not be whole: an odd number of INT4 elements is half a byte more.
constexpr bool whole_feature_value(std::string_view column) noexcept { return !column.starts_with("bytes_"); }

/// No layer has a dimension, or moves a number of bytes, above 10¹² (a terabyte); products of
/// two such stay far within double's range.
inline constexpr double max_feature_value = 1e12;

template <typename Features>
requires is_feature_list<Features> table feature_table(const io::csv_table& csv) {
  table out(static_cast<Eigen::Index>(csv.rows.size()), static_cast<Eigen::Index>(Features::size));
  for (std::size_t c = 0; c < Features::size; ++c) {
    const std::string_view column = Features::names[c];
    const std::vector<double> values = csv.numbers(column);
    const double minimum = minimum_feature_value(column);
    const bool whole = whole_feature_value(column);
    for (std::size_t r = 0; r < values.size(); ++r) {
      if (!(values[r] >= minimum && values[r] <= max_feature_value) || (whole && values[r] != std::floor(values[r])))
        throw error(csv.file, csv.line_of(r),
                    fmt::format("expected a {}number from {} to {:g} in column \"{}\" (a layer's size), got {}",
                                whole ? "whole " : "", minimum, max_feature_value, column, values[r]));
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values[r];
    }
  }
  return out;
}

/// One target column (e.g. "power", "runtime") as a vector aligned with feature_table's rows;
/// NaN where a cell is empty (not measured).
inline Eigen::VectorXd target_column(const io::csv_table& csv, std::string_view name) {
  const std::vector<double> values = csv.numbers_or_missing(name);
  return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

}  // namespace layerwatt::transform
