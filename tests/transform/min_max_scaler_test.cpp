#include "layerwatt/transform/min_max_scaler.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "transform/scaler_golden.hpp"

namespace min_max_scaler_test {

namespace tf = layerwatt::transform;
using stage = tf::bind<tf::min_max_scaler, tf::columns<3>>;

TEST(MinMaxScaler, EqualsScikitLearn) {
  layerwatt::testing::expect_scikit_learn_scaler<tf::min_max_scaler>("minmax_scaler", "min", "scale");
}

TEST(MinMaxScaler, RoundTripsThroughJson) { layerwatt::testing::expect_persistence<tf::min_max_scaler>("min"); }

TEST(MinMaxScaler, RefusesToTransformBeforeFit) {
  EXPECT_ERROR_MENTIONS(static_cast<void>(stage{}.transform(tf::table::Zero(2, 3))), "before fit");
}

TEST(MinMaxScaler, RefusesNoRowsAndWrongWidths) {
  stage s;
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table(0, 3))), "zero rows");
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table::Zero(2, 4))), "3 values, got 4");
}

TEST(MinMaxScaler, MapsTheTrainingRangeOntoZeroToOne) {
  stage s;
  tf::table rows(3, 3);
  rows << 1, 7, -4, 3, 7, 0, 5, 7, 4;
  const tf::table out = s.fit_transform(rows);
  EXPECT_EQ(out(0, 0), 0.0);
  EXPECT_EQ(out(1, 0), 0.5);
  EXPECT_EQ(out(2, 0), 1.0);
  EXPECT_EQ(s.second()[1], 1.0);  // a constant column keeps its scale
  EXPECT_EQ(out(2, 1), 0.0);
  EXPECT_EQ(out(1, 2), 0.5);
}

}  // namespace min_max_scaler_test
