#include "layerwatt/sense/rail_sum.hpp"

#include <gtest/gtest.h>

#include <array>

#include "layerwatt/sense/idle.hpp"
#include "layerwatt/sense/replay.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
namespace sense = layerwatt::sense;

namespace rail_sum_test {

// An AGX Orin's three rails, as ../shared/cases/agx-orin-rail-sum/make_sysfs.sh sets them.
sense::replay_sampler agx_orin_rails() {
  return sense::replay_sampler({{"VDD_GPU_SOC", "/g/v", "/g/c"}, {"VDD_CPU_CV", "/c/v", "/c/c"}, {"VIN_SYS_5V0", "/s/v", "/s/c"}},
                               {{{19104, 1226}, {19104, 408}, {5016, 845}}, {}, {{19096, 2410}, {19104, 396}, {5016, 861}}});
}

TEST(RailSum, PlansEachRailOnceAndEachSpecAColumn) {
  const std::vector<std::string> specs{"A+B", "C", "B+C"};
  const auto plan = sense::plan_rail_sums(specs);
  EXPECT_EQ(plan.rails, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(plan.columns, (std::vector<std::vector<std::size_t>>{{0, 1}, {2}, {1, 2}}));
  EXPECT_TRUE(sense::names_a_sum(specs));
  EXPECT_FALSE(sense::names_a_sum(std::vector<std::string>{"A", "C"}));
  EXPECT_ERROR_MENTIONS(sense::plan_rail_sums(std::vector<std::string>{"A+A"}), "named twice");
}

// Sums done by hand: 19104×1226 + 19104×408 + 5016×845 = 35 454 456 µW, then a failed read, then
// 19096×2410 + 19104×396 + 5016×861 = 57 905 320 µW.
TEST(RailSum, SumsTheRailsOfEachReading) {
  sense::rail_sum_sampler sum(agx_orin_rails(), {{0, 1, 2}, {1}});
  static_assert(sense::run_aware_sampler<decltype(sum)>);
  ASSERT_EQ(sum.rails().size(), 2u);
  EXPECT_EQ(sum.rails()[0].name, "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  EXPECT_EQ(sum.rails()[1].name, "VDD_CPU_CV");
  EXPECT_EQ(sum.source(), "replay");
  std::array<sense::rail_reading, 2> out{};
  ASSERT_TRUE(sum.read(out));
  EXPECT_EQ(out[0].voltage_mv, 1000.0);
  EXPECT_DOUBLE_EQ(out[0].power_uw(), 35'454'456.0);
  // A column of one rail is that rail as read: its voltage and current, not a power-only reading.
  EXPECT_EQ(out[1].voltage_mv, 19104.0);
  EXPECT_EQ(out[1].current_ma, 408.0);
  EXPECT_EQ(sum.rails()[1].current_path, "/c/c");
  EXPECT_FALSE(sum.read(out));
  ASSERT_TRUE(sum.read(out));
  EXPECT_DOUBLE_EQ(out[0].power_uw(), 57'905'320.0);

  io::power_log_meta meta;
  sum.end_run(meta);
  const auto& listed = meta.extra["rail_sums"];
  ASSERT_EQ(listed.size(), 1u);  // the sums only
  EXPECT_EQ(listed[0]["name"], "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  EXPECT_EQ(listed[0]["rails"][2]["current_path"], "/s/c");
}

TEST(RailSum, AColumnNamesOneOrMoreOfTheRailsAndOnlySumsAreListed) {
  EXPECT_ERROR_MENTIONS(sense::rail_sum_sampler(agx_orin_rails(), {{0}, {}}), "names no rail");
  EXPECT_ERROR_MENTIONS(sense::rail_sum_sampler(agx_orin_rails(), {{3}}), "names rail 3 of 3");
  sense::rail_sum_sampler plain(agx_orin_rails(), {{2}});
  io::power_log_meta meta;
  plain.end_run(meta);
  EXPECT_FALSE(meta.extra.contains("rail_sums"));
}

TEST(RailSum, IdleMeasuresTheSum) {
  sense::replay_sampler steady({{"VDD_GPU_SOC", "", ""}, {"VDD_CPU_CV", "", ""}, {"VIN_SYS_5V0", "", ""}},
                               {{{19104, 1226}, {19104, 408}, {5016, 845}}});
  sense::rail_sum_sampler sum(std::move(steady), {{0, 1, 2}});
  sense::manual_clock clock(lw::parse_time_stamp("20250101-00:00:00.0"));
  const auto idle = sense::measure_idle(sum, clock, std::chrono::milliseconds{5}, lw::microseconds{0});
  EXPECT_DOUBLE_EQ(idle.avg_idle_power_uw, 35'454'456.0);
  EXPECT_EQ(idle.extra["rails"][0]["name"], "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
}

TEST(RailSum, IdleFromSamplesIsTheirMeanAndSpread) {
  const std::vector<io::power_sample> samples{{lw::parse_time_stamp("20250101-00:00:00.0"), 4e6},
                                              {lw::parse_time_stamp("20250101-00:00:01.0"), 6e6}};
  const auto idle = sense::idle_from_samples(samples, "POM_5V_IN", "tegrastats");
  EXPECT_EQ(idle.avg_idle_power_uw, 5e6);
  EXPECT_EQ(idle.extra["std_idle_power"].get<double>(), 1e6);
  EXPECT_EQ(idle.timestamp, samples[1].t);
  EXPECT_EQ(idle.extra["rails"][0]["name"], "POM_5V_IN");
  EXPECT_EQ(idle.extra["source"], "tegrastats");
  EXPECT_ERROR_MENTIONS(sense::idle_from_samples({}, "VDD_IN", "tegrastats"), "no tegrastats sample of VDD_IN");
}

}  // namespace rail_sum_test
