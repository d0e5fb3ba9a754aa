#include "layerwatt/join/refresh_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "join_test_support.hpp"

namespace io = layerwatt::io;
namespace join = layerwatt::join;
using layerwatt::testing::at_us;

namespace refresh_grid_test {

/// A log of a sensor publishing a new value at phase + k·interval (µs after the first line) read
/// by a logger every period ± jitter µs, stamped truncated to the µs, for `duration` µs.
std::vector<io::power_sample> sensor_log(double phase_us, double interval_us, double period_us, double jitter_us,
                                         double duration_us, unsigned seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> jitter(-jitter_us, jitter_us);
  std::vector<io::power_sample> out;
  for (double s = 0; s < duration_us; s += period_us + jitter(rng)) {
    const double k = std::floor((s - phase_us) / interval_us);
    out.push_back({at_us(static_cast<std::int64_t>(std::floor(s))), 1000 + k});
  }
  return out;
}

/// Whether the grid puts a refresh within `slack` µs of phase_us (modulo its interval).
void expect_refresh_near(const join::refresh_grid& g, double phase_us, double slack) {
  const double from = std::fmod(g.phase_from_us, g.interval_us), to = from + (g.phase_to_us - g.phase_from_us);
  const double p = std::fmod(phase_us, g.interval_us);
  EXPECT_GE(p + slack, from);
  EXPECT_LE(p - slack, to);
}

TEST(RefreshGrid, LocatesTheRefreshesOfASlowSensorToTheMicrosecond) {
  // The reference's logger (1.4 ms) on the INA3221's reset configuration (6.6 ms).
  const auto log = sensor_log(1234.5, 6600, 1400, 60, 4e6);
  const auto g = join::fit_refresh_grid(log, 6600);
  ASSERT_TRUE(g.located());
  EXPECT_EQ(g.interval_us, 6600);
  EXPECT_EQ(g.consistent, g.changes);
  EXPECT_GT(g.changes, 500u);
  EXPECT_LE(g.phase_to_us - g.phase_from_us, 4.0);  // a µs or two each side: few lines fall closer
  expect_refresh_near(g, 1234.5, 1.0);
  // The refresh at or before a line is the one whose value it shows.
  for (std::size_t i = 0; i < log.size(); i += 97)
    EXPECT_EQ(g.refresh_index(join::read_time_us(log, i)), log[i].power_uw - 1000) << i;
}

TEST(RefreshGrid, FindsTheIntervalOfAChipWhoseClockIsOff) {
  // The chip runs 0.3 % slow: 6619.8 µs, not 6600; over 1 500 refreshes that is 30 ms of drift.
  const double real = 6600 * 1.003;
  const auto log = sensor_log(100, real, 1400, 60, 1500 * real, 2);
  const auto g = join::fit_refresh_grid(log, 6600);
  ASSERT_TRUE(g.located());
  EXPECT_NEAR(g.interval_us, real, 0.005);
  EXPECT_GE(static_cast<double>(g.consistent), 0.995 * static_cast<double>(g.changes));
  EXPECT_LE(g.phase_to_us - g.phase_from_us, 5.0);
}

TEST(RefreshGrid, ALoggerSlowerThanTheSensorLocatesNothing) {
  // Every line is a new value, more than an interval after the last: no change pins a refresh.
  const auto g = join::fit_refresh_grid(sensor_log(300, 1100, 1400, 20, 1e6), 1100);
  EXPECT_EQ(g.changes, 0u);
  EXPECT_FALSE(g.located());
}

TEST(RefreshGrid, ChangesThatFollowNoGridLocateNothing) {
  // Values that change at random instants, not on a grid.
  std::mt19937 rng(5);
  std::vector<io::power_sample> log;
  double value = 0;
  for (std::int64_t t = 0; t < 2'000'000; t += 1400) {
    if (rng() % 3 == 0) value += 1;
    log.push_back({at_us(t + static_cast<std::int64_t>(rng() % 200)), value});
  }
  const auto g = join::fit_refresh_grid(log, 6600);
  EXPECT_GT(g.changes, 100u);
  EXPECT_FALSE(g.located());
}

TEST(RefreshGrid, TooFewChangesOrNoneLocateNothing) {
  EXPECT_FALSE(join::fit_refresh_grid(sensor_log(10, 6600, 1400, 60, 60'000), 6600).located());  // 9 changes
  EXPECT_FALSE(join::fit_refresh_grid({}, 6600).located());
  const std::vector<io::power_sample> flat(50, {at_us(0), 5.0});
  EXPECT_FALSE(join::fit_refresh_grid(flat, 6600).located());
}

}  // namespace refresh_grid_test
