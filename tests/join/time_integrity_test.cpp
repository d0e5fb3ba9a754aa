// Time integrity of the join, on runs with an exact answer (clock_run.hpp): clock steps back,
// forward gaps, clock offsets, partial overlap.

#include "layerwatt/join/time_integrity.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "support/clock_run.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/deconvolved.hpp"
#include "layerwatt/join/end_stamp.hpp"
#include "layerwatt/join/interpolated.hpp"
#include "layerwatt/join/join.hpp"
#include "layerwatt/join/overlap.hpp"
#include "layerwatt/join/window_mean.hpp"
#include "support/temp_dir.hpp"

namespace join = layerwatt::join;
using layerwatt::microseconds;
using layerwatt::testing::clock_run;
using layerwatt::testing::clock_run_options;
using layerwatt::testing::make_clock_run;
using layerwatt::testing::run_layers;

namespace time_integrity_test {

constexpr std::int64_t hour_us = 3'600'000'000;

join::joined join_run(const clock_run& run, const join::join_options& options = {}) {
  return join::join(run.latencies, {run.samples, std::nullopt}, join::end_stamp{}, join::window_mean{}, options);
}

/// How many rows have their layer's exact power, and how many have none.
struct tally {
  std::size_t exact = 0, empty = 0, wrong = 0;
};

tally tally_of(const join::joined& j) {
  tally t;
  for (std::size_t i = 0; i < j.entries.size(); ++i) {
    const double p = j.power_uw[i];
    if (std::isnan(p)) ++t.empty;
    else if (p == run_layers[j.entries[i].layer].power_uw) ++t.exact;
    else ++t.wrong;
  }
  return t;
}

join::join_options split() { return {.clock_steps = join::clock_step_policy::split}; }

TEST(TimeIntegrity, AnUnbrokenRunGetsEveryLayersPower) {
  const auto j = join_run(make_clock_run());
  EXPECT_EQ(tally_of(j).exact, 60u);
  ASSERT_EQ(j.segments.size(), 1u);
  EXPECT_TRUE(j.gaps.empty());
}

TEST(TimeIntegrity, FindsEveryBackwardStep) {
  const auto steps = join::find_backward_steps(5, [](std::size_t i) {
    return layerwatt::testing::at_us(std::array<std::int64_t, 5>{0, 10, 4, 4, 2}[i]);
  });
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].index, 2u);
  EXPECT_EQ(steps[0].size(), microseconds{6});
  EXPECT_EQ(steps[1].index, 4u);
  EXPECT_EQ(steps[1].size(), microseconds{2});
}

// A 4 ms step between cycles 5 ms apart: the log steps back (3.9 ms between two samples 0.1 ms
// apart in truth), the latency stamps stay in order. Taking samples in file order would give
// three rows 4 W; it is an error naming the sample, the size and both stamps.
TEST(TimeIntegrity, AFourMillisecondStepIsAnErrorNamingTheSample) {
  const auto run = make_clock_run({.step_back_us = 4'000});
  // Sample 510 (0-based) was taken at 51.0 ms; the clock then read 47.0 ms.
  EXPECT_ERROR_MENTIONS(join_run(run), "power sample 511: time steps backward by 3.9 ms",
                        "20241121-00:00:00.047000 after 20241121-00:00:00.050900", "the latency stamps do not",
                        "--clock-steps split");
  // Split cannot pair them: the latency stamps show no step.
  EXPECT_ERROR_MENTIONS(join_run(run, split()), "steps back in time 1 time(s), the latency stamps 0",
                        "power sample 511");
}

// Cycles 1.2 ms apart: the same 4 ms step now shows in both series, and split joins each stretch
// with its own: every row its layer's power.
TEST(TimeIntegrity, AFourMillisecondStepInBothSeriesSplitsExactly) {
  const auto run = make_clock_run({.cycle_period_us = 1'200, .step_back_us = 4'000});
  EXPECT_ERROR_MENTIONS(join_run(run), "power sample", "time steps backward by 3.9 ms", "latency stamps step back too",
                        "layer \"conv1\", cycle 11: time steps backward by 3.3 ms");
  const auto j = join_run(run, split());
  ASSERT_EQ(j.segments.size(), 2u);
  EXPECT_EQ(j.segments[1].entries_begin, 30u);  // cycle 11's first layer
  EXPECT_EQ(tally_of(j).exact, 60u);
  EXPECT_EQ(j.windows_across_steps, 0u);
  ASSERT_EQ(j.power_steps.size(), 1u);
  EXPECT_EQ(j.power_steps[0].size(), microseconds{3'900});
}

TEST(TimeIntegrity, AnHourStepBackSplitsExactlyAndIsAnErrorByDefault) {
  const auto run = make_clock_run({.step_back_us = hour_us});
  EXPECT_ERROR_MENTIONS(join_run(run), "power sample 511: time steps backward by 59 min 59.9999 s",
                        "layer \"conv1\", cycle 11: time steps backward by 59 min 59.9955 s");
  const auto j = join_run(run, split());
  ASSERT_EQ(j.segments.size(), 2u);
  EXPECT_EQ(tally_of(j).exact, 60u);
  EXPECT_EQ(join::overlap_of(j, run.samples).overlapping, 60u);
}

// Without the split, samples taken in file order empty every row after an hour's step.
TEST(TimeIntegrity, SplitGivesEveryAttributionTheRowsOfTheUnsteppedRun) {
  const auto stepped = make_clock_run({.step_back_us = hour_us});
  const auto plain = make_clock_run();
  const auto a = join::join(stepped.latencies, {stepped.samples, std::nullopt}, join::back_to_back{},
                            join::interpolated{}, split());
  const auto b = join::join(plain.latencies, {plain.samples, std::nullopt}, join::back_to_back{}, join::interpolated{});
  ASSERT_EQ(a.power_uw.size(), b.power_uw.size());
  for (std::size_t i = 0; i < a.power_uw.size(); ++i) EXPECT_DOUBLE_EQ(a.power_uw[i], b.power_uw[i]) << i;
  EXPECT_ERROR_MENTIONS(join::join(stepped.latencies, {stepped.samples, microseconds{100}}, join::end_stamp{},
                                   join::deconvolved{}),
                        "time steps backward");
}

TEST(TimeIntegrity, ACycleAcrossAStepGetsNoPower) {
  // The step falls between pool1 and fc1 of cycle 11: only the latency stamps are moved here.
  auto run = make_clock_run({.step_back_us = hour_us});
  auto& fc = run.latencies.layers[2].end_stamps;
  auto& pool = run.latencies.layers[1].end_stamps;
  auto& conv = run.latencies.layers[0].end_stamps;
  pool[10] += microseconds{hour_us};
  conv[10] += microseconds{hour_us};
  (void)fc;
  const auto j = join_run(run, split());
  ASSERT_EQ(j.segments.size(), 2u);
  EXPECT_EQ(j.segments[1].entries_begin, 32u);
  EXPECT_EQ(j.windows_across_steps, 3u);
  const auto t = tally_of(j);
  EXPECT_EQ(t.exact, 57u);
  EXPECT_EQ(t.empty, 3u);
  EXPECT_EQ(t.wrong, 0u);
}

TEST(TimeIntegrity, AForwardGapIsReportedAndWindowsReachingIntoItGetNoPower) {
  // No sample in (20 ms, 32 ms): cycles 5 and 6 lie inside, cycle 7 reaches into it up to 32 ms.
  const auto run = make_clock_run({.gap_from_us = 20'000, .gap_to_us = 32'000});
  const auto j = join_run(run, {.max_gap = microseconds{10'000}});
  ASSERT_EQ(j.gaps.size(), 1u);
  EXPECT_EQ(j.gaps[0].size(), microseconds{12'000});
  EXPECT_EQ(j.gaps[0].from, layerwatt::testing::at_us(20'000));
  EXPECT_EQ(j.windows_in_gaps, 9u);
  const auto t = tally_of(j);
  EXPECT_EQ(t.exact, 51u);
  EXPECT_EQ(t.empty, 9u);
  EXPECT_EQ(join::coverage_of(j, run.samples).in_gaps, 9u);
  // Under the default threshold (1 s) 12 ms is no gap: fc1 of cycle 7 takes the sample at 32 ms.
  const auto lenient = join_run(run);
  EXPECT_TRUE(lenient.gaps.empty());
  EXPECT_EQ(tally_of(lenient).exact, 52u);
}

TEST(TimeIntegrity, ALogSparserThanHalfASecondIsRefused) {
  const auto run = make_clock_run({.cycles = 400, .sample_us = 1'000'000});
  EXPECT_ERROR_MENTIONS(join_run(run), "samples are 1 s apart (median)", "no attribution can give a layer its power");
}

TEST(Overlap, AnHourOffsetIsNamedAndMendedByTheClockOffset) {
  const auto run = make_clock_run({.profiler_behind_us = hour_us});
  const auto j = join_run(run);
  EXPECT_EQ(tally_of(j).exact, 0u);
  const auto r = join::overlap_of(j, run.samples);
  EXPECT_EQ(r.overlapping, 0u);
  EXPECT_TRUE(r.poor());
  EXPECT_EQ(r.likely_offset, microseconds{hour_us});
  const auto text = join::describe_overlap(r);
  EXPECT_NE(text.find("0 of 60 layer windows reach into the power log's time range"), std::string::npos) << text;
  EXPECT_NE(text.find("the windows end 59 min 59.903 s before the log begins"), std::string::npos) << text;
  EXPECT_NE(text.find("Moved by 1 h they fit inside it"), std::string::npos) << text;
  EXPECT_NE(text.find("--clock-offset 1h"), std::string::npos) << text;
  const auto mended = join_run(run, {.clock_offset = microseconds{hour_us}});
  EXPECT_EQ(tally_of(mended).exact, 60u);
  EXPECT_FALSE(join::overlap_of(mended, run.samples).poor());
}

TEST(Overlap, ASevenHourOffsetEitherWay) {
  for (const std::int64_t hours : {7, -7}) {
    const auto run = make_clock_run({.profiler_behind_us = hours * hour_us});
    const auto r = join::overlap_of(join_run(run), run.samples);
    EXPECT_EQ(r.likely_offset, microseconds{hours * hour_us}) << hours;
    EXPECT_NE(join::describe_overlap(r).find(fmt::format("--clock-offset {}h", hours)), std::string::npos);
    EXPECT_EQ(tally_of(join_run(run, {.clock_offset = microseconds{hours * hour_us}})).exact, 60u);
  }
}

TEST(Overlap, AnOffsetOfNoWholeQuarterHourIsNotGuessed) {
  const auto run = make_clock_run({.profiler_behind_us = 7 * 60'000'000 + 5'000'000});
  const auto r = join::overlap_of(join_run(run), run.samples);
  EXPECT_TRUE(r.poor());
  EXPECT_FALSE(r.likely_offset);
  EXPECT_EQ(join::describe_overlap(r).find("--clock-offset"), std::string::npos);
}

TEST(Overlap, APartialOverlapKeepsTheRowsInsideExact) {
  // The log stops after cycle 10 (at 52 ms): half the windows reach into it, which is enough.
  const auto half = make_clock_run({.log_ends_us = 52'000});
  const auto j = join_run(half);
  const auto r = join::overlap_of(j, half.samples);
  EXPECT_EQ(r.overlapping, 33u);  // cycles 1 to 11 (cycle 11's conv1 ends at 51.5 ms, fc1 at 52 ms)
  EXPECT_FALSE(r.poor());
  EXPECT_EQ(tally_of(j).exact, 33u);
  EXPECT_EQ(join::coverage_of(j, half.samples).after_log, 27u);
  EXPECT_NE(join::describe_overlap(r).find("they end 45 ms after it"), std::string::npos) << join::describe_overlap(r);
  // After cycle 3 (at 17 ms) only a fifth does: too few.
  const auto fifth = make_clock_run({.log_ends_us = 17'000});
  EXPECT_TRUE(join::overlap_of(join_run(fifth), fifth.samples).poor());
}

}  // namespace time_integrity_test
