// A trtexec timed run joined with a power log (join/timed_run.hpp): the alignment, the window's
// energy and the inference count, each with an exact answer; and the energy arithmetic on the
// real tegrastats logs of ../shared/realdata/icas_jetson_nano_nas against that data set's totals.

#include "layerwatt/join/timed_run.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "join_test_support.hpp"
#include "layerwatt/io/tegrastats.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace join = layerwatt::join;
namespace io = layerwatt::io;
using layerwatt::microseconds;
using layerwatt::testing::at_us;
using layerwatt::testing::samples;

namespace timed_run_test {

TEST(TrtexecAlignment, TheZeroLiesBetweenTheTwoLinesLessTheRun) {
  // "Starting inference" at 0, "Warmup completed" 1000.5 ms later, the last inference ended at
  // 1000 ms: the zero is in [0, 0.5 ms]. trtexec prints 1000 ms to 0.01 ms: half of that added.
  const auto a = join::align_trtexec_run(at_us(0), at_us(1'000'500), 1000.0);
  EXPECT_EQ(a.earliest, at_us(0));
  EXPECT_EQ(a.latest, at_us(500));
  EXPECT_EQ(a.origin, at_us(250));
  EXPECT_EQ(a.uncertainty, microseconds{255});
  EXPECT_EQ(join::at_trtexec_ms(a.origin, 12.3456), at_us(250 + 12'346));
}

TEST(TrtexecAlignment, TimesThatDoNotFitBetweenTheLinesAreAnError) {
  // A run 1 s long reported between lines only 0.9 s apart: another clock.
  EXPECT_ERROR_MENTIONS(join::align_trtexec_run(at_us(0), at_us(900'000), 1000.0), "do not fit between its output lines",
                        "1 s after its zero", "900 ms after \"Starting inference\"");
  // Within the times' own rounding it is not: the bracket closes at the earliest stamp.
  const auto a = join::align_trtexec_run(at_us(0), at_us(999'995), 1000.0);
  EXPECT_EQ(a.origin, at_us(0));
  EXPECT_EQ(a.uncertainty, microseconds{5});
}

TEST(WindowPower, EachSampleHoldsUntilTheNext) {
  const auto s = samples({{0, 1e6}, {1'000, 2e6}, {2'000, 3e6}, {3'000, 4e6}});
  const auto p = join::power_over_window(s, at_us(500), at_us(2'500), microseconds{1'000'000});
  EXPECT_EQ(p.samples, 3u);
  EXPECT_EQ(p.energy_mj, 4.0);  // 1 W × 0.5 ms + 2 W × 1 ms + 3 W × 0.5 ms = 4 mJ
  EXPECT_EQ(p.mean_power_uw, 2e6);
  // The last sample holds for one median interval: up to 4 ms here.
  EXPECT_EQ(join::power_over_window(s, at_us(3'000), at_us(4'000), microseconds{1'000'000}).mean_power_uw, 4e6);
}

TEST(WindowPower, WhatWasNotMeasuredIsAnError) {
  const auto s = samples({{0, 1e6}, {1'000, 2e6}, {5'000, 3e6}, {6'000, 4e6}});
  const microseconds gap{2'000};
  EXPECT_ERROR_MENTIONS(join::power_over_window(s, at_us(500), at_us(3'000), gap), "gap of 4 ms inside the window");
  EXPECT_NO_THROW(join::power_over_window(s, at_us(5'000), at_us(6'500), gap));
  EXPECT_ERROR_MENTIONS(join::power_over_window(s, at_us(-1), at_us(500), gap), "does not cover the window's start");
  EXPECT_ERROR_MENTIONS(join::power_over_window(s, at_us(5'000), at_us(9'000), gap), "the power log ends at");
  EXPECT_ERROR_MENTIONS(join::power_over_window(samples({{0, 1}, {2'000, 1}, {1'000, 1}, {3'000, 1}}), at_us(0),
                                                at_us(3'000), gap),
                        "out of time order");
}

TEST(InferencesInWindow, EachCountsByTheShareOfItsCycleInside) {
  const std::vector starts = {at_us(0), at_us(10'000), at_us(20'000)};
  // [0, 10) half inside, [10, 20) whole, [20, 28) 5 of 8 ms inside [5, 25].
  EXPECT_EQ(join::inferences_in_window(starts, at_us(28'000), at_us(5'000), at_us(25'000)), 0.5 + 1 + 0.625);
}

/// 200 inferences of 0.9 ms every 1 ms from trtexec's 100 ms (after its warm-up).
std::vector<io::trtexec_inference> synthetic_times() {
  std::vector<io::trtexec_inference> times;
  for (int i = 0; i < 200; ++i) {
    io::trtexec_inference t;
    t.start_enq_ms = t.end_enq_ms = 99.5 + i;
    t.start_h2d_ms = t.end_h2d_ms = t.start_compute_ms = 100.0 + i;
    t.end_compute_ms = t.start_d2h_ms = t.end_d2h_ms = 100.9 + i;
    t.compute_ms = t.latency_ms = 0.9 + 0.001 * (i % 3);
    times.push_back(t);
  }
  return times;
}

TEST(TimedRun, ExactEnergyPerInferenceOnASyntheticLog) {
  // trtexec's zero at 1 s (stamps 1 s and 1 s + 299.9 ms + 0.2 ms: the last inference ends at
  // 299.9 ms, so the zero is in [1 s, 1.0002 s]); a log every 0.5 ms drawing 9 W from 1 s to 1.3 s
  // and 4 W before and after.
  const auto times = synthetic_times();
  std::vector<io::power_sample> log;
  for (std::int64_t us = 0; us <= 2'000'000; us += 500)
    log.push_back({at_us(us), us >= 1'000'000 && us < 1'300'000 ? 9e6 : 4e6});
  const auto r = join::join_timed_run(times, at_us(1'000'000), at_us(1'300'100), log, 4e6, {.trim = microseconds{10'000}});
  EXPECT_EQ(r.alignment.origin, at_us(1'000'100));
  EXPECT_EQ(r.alignment.uncertainty, microseconds{100});  // 100 µs + half of the 1 µs step at 299.9 ms, rounded down
  EXPECT_EQ(r.first_start, at_us(1'100'100));
  EXPECT_EQ(r.last_end, at_us(1'300'000));
  EXPECT_EQ(r.window_start, at_us(1'110'100));
  EXPECT_EQ(r.window_end, at_us(1'290'000));
  EXPECT_EQ(r.inferences, 200u);
  EXPECT_NEAR(r.inferences_in_window, 179.9, 1e-9);  // a cycle is 1 ms; the window 179.9 ms
  EXPECT_NEAR(r.latency_mean_ms, 0.901, 1e-4);
  EXPECT_DOUBLE_EQ(r.latency_median_ms, 0.901);
  EXPECT_NEAR(r.throughput_qps, 200 / 0.1999, 1e-9);  // 200 over the 199.9 ms from 100 ms to 299.9 ms
  EXPECT_EQ(r.power.mean_power_uw, 9e6);
  EXPECT_NEAR(r.energy_per_inference_total_mj, 9.0, 1e-9);       // 9 W × 1 ms
  EXPECT_NEAR(r.energy_per_inference_above_idle_mj, 5.0, 1e-9);  // (9 − 4) W × 1 ms
}

TEST(TimedRun, TheTrimMustCoverTheAlignmentAndLeaveAWindow) {
  const auto times = synthetic_times();
  const auto log = samples({{0, 1e6}, {3'000'000, 1e6}});
  EXPECT_ERROR_MENTIONS(join::join_timed_run(times, at_us(1'000'000), at_us(1'310'000), log, 0, {.trim = microseconds{1'000}}),
                        "only to ±5.05 ms", "trim at least that much");
  EXPECT_ERROR_MENTIONS(join::join_timed_run(times, at_us(1'000'000), at_us(1'300'100), log, 0, {.trim = microseconds{100'000}}),
                        "not more than the 100 ms trimmed from each end");
}

// The real RTX 3060 alexnet run's 6 039 timed inferences (3.00117 s after a 5 s warm-up, 2 012.22
// qps as trtexec reported) under a constant 10 W with 4 W idle: whatever the real times' spacing,
// the energy per inference is the power over trtexec's own throughput.
TEST(TimedRun, TheRealRtx3060TimesUnderAConstantLoad) {
  LAYERWATT_REQUIRE_SHARED();
  const auto times = io::read_trtexec_times(
      layerwatt::testing::real_data("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/alexnet/alexnet_fp16.timing.json"));
  std::vector<io::power_sample> log;
  for (std::int64_t us = 0; us <= 9'000'000; us += 1000) log.push_back({at_us(us), 10e6});
  // "Warmup completed" 2 ms after the last inference ended (8 001.4 ms): the zero is in [0, 2 ms].
  const auto r = join::join_timed_run(times, at_us(0), at_us(8'003'400), log, 4e6, {.trim = microseconds{1'000'000}});
  EXPECT_EQ(r.alignment.origin, at_us(1'000));
  EXPECT_EQ(r.alignment.uncertainty, microseconds{1'005});
  EXPECT_EQ(r.inferences, 6039u);
  EXPECT_NEAR(r.throughput_qps, 2012.22, 0.01);
  EXPECT_NEAR(r.energy_per_inference_total_mj, 10'000 / 2012.22, 10'000 / 2012.22 * 1e-3);  // mW / qps = mJ
  EXPECT_NEAR(r.energy_per_inference_above_idle_mj, 6'000 / 2012.22, 6'000 / 2012.22 * 1e-3);
}

// The iCAS-Lab Jetson Nano data set sums its tegrastats lines (1 s apart) into Total_POM_5V_*
// and divides by the run's inferences: its own figures are exact answers for the step signal's
// integral over a window of the lines' whole seconds (PROVENANCE.md there).
TEST(WindowPower, RealTegrastatsLogsGiveTheDataSetsTotalsAndEnergyPerInference) {
  LAYERWATT_REQUIRE_SHARED();
  struct network {
    const char* name;
    double gpu_mean_mw, gpu_total_mj, input_total_mj, inferences, gpu_per_inference_mj;
  };
  for (const network n : {network{"L4", 4788.423728813559, 282517, 453753, 674, 419.1646884272997},
                          network{"L5", 4779.741379310345, 277225, 441185, 532, 521.0996240601504}}) {
    SCOPED_TRACE(n.name);
    const auto path = layerwatt::testing::real_data(
        std::string("icas_jetson_nano_nas/tegrastats_sample/stats_convnet_") + n.name + "_F512_K3x3_W40_mode0_60.txt");
    const microseconds second{1'000'000};
    for (const auto& [rail, total] : {std::pair{"POM_5V_GPU", n.gpu_total_mj}, std::pair{"POM_5V_IN", n.input_total_mj}}) {
      const auto log = io::read_tegrastats(path, rail, io::tegrastats_value::instant, {at_us(0), second});
      const auto p = join::power_over_window(log.samples, log.samples.front().t, log.samples.back().t + second, 2 * second);
      EXPECT_EQ(p.energy_mj, total);
      if (std::string_view(rail) == "POM_5V_GPU") {
        EXPECT_NEAR(p.mean_power_uw / 1000, n.gpu_mean_mw, 1e-9);
        EXPECT_NEAR(p.energy_mj / n.inferences, n.gpu_per_inference_mj, 1e-9);
      }
    }
  }
}

}  // namespace timed_run_test
