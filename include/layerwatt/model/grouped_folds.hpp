#pragma once
// Cross-validation folds that never split a group (scikit-learn's GroupKFold, for rows sorted by
// group): a network family's depth sweep, whose members differ only in depth, stays in one fold,
// so a fold's score says how well unseen families are predicted, not how well a family predicts
// its own siblings. Folds are contiguous runs of whole groups, cut at the group boundary nearest
// to each k/folds share of the rows.

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <span>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"

namespace layerwatt::model {

/// Fold boundaries (as k_fold_bounds gives them) for rows sorted by group, `group_sizes` rows each.
inline std::vector<std::size_t> grouped_fold_bounds(std::span<const std::size_t> group_sizes, std::size_t folds) {
  if (folds < 2) throw error(fmt::format("cross-validation needs at least 2 folds, got {}", folds));
  if (group_sizes.size() < folds)
    throw error(fmt::format("cannot make {} folds of whole groups from {} groups", folds, group_sizes.size()));
  std::vector<std::size_t> ends;  // the row after each group
  std::size_t rows = 0;
  for (const auto size : group_sizes) {
    if (size == 0) throw error("a group of no rows");
    ends.push_back(rows += size);
  }
  std::vector<std::size_t> bounds{0};
  std::size_t g = 0;  // the first group boundary still free
  for (std::size_t f = 1; f < folds; ++f) {
    const double target = static_cast<double>(rows) * static_cast<double>(f) / static_cast<double>(folds);
    // Leave at least one group for each fold still to come.
    const std::size_t last = ends.size() - (folds - f) - 1;
    while (g < last && std::fabs(static_cast<double>(ends[g + 1]) - target) <= std::fabs(static_cast<double>(ends[g]) - target))
      ++g;
    bounds.push_back(ends[g++]);
  }
  bounds.push_back(rows);
  return bounds;
}

}  // namespace layerwatt::model
