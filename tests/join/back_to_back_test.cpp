#include "layerwatt/join/back_to_back.hpp"

#include <gtest/gtest.h>

#include <array>

#include "join_test_support.hpp"

namespace join = layerwatt::join;
using layerwatt::testing::at_us;

namespace back_to_back_test {

// Worked by hand: three layers of 1 ms, 0.5 ms and 2 ms, stamped after the inference at
// 10.000, 10.010 and 10.020 ms. The cycle ends at the last stamp, 10.020 ms; laid end to end
// backwards: [6.520, 7.520], [7.520, 8.020], [8.020, 10.020] ms.
TEST(BackToBack, LaysTheCycleEndToEndBeforeItsLastStamp) {
  const std::array<join::timed_latency, 3> cycle = {
      {{1.0, at_us(10'000)}, {0.5, at_us(10'010)}, {2.0, at_us(10'020)}}};
  std::array<join::layer_window, 3> out{};
  join::back_to_back{}.lay_out(cycle, out);
  EXPECT_EQ(out[0], (join::layer_window{at_us(6'520), at_us(7'520)}));
  EXPECT_EQ(out[1], (join::layer_window{at_us(7'520), at_us(8'020)}));
  EXPECT_EQ(out[2], (join::layer_window{at_us(8'020), at_us(10'020)}));
}

TEST(BackToBack, TheLatestStampEndsTheCycleWhateverItsPosition) {
  const std::array<join::timed_latency, 2> cycle = {{{0.004, at_us(1'000)}, {0.003, at_us(900)}}};
  std::array<join::layer_window, 2> out{};
  join::back_to_back{}.lay_out(cycle, out);
  EXPECT_EQ(out[1], (join::layer_window{at_us(997), at_us(1'000)}));
  EXPECT_EQ(out[0], (join::layer_window{at_us(993), at_us(997)}));
}

TEST(BackToBack, BoundariesComeFromTheRunningSumSoRoundingDoesNotDrift) {
  // 100 layers of 0.0004 ms each: rounded one by one every window would be 0 µs long.
  std::array<join::timed_latency, 100> cycle{};
  for (auto& e : cycle) e = {0.0004, at_us(50'000)};
  std::array<join::layer_window, 100> out{};
  join::back_to_back{}.lay_out(cycle, out);
  EXPECT_EQ(out.front().start, at_us(50'000 - 40));
  EXPECT_EQ(out.back().end, at_us(50'000));
  for (std::size_t i = 1; i < out.size(); ++i) EXPECT_EQ(out[i].start, out[i - 1].end);
}

}  // namespace back_to_back_test
