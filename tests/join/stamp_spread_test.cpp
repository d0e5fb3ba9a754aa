#include "layerwatt/join/stamp_spread.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "join_test_support.hpp"

namespace io = layerwatt::io;
namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::testing::layer;

namespace stamp_spread_test {

TEST(StampSpread, PerCycleSpreadAndLatencies) {
  const io::layer_latencies l{{layer("a", {{1.0, 1'000}, {1.0, 9'000}}), layer("b", {{2.0, 3'000}, {2.0, 9'050}})},
                              true};
  std::vector<join::cycle_spread> cycles;
  join::for_each_cycle_spread(l, [&](const join::cycle_spread& s) { cycles.push_back(s); });
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0].cycle, 1);
  EXPECT_EQ(cycles[0].layers, 2u);
  EXPECT_EQ(cycles[0].spread, microseconds{2'000});
  EXPECT_EQ(cycles[0].latency_sum_ms, 3.0);
  EXPECT_EQ(cycles[0].after_first_ms, 2.0);
  EXPECT_EQ(cycles[1].spread, microseconds{50});
}

TEST(StampSpread, PerLayerEndStampsSuggestEndStamp) {
  // Each stamp is its layer's end: they spread over the cycle.
  io::layer_latencies l{{layer("a", {}), layer("b", {}), layer("c", {})}, true};
  for (std::int64_t c = 0; c < 9; ++c)
    for (std::size_t k = 0; k < 3; ++k) {
      l.layers[k].latency_ms.push_back(1.0);
      l.layers[k].end_stamps.push_back(layerwatt::testing::at_us(c * 10'000 + static_cast<std::int64_t>(k + 1) * 1'010));
    }
  const auto s = join::summarize_stamp_spread(l);
  EXPECT_EQ(s.cycles, 9u);
  EXPECT_DOUBLE_EQ(s.median_spread_ms, 2.02);
  EXPECT_DOUBLE_EQ(s.median_latency_sum_ms, 3.0);
  ASSERT_TRUE(s.median_ratio);
  EXPECT_DOUBLE_EQ(*s.median_ratio, 1.01);
  EXPECT_EQ(s.suggested_timeline, join::end_stamp::name);
}

TEST(StampSpread, StampsTakenTogetherSuggestBackToBack) {
  // All stamps of a cycle within 30 µs, layers of 1 ms: the profiler reported after the run.
  const io::layer_latencies l{{layer("a", {{1.0, 10'000}, {1.0, 20'000}}), layer("b", {{1.0, 10'010}, {1.0, 20'020}}),
                               layer("c", {{1.0, 10'020}, {1.0, 20'030}})},
                              true};
  const auto s = join::summarize_stamp_spread(l);
  ASSERT_TRUE(s.median_ratio);
  EXPECT_DOUBLE_EQ(*s.median_ratio, 0.0125);  // median of 0.01 and 0.015
  EXPECT_EQ(s.suggested_timeline, join::back_to_back::name);
}

TEST(StampSpread, NoVerdictWithoutTwoLayers) {
  const io::layer_latencies l{{layer("a", {{1.0, 10'000}})}, true};
  const auto s = join::summarize_stamp_spread(l);
  EXPECT_EQ(s.cycles, 1u);
  EXPECT_FALSE(s.median_ratio);
  EXPECT_TRUE(s.suggested_timeline.empty());
}

}  // namespace stamp_spread_test
