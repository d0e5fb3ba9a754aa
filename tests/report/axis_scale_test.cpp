#include "layerwatt/report/axis_scale.hpp"

#include <gtest/gtest.h>

using layerwatt::report::nice_axis;

TEST(AxisScale, TicksAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(nice_axis(9.3).ticks, (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(nice_axis(0.43).max, 0.5);
  EXPECT_EQ(nice_axis(100).ticks.back(), 100);
  EXPECT_EQ(nice_axis(101).ticks, (std::vector<double>{0, 50, 100, 150}));
  EXPECT_EQ(nice_axis(7300).ticks[1], 2000);
}

TEST(AxisScale, DegenerateInputsGiveAUsableAxis) {
  for (const double v : {0.0, -5.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    const auto axis = nice_axis(v);
    EXPECT_GT(axis.max, 0) << v;
    EXPECT_GE(axis.ticks.size(), 2u) << v;
  }
}
