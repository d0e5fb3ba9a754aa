#include "layerwatt/join/interpolated.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "join_test_support.hpp"
#include "support/temp_dir.hpp"

namespace join = layerwatt::join;
using layerwatt::testing::at_us;
using layerwatt::testing::samples;

namespace interpolated_test {  // named: window_mean_test.cpp, in the same unity batch, has helpers of the same names

const auto interpolate = layerwatt::testing::attribute_with<join::interpolated>;
const auto window_at = layerwatt::testing::window_us;

// A straight line is drawn exactly by linear interpolation, so the time average over any window
// is the line's value at the window's middle, however the samples fall.
TEST(Interpolated, ExactOnALinearRamp) {
  const auto ramp = [](double t_us) { return 5e6 + 37.5 * t_us; };
  std::mt19937 rng(7);
  std::vector<std::pair<std::int64_t, double>> points;
  for (std::int64_t t = 0; t < 2'000'000; t += 1'200 + static_cast<std::int64_t>(rng() % 400))
    points.push_back({t, ramp(static_cast<double>(t))});
  const auto s = samples(points);
  const std::int64_t last = points.back().first;
  std::vector<join::layer_window> windows;
  for (std::int64_t start = 0; start + 5'000 < last; start += 977) {
    windows.push_back(window_at(start, start + static_cast<std::int64_t>(rng() % 5'000)));  // mostly inside one segment
    windows.push_back(window_at(start / 2, start / 2 + 31));  // far behind: a backward search
  }
  windows.push_back(window_at(0, last));
  windows.push_back(window_at(1234, 1234));
  const auto p = interpolate(s, windows);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const double middle =
        0.5 * static_cast<double>((windows[i].start - at_us(0)).count() + (windows[i].end - at_us(0)).count());
    EXPECT_NEAR(p[i], ramp(middle), 1e-9 * ramp(middle)) << "window " << i;
  }
}

TEST(Interpolated, TriangleWorkedByHand) {
  // 0 → 10 → 0 µW over 0, 10, 20 µs. Over [5, 15] the area is 37.5 + 37.5, the mean 7.5.
  const auto s = samples({{0, 0}, {10, 10}, {20, 0}});
  const auto p = interpolate(s, {window_at(5, 15), window_at(0, 20), window_at(10, 10), window_at(2, 4)});
  EXPECT_DOUBLE_EQ(p[0], 7.5);
  EXPECT_DOUBLE_EQ(p[1], 5.0);
  EXPECT_DOUBLE_EQ(p[2], 10.0);
  EXPECT_DOUBLE_EQ(p[3], 3.0);
}

TEST(Interpolated, ShortWindowsBetweenSamplesGetAValue) {
  const auto s = samples({{0, 100}, {1400, 240}});
  const auto p = interpolate(s, {window_at(700, 730)});  // 30 µs, no sample inside
  EXPECT_DOUBLE_EQ(p[0], 100 + 140 * (715.0 / 1400.0));
}

TEST(Interpolated, WindowsReachingOutsideTheLogGetNoPower) {
  const auto s = samples({{100, 1}, {200, 2}});
  const auto p = interpolate(s, {window_at(50, 150), window_at(150, 250), window_at(100, 200), window_at(300, 400)});
  EXPECT_TRUE(std::isnan(p[0]));
  EXPECT_TRUE(std::isnan(p[1]));
  EXPECT_DOUBLE_EQ(p[2], 1.5);
  EXPECT_TRUE(std::isnan(p[3]));
}

TEST(Interpolated, DegenerateLogs) {
  EXPECT_TRUE(std::isnan(interpolate({}, {window_at(0, 1)})[0]));
  const auto one = samples({{10, 7}});
  const auto p = interpolate(one, {window_at(10, 10), window_at(10, 11)});
  EXPECT_EQ(p[0], 7.0);
  EXPECT_TRUE(std::isnan(p[1]));
  const auto repeated = samples({{0, 2}, {10, 4}, {10, 8}, {20, 8}});  // two readings at one instant
  const auto q = interpolate(repeated, {window_at(0, 20)});
  EXPECT_DOUBLE_EQ(q[0], (30.0 + 80.0) / 20.0);
}

TEST(Interpolated, SamplesGoingBackInTimeAreAnError) {
  const auto s = samples({{0, 1}, {100, 2}, {50, 3}});
  EXPECT_ERROR_MENTIONS(interpolate(s, {window_at(0, 10)}), "power sample 3", "earlier", "time order");
}

}  // namespace interpolated_test
