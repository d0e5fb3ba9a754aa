#include "layerwatt/model/k_fold.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace k_fold_test {

using layerwatt::model::k_fold_bounds;

TEST(KFold, MakesContiguousBlocksTheFirstOnesLonger) {
  EXPECT_EQ(k_fold_bounds(10, 3), (std::vector<std::size_t>{0, 4, 7, 10}));
  EXPECT_EQ(k_fold_bounds(240, 10).at(1), 24u);
  EXPECT_EQ(k_fold_bounds(23, 5), (std::vector<std::size_t>{0, 5, 10, 15, 19, 23}));
}

TEST(KFold, RefusesTooFewFoldsOrRows) {
  EXPECT_ERROR_MENTIONS(k_fold_bounds(10, 1), "at least 2 folds");
  EXPECT_ERROR_MENTIONS(k_fold_bounds(4, 5), "5 cross-validation folds from 4 rows");
}

}  // namespace k_fold_test
