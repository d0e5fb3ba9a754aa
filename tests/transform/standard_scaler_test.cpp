#include "layerwatt/transform/standard_scaler.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "transform/scaler_golden.hpp"

namespace standard_scaler_test {

namespace tf = layerwatt::transform;
using stage = tf::bind<tf::standard_scaler, tf::columns<3>>;

TEST(StandardScaler, EqualsScikitLearn) {
  layerwatt::testing::expect_scikit_learn_scaler<tf::standard_scaler>("standard_scaler", "mean", "scale");
}

TEST(StandardScaler, RoundTripsThroughJson) {
  layerwatt::testing::expect_persistence<tf::standard_scaler>("mean");
}

TEST(StandardScaler, RefusesToTransformBeforeFit) {
  EXPECT_ERROR_MENTIONS(static_cast<void>(stage{}.transform(tf::table::Zero(2, 3))), "before fit");
}

TEST(StandardScaler, RefusesNoRowsAndWrongWidths) {
  stage s;
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table(0, 3))), "zero rows");
  EXPECT_ERROR_MENTIONS(static_cast<void>(s.fit_transform(tf::table::Zero(2, 4))), "3 values, got 4");
}

TEST(StandardScaler, UsesThePopulationDeviationAndScalesConstantColumnsByOne) {
  stage s;
  tf::table rows(2, 3);
  rows << 1, 5, -2, 3, 5, 2;
  const tf::table out = s.fit_transform(rows);
  EXPECT_EQ(s.second()[0], 1.0);  // ddof 0: sqrt(((1-2)² + (3-2)²) / 2)
  EXPECT_EQ(s.second()[1], 1.0);  // constant
  EXPECT_EQ(out(0, 0), -1.0);
  EXPECT_EQ(out(1, 1), 0.0);
  EXPECT_EQ(out(1, 2), 1.0);
}

}  // namespace standard_scaler_test
