#pragma once
// The input of every pipeline: rows × Features::size values taken from a training CSV by
// column name (any column order, extra columns ignored). A missing column or a cell that is
// not a finite number is an error naming the file and line.

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/transform/stage.hpp"

namespace layerwatt::transform {

template <typename Features>
requires is_feature_list<Features> table feature_table(const io::csv_table& csv) {
  table out(static_cast<Eigen::Index>(csv.rows.size()), static_cast<Eigen::Index>(Features::size));
  for (std::size_t c = 0; c < Features::size; ++c) {
    const std::vector<double> values = csv.numbers(Features::names[c]);
    for (std::size_t r = 0; r < values.size(); ++r)
      out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values[r];
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
