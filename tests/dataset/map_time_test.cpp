// map_model's checks of time and rails, on raw folders written from runs with an exact answer
// (tests/join/clock_run.hpp): errors naming file and line, the split, the clock offset, summed
// rails with the idle power of the same sum, rails named by the sidecar, tegrastats refused.

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/clock_run.hpp"
#include "layerwatt/dataset/join_meta.hpp"
#include "layerwatt/dataset/map_model.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "raw_model_builder.hpp"
#include "support/temp_dir.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::testing::clock_run_options;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_clock_run;
using layerwatt::testing::write_raw_model;
using layerwatt::testing::write_text;

namespace map_time_test {

constexpr const char* netx_engine = R"({"Layers": [{"Name": "conv1", "LayerType": "CaskConvolution"},
  {"Name": "pool1", "LayerType": "CaskPooling"}, {"Name": "fc1", "LayerType": "CaskGemmConvolution"}]})";

struct mapped {
  ds::map_summary summary;
  std::vector<std::optional<double>> with_idle, without_idle;
  std::vector<std::string> warnings;
};

mapped map_raw(const std::filesystem::path& raw_dir, const ds::map_options& options) {
  const auto raw = io::scan_raw_data_dir(raw_dir);
  mapped m;
  m.summary = ds::map_model(
      raw.models.front(), io::read_idle_power(raw.idle_power), raw.idle_power, options,
      [&](const io::layerwise_row& r) {
        m.with_idle.push_back(r.power_including_idle_uw);
        m.without_idle.push_back(r.power_excluding_idle_uw);
      },
      [&](std::string_view w) { m.warnings.emplace_back(w); });
  return m;
}

/// Rows whose power is their layer's (10, 6, 8 W in turn).
std::size_t exact_rows(const mapped& m) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < m.with_idle.size(); ++i)
    n += m.with_idle[i] == layerwatt::testing::run_layers[i % 3].power_uw;
  return n;
}

TEST(MapTime, AClockStepIsAnErrorNamingTheLogAndLine) {
  temp_dir raw;
  write_clock_run(raw.path(), {.step_back_us = 4'000});
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {}), "netx_power_log.log:511: time steps backward by 3.9 ms",
                        "--clock-steps split");
}

TEST(MapTime, ALatencyStepNamesTheLatencyFileLineAndSplitJoinsExactly) {
  temp_dir raw;
  write_clock_run(raw.path(), {.cycle_period_us = 1'200, .step_back_us = 4'000});
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {}), "trt_layer_latency.json:43 (layer \"conv1\", cycle 11): time steps "
                                                 "backward by 3.3 ms");
  const auto m = map_raw(raw.path(), {.clock_steps = join::clock_step_policy::split});
  EXPECT_EQ(exact_rows(m), 60u);
  EXPECT_EQ(m.summary.segments, 2u);
  EXPECT_EQ(*m.without_idle[0], 7e6);  // 10 W − 3 W idle
}

TEST(MapTime, AnHourOffsetIsAnErrorNamingTheTimeZoneMistakeAndTheOffsetMendsIt) {
  temp_dir raw;
  write_clock_run(raw.path(), {.profiler_behind_us = 3'600'000'000});
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {}), "trt_layer_latency.json and", "netx_power_log.log do not overlap in time",
                        "0 of 60 layer windows", "time zone", "--clock-offset 1h", "--overlap warn");
  const auto warned = map_raw(raw.path(), {.overlap = ds::overlap_choice::warn});
  EXPECT_EQ(exact_rows(warned), 0u);
  ASSERT_EQ(warned.warnings.size(), 1u);
  EXPECT_NE(warned.warnings[0].find("do not overlap"), std::string::npos);
  const auto mended = map_raw(raw.path(), {.clock_offset = microseconds{3'600'000'000}});
  EXPECT_EQ(exact_rows(mended), 60u);
  const auto meta = ds::join_meta(io::raw_model_files::in(raw / "netx", "netx"),
                                  {.clock_offset = microseconds{3'600'000'000}}, mended.summary);
  EXPECT_EQ(meta["clock_offset_us"], 3'600'000'000);
  EXPECT_EQ(meta["windows"]["with_power"], 60);
  EXPECT_EQ(meta["clock_steps"], "error");
  EXPECT_EQ(meta["timeline"], "end-stamp");
  EXPECT_EQ(meta["rail"], "0");
  EXPECT_EQ(meta["idle_matched"], "unnamed");
}

TEST(MapTime, AGapIsReportedWithItsLine) {
  temp_dir raw;
  write_clock_run(raw.path(), {.gap_from_us = 20'000, .gap_to_us = 32'000});
  const auto m = map_raw(raw.path(), {.max_gap = microseconds{10'000}});
  EXPECT_EQ(exact_rows(m), 51u);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].find("netx_power_log.log:202: no sample for 12 ms"), std::string::npos) << m.warnings[0];
  EXPECT_EQ(m.summary.coverage.in_gaps, 9u);
  // A --max-gap below the log's period makes every interval a gap: ten are named, the rest counted.
  const auto flood = map_raw(raw.path(), {.max_gap = microseconds{1}});
  ASSERT_GT(flood.summary.gaps.size(), 11u);
  const auto named = std::count_if(flood.warnings.begin(), flood.warnings.end(),
                                   [](const std::string& w) { return w.find("no sample for") != std::string::npos; });
  EXPECT_EQ(named, 10);
  const auto more = fmt::format("{} more gaps (join.meta.json lists every one; is --max-gap", flood.summary.gaps.size() - 10);
  EXPECT_TRUE(std::any_of(flood.warnings.begin(), flood.warnings.end(),
                          [&](const std::string& w) { return w.find(more) != std::string::npos; }))
      << flood.warnings.back();
}

constexpr const char* three_layers = R"({"conv1": [[0.5, "20241121-00:00:01.001500"]],
  "pool1": [[0.2, "20241121-00:00:01.001700"]], "fc1": [[0.3, "20241121-00:00:01.002000"]]})";

// An AGX Orin log of three rails; joined as their sum, with the idle power of the same sum.
constexpr const char* agx_log =
    "timestamp,VDD_GPU_SOC_mV,VDD_GPU_SOC_mA,VDD_CPU_CV_mV,VDD_CPU_CV_mA,VIN_SYS_5V0_mV,VIN_SYS_5V0_mA\n"
    "20241121-00:00:01.001000,19104.0,1226.0,19104.0,408.0,5016.0,845.0\n"
    "20241121-00:00:01.001600,19096.0,2410.0,19104.0,396.0,5016.0,861.0\n"
    "20241121-00:00:01.001900,19100.0,2000.0,19104.0,400.0,5016.0,850.0\n";

TEST(MapTime, ASumOfRailsSubtractsTheIdlePowerOfTheSameSum) {
  temp_dir raw;
  write_raw_model(raw.path(), "orin", agx_log, three_layers, netx_engine);
  write_text(raw / "idling_power.json", R"({"timestamp": "20241121-051743", "avg_idle_power": 1.0, "rails": [
    {"name": "VDD_GPU_SOC", "avg_power_uw": 1000000.0}, {"name": "VDD_CPU_CV", "avg_power_uw": 200000.0},
    {"name": "VIN_SYS_5V0", "avg_power_uw": 30000.0}]})");
  const auto m = map_raw(raw.path(), {.rail = "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0"});
  EXPECT_EQ(m.summary.rail, "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0");
  EXPECT_EQ(m.summary.idle_power_uw, 1'230'000.0);
  EXPECT_EQ(m.summary.idle_matched, "sum of VDD_GPU_SOC, VDD_CPU_CV, VIN_SYS_5V0");
  ASSERT_EQ(m.with_idle.size(), 3u);
  EXPECT_EQ(m.with_idle[0], 19104.0 * 1226 + 19104.0 * 408 + 5016.0 * 845);  // conv1 [1.001000, 1.001500]
  EXPECT_EQ(m.with_idle[1], 19096.0 * 2410 + 19104.0 * 396 + 5016.0 * 861);  // pool1 [1.001500, 1.001700]
  EXPECT_EQ(m.without_idle[2], 19100.0 * 2000 + 19104.0 * 400 + 5016.0 * 850 - 1'230'000.0);
  // The idle file of `layerwatt idle --rail A+B+C` names the sum itself.
  write_text(raw / "idling_power.json", R"({"timestamp": "20241121-051743", "avg_idle_power": 35454456.0,
    "rails": [{"name": "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0", "avg_power_uw": 35454456.0}]})");
  EXPECT_EQ(map_raw(raw.path(), {.rail = "VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0"}).summary.idle_power_uw, 35'454'456.0);
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {.rail = "VDD_GPU_SOC"}), "idling_power.json",
                        "measured on VDD_GPU_SOC+VDD_CPU_CV+VIN_SYS_5V0, not on VDD_GPU_SOC");
}

// Issue 20: `layerwatt log` and `simulate` write one rail without a header; the sidecar names it.
TEST(MapTime, TheSidecarNamesTheRailOfAHeaderlessLog) {
  temp_dir raw;
  write_raw_model(raw.path(), "m",
                  "20241121-00:00:01.001000,5000.0,1000.0\n20241121-00:00:01.001600,5000.0,1200.0\n"
                  "20241121-00:00:01.001900,5000.0,1400.0\n",
                  three_layers, netx_engine);
  write_text(raw / "m" / "m_power_log.log.meta.json", R"({"rails": [{"name": "VDD_IN"}]})");
  write_text(raw / "idling_power.json",
             R"({"timestamp": "20241121-051743", "avg_idle_power": 4000000.0, "rails": [{"name": "VDD_IN"}]})");
  const auto m = map_raw(raw.path(), {.rail = "VDD_IN"});
  EXPECT_EQ(m.summary.rail, "VDD_IN");
  EXPECT_EQ(m.summary.idle_matched, "rail VDD_IN");
  EXPECT_EQ(m.with_idle[1], 6'000'000.0);
  EXPECT_EQ(m.without_idle[1], 2'000'000.0);
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {.rail = "VDD_SOC"}), "m_power_log.log", "no rail \"VDD_SOC\"; the log has VDD_IN");
}

TEST(MapTime, ATegrastatsLogIsRefusedSayingWhatItServes) {
  temp_dir raw;
  write_raw_model(raw.path(), "nano",
                  "RAM 1798/3964MB (lfb 94x4MB) CPU [7%@204,3%@204] POM_5V_IN 7384/7384 POM_5V_GPU 4618/4618\n",
                  three_layers, netx_engine);
  EXPECT_ERROR_MENTIONS(map_raw(raw.path(), {}), "nano_power_log.log:1:", "tegrastats log",
                        "layerwatt idle --tegrastats", "per-layer power");
}

}  // namespace map_time_test
