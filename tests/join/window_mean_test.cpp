#include "layerwatt/join/window_mean.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "join_test_support.hpp"

namespace join = layerwatt::join;
using layerwatt::testing::at_us;
using layerwatt::testing::samples;

namespace window_mean_test {

const auto attribute = layerwatt::testing::attribute_with<join::window_mean>;
const auto w = layerwatt::testing::window_us;

TEST(WindowMean, BothEndsIncludedSamplesBeforeAndAfterIgnored) {
  const auto s = samples({{0, 1}, {100, 2}, {200, 4}, {300, 8}, {400, 16}});
  const auto p = attribute(s, {w(100, 300)});
  EXPECT_EQ(p[0], (2.0 + 4.0 + 8.0) / 3.0);
}

TEST(WindowMean, ASampleTakenByOneWindowIsNotOfferedToTheNext) {
  const auto s = samples({{100, 10}, {200, 20}, {300, 30}});
  // Overlapping windows, as end-stamp lays out stamps taken together.
  const auto p = attribute(s, {w(50, 250), w(150, 300), w(100, 300)});
  EXPECT_EQ(p[0], 15.0);
  EXPECT_EQ(p[1], 30.0);
  EXPECT_TRUE(std::isnan(p[2]));  // everything inside was taken
}

TEST(WindowMean, EmptyWindowsAndWindowsBehindTheScanGetNoPower) {
  const auto s = samples({{0, 1}, {1000, 2}, {2000, 3}});
  const auto p = attribute(s, {w(10, 20), w(1000, 1000), w(500, 900), w(1500, 2500)});
  EXPECT_TRUE(std::isnan(p[0]));
  EXPECT_EQ(p[1], 2.0);
  EXPECT_TRUE(std::isnan(p[2]));  // earlier than a window already scanned past
  EXPECT_EQ(p[3], 3.0);
}

TEST(WindowMean, TheWindowWhereTheLogEndsKeepsItsSamplesLaterOnesGetNone) {
  const auto s = samples({{0, 4}, {100, 6}});
  const auto p = attribute(s, {w(-50, 500), w(600, 700), w(800, 900)});
  EXPECT_EQ(p[0], 5.0);
  EXPECT_TRUE(std::isnan(p[1]));
  EXPECT_TRUE(std::isnan(p[2]));
}

TEST(WindowMean, SumsAsPython312DoesNotAsARunningSum) {
  const auto s = samples({{0, 1e16}, {1, 1.0}, {2, 1.0}});
  EXPECT_EQ(attribute(s, {w(0, 2)})[0], (1e16 + 2.0) / 3.0);
}

TEST(WindowMean, NoSamplesNoPower) {
  const auto p = attribute({}, {w(0, 10)});
  EXPECT_TRUE(std::isnan(p[0]));
}

}  // namespace window_mean_test
