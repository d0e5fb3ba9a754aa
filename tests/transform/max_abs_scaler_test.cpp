#include "layerwatt/transform/max_abs_scaler.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "transform/scaler_golden.hpp"

namespace max_abs_scaler_test {

namespace tf = layerwatt::transform;
using stage = tf::bind<tf::max_abs_scaler, tf::columns<3>>;

TEST(MaxAbsScaler, RoundTripsThroughJson) { layerwatt::testing::expect_persistence<tf::max_abs_scaler>("max_abs"); }

TEST(MaxAbsScaler, RefusesToTransformBeforeFit) {
  EXPECT_ERROR_MENTIONS(static_cast<void>(stage{}.transform(tf::table::Zero(2, 3))), "before fit");
}

// scikit-learn's MaxAbsScaler: divided by max |x|, not centred (signs and zeros kept); a column
// of zeros keeps scale 1.
TEST(MaxAbsScaler, DividesByTheLargestMagnitudeWithoutCentring) {
  stage s;
  tf::table rows(3, 3);
  rows << 1, 0, -8, 2, 0, 2, 4, 0, 4;
  const tf::table out = s.fit_transform(rows);
  EXPECT_EQ(out(0, 0), 0.25);
  EXPECT_EQ(out(2, 0), 1.0);
  EXPECT_EQ(s.second()[1], 1.0);
  EXPECT_EQ(out(1, 1), 0.0);
  EXPECT_EQ(out(0, 2), -1.0);
  EXPECT_EQ(out(1, 2), 0.25);
  tf::table beyond(1, 3);
  beyond << 8, 3, -16;
  const tf::table b = s.transform(beyond);  // outside the training range: scaled, not clipped
  EXPECT_EQ(b(0, 0), 2.0);
  EXPECT_EQ(b(0, 1), 3.0);
  EXPECT_EQ(b(0, 2), -2.0);
}

}  // namespace max_abs_scaler_test
