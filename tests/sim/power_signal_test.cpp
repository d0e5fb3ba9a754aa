#include "layerwatt/sim/power_signal.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace layerwatt::sim {
namespace power_signal_test {

TEST(PowerSignal, WindowMeansAreExact) {
  power_signal s(1000);
  s.add(10, 20, 100);
  s.add(20, 30, 300);
  s.add(35, 35, 5000);  // empty: no segment
  EXPECT_EQ(s.segments(), 2u);
  EXPECT_DOUBLE_EQ(s.mean(0, 10), 1000);
  EXPECT_DOUBLE_EQ(s.mean(15, 25), 1200);
  EXPECT_DOUBLE_EQ(s.mean(0, 40), 1000 + (100.0 * 10 + 300.0 * 10) / 40);
  EXPECT_DOUBLE_EQ(s.mean(28, 50), 1000 + 300.0 * 2 / 22);
  EXPECT_DOUBLE_EQ(s.at(25), 1300);
  EXPECT_DOUBLE_EQ(s.at(30), 1000);  // a segment ends before its end time
  EXPECT_DOUBLE_EQ(s.mean(12, 12), 1100);
}

TEST(PowerSignal, SegmentsMustNotOverlap) {
  power_signal s(0);
  s.add(0, 10, 1);
  EXPECT_ERROR_MENTIONS(s.add(5, 15, 1), "overlaps");
}

}  // namespace power_signal_test
}  // namespace layerwatt::sim
