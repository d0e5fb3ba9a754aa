#include "layerwatt/join/sensor_readings.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "join_test_support.hpp"

namespace join = layerwatt::join;
using layerwatt::testing::samples;

namespace sensor_readings_test {

TEST(ReadingKernel, AKnownRefreshWeighsItsWindowEvenly) {
  const join::reading_kernel k({0, 1000, 1000}, 100);  // the mean over [900, 1000]
  EXPECT_EQ(k.support_from(), 900);
  EXPECT_EQ(k.support_to(), 1000);
  EXPECT_DOUBLE_EQ(k.weight(900, 1000), 1.0);
  EXPECT_DOUBLE_EQ(k.weight(0, 5000), 1.0);
  EXPECT_DOUBLE_EQ(k.weight(950, 1000), 0.5);
  EXPECT_DOUBLE_EQ(k.weight(930, 937), 0.07);
  EXPECT_EQ(k.weight(800, 900), 0.0);
  EXPECT_EQ(k.weight(1000, 1200), 0.0);
}

TEST(ReadingKernel, AnUncertainRefreshAveragesTheWindowsItCouldHave) {
  // T anywhere in [1000, 1100], W = 100: [1000, 1100] holds (T − 1000)/100 of the window, 1/2 on
  // average, and [900, 1000] the other half.
  const join::reading_kernel k({0, 1000, 1100}, 100);
  EXPECT_EQ(k.support_from(), 900);
  EXPECT_EQ(k.support_to(), 1100);
  EXPECT_DOUBLE_EQ(k.weight(1000, 1100), 0.5);
  EXPECT_DOUBLE_EQ(k.weight(900, 1000), 0.5);
  EXPECT_DOUBLE_EQ(k.weight(-1e6, 1e6), 1.0);
  // Against the average of boxcars over T, by the midpoint rule in T.
  for (const auto& [a, b] : {std::pair{910.0, 925.0}, {990.0, 1020.0}, {1050.0, 1051.0}, {1080.0, 1200.0}}) {
    double mean = 0;
    constexpr int steps = 20'000;
    for (int i = 0; i < steps; ++i) {
      const double t = 1000 + 100 * (i + 0.5) / steps;
      mean += join::reading_kernel({0, t, t}, 100).weight(a, b) / steps;
    }
    EXPECT_NEAR(k.weight(a, b), mean, 1e-9) << a << ", " << b;
  }
}

TEST(SensorReadings, OnAGridLinesBetweenRefreshesAreOneReading) {
  join::refresh_grid grid;
  grid.phase_from_us = 49;
  grid.phase_to_us = 51;  // refreshes at 50 ± 1, 150 ± 1, ...
  grid.interval_us = 100;
  // Lines are read ½ µs after their stamps. Lines at 0 and 30 show the reading of the refresh at −50; 60, 90 and 120 that of 50; 160 and
  // 200 disagree (the grid is contradicted there); 260 alone shows that of 250.
  const auto s = samples({{0, 1}, {30, 1}, {60, 2}, {90, 2}, {120, 2}, {160, 3}, {200, 4}, {260, 5}});
  std::size_t contradicting = 0;
  const auto r = join::sensor_readings(s, 100, grid, &contradicting);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(contradicting, 1u);
  EXPECT_EQ(r[0].power_uw, 1);
  EXPECT_EQ(r[0].refresh_from_us, -50);  // the middle of the grid's interval
  EXPECT_EQ(r[0].refresh_to_us, -50);
  EXPECT_EQ(r[1].power_uw, 2);
  EXPECT_EQ(r[1].refresh_from_us, 50);
  EXPECT_EQ(r[2].power_uw, 5);
  EXPECT_EQ(r[2].refresh_from_us, 250);
  EXPECT_EQ(r[2].refresh_to_us, 250);
}

TEST(SensorReadings, WithoutAGridEachNewValueIsAReadingRefreshedSinceTheLineBefore) {
  const auto s = samples({{1000, 7}, {1400, 7}, {1800, 8}, {2200, 8}, {4000, 8}, {4100, 9}});
  const auto r = join::sensor_readings(s, 1000, std::nullopt);
  // Times are µs after the first stamp, lines read ½ µs after theirs.
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].power_uw, 7);  // the first line: refreshed within the W before it
  EXPECT_EQ(r[0].refresh_from_us, -999.5);
  EXPECT_EQ(r[0].refresh_to_us, 0.5);
  EXPECT_EQ(r[1].power_uw, 8);  // between the lines at 1400 and 1800
  EXPECT_EQ(r[1].refresh_from_us, 400.5);
  EXPECT_EQ(r[1].refresh_to_us, 800.5);
  EXPECT_EQ(r[2].power_uw, 8);  // equal, but 1800 µs after the line before: the sensor refreshed
  EXPECT_EQ(r[2].refresh_from_us, 2000.5);
  EXPECT_EQ(r[2].refresh_to_us, 3000.5);
  EXPECT_EQ(r[3].refresh_from_us, 3000.5);
  EXPECT_EQ(r[3].refresh_to_us, 3100.5);
  EXPECT_TRUE(join::sensor_readings({}, 1000, std::nullopt).empty());
}

}  // namespace sensor_readings_test
