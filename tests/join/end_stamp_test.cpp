#include "layerwatt/join/end_stamp.hpp"

#include <gtest/gtest.h>

#include <array>

#include "join_test_support.hpp"

namespace join = layerwatt::join;
using layerwatt::testing::at_us;

namespace end_stamp_test {

TEST(EndStamp, WindowEndsAtTheStampAndStartsOneLatencyBefore) {
  const std::array<join::timed_latency, 3> cycle = {{{400.0, at_us(1'500'000)},
                                                    {0.0303, at_us(1'500'010)},  // 30.3 µs → 30
                                                    {0.0025, at_us(1'500'020)}}};  // 2.5 µs → 2 (to even)
  std::array<join::layer_window, 3> out{};
  join::end_stamp{}.lay_out(cycle, out);
  EXPECT_EQ(out[0], (join::layer_window{at_us(1'100'000), at_us(1'500'000)}));
  EXPECT_EQ(out[1], (join::layer_window{at_us(1'499'980), at_us(1'500'010)}));
  EXPECT_EQ(out[2], (join::layer_window{at_us(1'500'018), at_us(1'500'020)}));
}

TEST(EndStamp, StampsTakenTogetherStackTheWindows) {
  // What end_stamp does with stamps taken after the inference: every window ends at once.
  const std::array<join::timed_latency, 2> cycle = {{{1.0, at_us(5000)}, {2.0, at_us(5001)}}};
  std::array<join::layer_window, 2> out{};
  join::end_stamp{}.lay_out(cycle, out);
  EXPECT_LT(out[1].start, out[0].start);
  EXPECT_GT(out[0].end, out[1].start);
}

}  // namespace end_stamp_test
