#include "layerwatt/join/join.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "join_test_support.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/interpolated.hpp"
#include "layerwatt/join/window_mean.hpp"
#include "support/temp_dir.hpp"

namespace io = layerwatt::io;
namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::testing::at_us;
using layerwatt::testing::layer;
using layerwatt::testing::samples;

namespace join_test {

struct row {
  std::int64_t cycle;
  std::string name;
  double latency_ms;
  std::optional<double> power;
  bool operator==(const row&) const = default;
};

std::vector<row> rows_of(const join::joined& j, const io::layer_latencies& l) {
  std::vector<row> out;
  join::for_each_row(j, l, [&](const join::join_row& r) {
    out.push_back({r.cycle, std::string(r.layer_name), r.latency_ms, r.power_uw});
  });
  return out;
}

TEST(Join, CycleByCycleInFileOrder) {
  const io::layer_latencies l{{layer("a", {{0.1, 1'000}, {0.1, 3'000}}), layer("b", {{0.2, 1'500}, {0.2, 3'500}})},
                              true};
  const auto s = samples({{950, 10}, {1'400, 20}, {2'950, 30}, {3'400, 40}});
  const auto j = join::join(l, {s, microseconds{1'100}});  // the reference's policies by default
  EXPECT_EQ(j.cycles, 2u);
  EXPECT_EQ(j.refresh_interval, microseconds{1'100});
  EXPECT_EQ(j.timeline, "end-stamp");
  EXPECT_EQ(j.attribution, "window-mean");
  EXPECT_EQ(rows_of(j, l), (std::vector<row>{{1, "a", 0.1, 10.0}, {1, "b", 0.2, 20.0}, {2, "a", 0.1, 30.0},
                                             {2, "b", 0.2, 40.0}}));
}

TEST(Join, ManyCyclesStayInStep) {
  // 2 000 cycles of 3 layers, 1 ms each, one sample in the middle of each layer, its power
  // telling which (cycle, layer) it belongs to.
  io::layer_latencies l{{layer("x", {}), layer("y", {}), layer("z", {})}, true};
  std::vector<std::pair<std::int64_t, double>> points{{-5'000, -1}};  // before everything
  for (std::int64_t c = 0; c < 2'000; ++c)
    for (std::int64_t k = 0; k < 3; ++k) {
      const std::int64_t end = c * 4'000 + (k + 1) * 1'000;
      l.layers[static_cast<std::size_t>(k)].latency_ms.push_back(1.0);
      l.layers[static_cast<std::size_t>(k)].end_stamps.push_back(at_us(end));
      points.push_back({end - 500, static_cast<double>(c * 10 + k)});
    }
  points.push_back({8'100'000, -1});  // after everything (within a second: no gap in the log)
  const auto s = samples(points);
  const auto j = join::join(l, {s, std::nullopt}, join::end_stamp{}, join::window_mean{});
  const auto rows = rows_of(j, l);
  ASSERT_EQ(rows.size(), 6'000u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].cycle, static_cast<std::int64_t>(i / 3) + 1);
    ASSERT_EQ(rows[i].power, static_cast<double>((i / 3) * 10 + i % 3)) << i;
  }
  const auto c = join::coverage_of(j, s);
  EXPECT_EQ(c.windows, 6'000u);
  EXPECT_EQ(c.without_power(), 0u);
}

TEST(Join, ARaggedFileLeavesShortLayersOutOfLaterCycles) {
  const io::layer_latencies l{{layer("a", {{0.1, 1'000}}), layer("b", {{0.1, 2'000}, {0.1, 3'000}})}, true};
  const auto j = join::join(l, {{}, std::nullopt}, join::back_to_back{}, join::window_mean{});
  EXPECT_EQ(j.shortest_list, 1u);
  EXPECT_EQ(j.longest_list, 2u);
  const auto rows = rows_of(j, l);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].cycle, 2);
  EXPECT_EQ(rows[2].name, "b");
  // Cycle 2 holds b alone: its window is its own latency before its stamp.
  EXPECT_EQ(j.windows[2], (join::layer_window{at_us(2'900), at_us(3'000)}));
}

TEST(Join, CoverageSaysWhereWindowsWithoutPowerLie) {
  const io::layer_latencies l{{layer("a", {{0.1, 500}, {0.1, 1'550}, {0.01, 1'705}, {0.1, 9'000}})}, true};
  const auto s = samples({{1'000, 1}, {1'500, 2}, {2'000, 3}});
  const auto j = join::join(l, {s, std::nullopt}, join::end_stamp{}, join::window_mean{});
  const auto c = join::coverage_of(j, s);
  EXPECT_EQ(c.with_power, 1u);
  EXPECT_EQ(c.before_log, 1u);
  EXPECT_EQ(c.inside_log, 1u);
  EXPECT_EQ(c.after_log, 1u);
}

TEST(Join, InterpolatedGivesEveryWindowInsideTheLogAValue) {
  const io::layer_latencies l{{layer("a", {{0.01, 1'105}, {0.01, 1'305}})}, true};
  const auto s = samples({{1'000, 100}, {1'400, 500}});
  const auto j = join::join(l, {s, std::nullopt}, join::end_stamp{}, join::interpolated{});
  EXPECT_DOUBLE_EQ(j.power_uw[0], 200.0);
  EXPECT_DOUBLE_EQ(j.power_uw[1], 400.0);
}

/// A policy of the layer-aware form: it records which entries it was told.
struct recording_policy {
  static constexpr std::string_view name = "recording";
  std::vector<join::entry_index>* seen;
  void attribute(const join::power_signal&, std::span<const join::layer_window> windows,
                 std::span<const join::entry_index> entries, std::span<double> power) {
    EXPECT_EQ(entries.size(), windows.size());
    seen->assign(entries.begin(), entries.end());
    std::fill(power.begin(), power.end(), 1.0);
  }
};

TEST(Join, ALayerAwarePolicyIsToldEachWindowsLayerAndCycle) {
  const io::layer_latencies l{{layer("a", {{0.1, 1'000}, {0.1, 3'000}}), layer("b", {{0.2, 1'500}})}, true};
  std::vector<join::entry_index> seen;
  const auto j = join::join(l, {}, join::end_stamp{}, recording_policy{&seen});
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(j.attribution, "recording");
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].layer, j.entries[i].layer);
    EXPECT_EQ(seen[i].cycle, j.entries[i].cycle);
  }
  EXPECT_EQ(seen[2].layer, 0u);
  EXPECT_EQ(seen[2].cycle, 1u);
}

TEST(Join, BadLatenciesAreErrorsNamingLayerAndCycle) {
  const io::layer_latencies bare{{{"a", {0.1, 0.2}, {}}}, false};
  EXPECT_ERROR_MENTIONS(join::join(bare, {}, join::end_stamp{}, join::window_mean{}), "no time stamps");
  const io::layer_latencies negative{{layer("conv1", {{0.1, 10}, {-0.5, 20}})}, true};
  EXPECT_ERROR_MENTIONS(join::join(negative, {}, join::end_stamp{}, join::window_mean{}), "\"conv1\"", "cycle 2",
                        "-0.5");
  const io::layer_latencies absurd{{layer("conv1", {{1e300, 10}})}, true};
  EXPECT_ERROR_MENTIONS(join::join(absurd, {}, join::end_stamp{}, join::window_mean{}), "\"conv1\"", "cycle 1");
  io::layer_latencies mismatched{{layer("fc", {{0.1, 10}})}, true};
  mismatched.layers[0].latency_ms.push_back(0.2);
  EXPECT_ERROR_MENTIONS(join::join(mismatched, {}, join::end_stamp{}, join::window_mean{}), "\"fc\"",
                        "2 latencies but 1 time stamps");
}

TEST(Join, EmptyFileJoinsToNothing) {
  const auto j = join::join(io::layer_latencies{}, {}, join::end_stamp{}, join::window_mean{});
  EXPECT_EQ(j.cycles, 0u);
  EXPECT_TRUE(j.entries.empty());
}

}  // namespace join_test
