#include "layerwatt/transform/robust_scaler.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "transform/scaler_golden.hpp"

namespace robust_scaler_test {

namespace tf = layerwatt::transform;
using stage = tf::bind<tf::robust_scaler, tf::columns<3>>;

TEST(RobustScaler, EqualsScikitLearn) {
  layerwatt::testing::expect_scikit_learn_scaler<tf::robust_scaler>("robust_scaler", "center", "scale");
}

TEST(RobustScaler, RoundTripsThroughJson) { layerwatt::testing::expect_persistence<tf::robust_scaler>("center"); }

TEST(RobustScaler, RefusesToTransformBeforeFit) {
  EXPECT_ERROR_MENTIONS(static_cast<void>(stage{}.transform(tf::table::Zero(2, 3))), "before fit");
}

TEST(RobustScaler, RefusesNoRowsAndWrongWidths) {
  stage s;
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table(0, 3))), "zero rows");
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table::Zero(2, 4))), "3 values, got 4");
}

TEST(RobustScaler, InterpolatesQuartilesAsNumpy) {
  // numpy.percentile([1, 2, 3, 4], [25, 75]) == [1.75, 3.25]; of [1..5]: [2, 4].
  EXPECT_EQ(tf::linear_quantile({1, 2, 3, 4}, 0.25), 1.75);
  EXPECT_EQ(tf::linear_quantile({1, 2, 3, 4}, 0.75), 3.25);
  EXPECT_EQ(tf::linear_quantile({1, 2, 3, 4, 5}, 0.25), 2.0);
  EXPECT_EQ(tf::linear_quantile({1, 2, 3, 4, 5}, 0.75), 4.0);
  EXPECT_EQ(tf::linear_quantile({7}, 0.75), 7.0);
}

TEST(RobustScaler, CentresOnTheMedianAndScalesAZeroRangeByOne) {
  stage s;
  tf::table rows(5, 3);
  rows << 1, 5, 0, 2, 5, 1, 3, 5, 2, 4, 5, 3, 10, 9, 4;
  const tf::table out = s.fit_transform(rows);
  EXPECT_EQ(s.first(), Eigen::Vector3d(3, 5, 2));
  EXPECT_EQ(s.second(), Eigen::Vector3d(2, 1, 2));  // quartiles 2 and 4; 5 and 5; 1 and 3
  EXPECT_EQ(out(4, 0), 3.5);
  EXPECT_EQ(out(4, 1), 4.0);
}

}  // namespace robust_scaler_test
