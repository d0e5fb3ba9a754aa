#pragma once
// scikit-learn's KFold without shuffling: k contiguous test blocks in row order, the first
// n % k of them one row longer.

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::model {

/// Block boundaries: fold f tests rows [bounds[f], bounds[f + 1]).
inline std::vector<std::size_t> k_fold_bounds(std::size_t rows, std::size_t folds) {
  if (folds < 2) throw error(fmt::format("cross-validation needs at least 2 folds, got {}", folds));
  if (folds > rows) throw error(fmt::format("cannot make {} cross-validation folds from {} rows", folds, rows));
  std::vector<std::size_t> bounds(folds + 1, 0);
  for (std::size_t f = 0; f < folds; ++f) bounds[f + 1] = bounds[f] + rows / folds + (f < rows % folds ? 1 : 0);
  return bounds;
}

/// Throws unless `bounds` rise strictly from 0 to `rows` in at least 2 folds; `who` starts the message.
inline void check_fold_bounds(std::string_view who, const std::vector<std::size_t>& bounds, std::size_t rows) {
  if (bounds.size() < 3 || bounds.front() != 0 || bounds.back() != rows ||
      !std::is_sorted(bounds.begin(), bounds.end()) || std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end())
    throw error(fmt::format("{}: fold boundaries must rise strictly from 0 to the {} rows, in at least 2 folds", who,
                            rows));
}

}  // namespace layerwatt::model
