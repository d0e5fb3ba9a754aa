#include "layerwatt/model/grouped_folds.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "support/temp_dir.hpp"

namespace model = layerwatt::model;

namespace grouped_folds_test {

// Every fold boundary falls between two groups, the folds hold whole groups, and their sizes come
// as close to equal as whole groups allow.
TEST(GroupedFolds, NoGroupIsSplitAndFoldsAreNearlyEqual) {
  const std::vector<std::size_t> sizes = {3, 3, 3, 1, 1, 5, 2, 2, 4};  // 24 rows
  const auto bounds = model::grouped_fold_bounds(sizes, 3);
  std::vector<std::size_t> group_ends;
  std::partial_sum(sizes.begin(), sizes.end(), std::back_inserter(group_ends));
  ASSERT_EQ(bounds.size(), 4u);
  EXPECT_EQ(bounds.front(), 0u);
  EXPECT_EQ(bounds.back(), 24u);
  for (std::size_t f = 1; f + 1 < bounds.size(); ++f)
    EXPECT_NE(std::find(group_ends.begin(), group_ends.end(), bounds[f]), group_ends.end()) << bounds[f];
  EXPECT_EQ(bounds, (std::vector<std::size_t>{0, 9, 16, 24}));  // nearest to 8 and 16

  // As many folds as groups: one group a fold.
  EXPECT_EQ(model::grouped_fold_bounds(std::vector<std::size_t>{5, 1}, 2), (std::vector<std::size_t>{0, 5, 6}));
  // A large group first still leaves a group for each later fold.
  EXPECT_EQ(model::grouped_fold_bounds(std::vector<std::size_t>{100, 1, 1}, 3), (std::vector<std::size_t>{0, 100, 101, 102}));
}

TEST(GroupedFolds, TooFewGroupsIsAnError) {
  EXPECT_ERROR_MENTIONS(model::grouped_fold_bounds(std::vector<std::size_t>{4, 4}, 3), "3 folds", "2 groups");
  EXPECT_ERROR_MENTIONS(model::grouped_fold_bounds(std::vector<std::size_t>{4, 4}, 1), "at least 2 folds");
  EXPECT_ERROR_MENTIONS(model::grouped_fold_bounds(std::vector<std::size_t>{4, 0, 2}, 2), "no rows");
}

}  // namespace grouped_folds_test
