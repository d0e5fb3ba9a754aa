// `map`, `dataset`, `convert` as a user runs them on runs with clock trouble (support/clock_run.hpp):
// the messages (file, line, step size, offset) and the exit statuses (issue 15).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/clock_run.hpp"
#include "support/cli.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::read_text;
using lw::testing::temp_dir;
using lw::testing::write_clock_run;
using lw::testing::write_text;

namespace time_and_exit_test {

class TimeAndExit : public ::testing::Test {
 protected:
  lw::testing::process_result cli(std::vector<std::string> args) {
    return lw::testing::run_cli(std::move(args), dir.path());
  }
  std::string raw() const { return (dir / "raw").string(); }
  std::string out() const { return (dir / "out").string(); }

  temp_dir dir;
};

TEST_F(TimeAndExit, AClockStepStopsMapNamingTheLogLineAndStep) {
  write_clock_run(dir / "raw", {.step_back_us = 4'000});
  const auto r = cli({"map", raw(), "--out", out()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("netx_power_log.log:511: time steps backward by 3.9 ms"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no model produced output:\n  netx: failed (above)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "netx" / "power_runtime_mapping_layerwise.csv"));
}

TEST_F(TimeAndExit, SplitJoinsAStepSeenInBothFilesAndRecordsIt) {
  write_clock_run(dir / "raw", {.cycle_period_us = 1'200, .step_back_us = 4'000});
  const auto failed = cli({"map", raw(), "--out", out()});
  EXPECT_EQ(failed.status, 1);
  EXPECT_NE(failed.err.find("trt_layer_latency.json:43 (layer \"conv1\", cycle 11): time steps backward by 3.3 ms"),
            std::string::npos)
      << failed.err;
  const auto r = cli({"map", raw(), "--out", out(), "--clock-steps", "split"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto meta = nlohmann::json::parse(read_text(dir / "out" / "netx" / "join.meta.json"));
  EXPECT_EQ(meta["clock_steps"], "split");
  EXPECT_EQ(meta["segments"], 2);
  EXPECT_EQ(meta["power_log_steps"][0]["size_us"], 3'900);
  EXPECT_EQ(meta["windows"]["with_power"], 60);
}

TEST_F(TimeAndExit, ATimeZoneOffsetIsNamedAndTheOffsetOptionMendsIt) {
  write_clock_run(dir / "raw", {.profiler_behind_us = 7 * 3'600'000'000LL});
  const auto r = cli({"map", raw(), "--out", out()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("do not overlap in time: 0 of 60 layer windows"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--clock-offset 7h"), std::string::npos) << r.err;
  const auto warned = cli({"map", raw(), "--out", out(), "--overlap", "warn"});
  EXPECT_EQ(warned.status, 0);
  EXPECT_NE(warned.err.find("warning:"), std::string::npos) << warned.err;
  const auto mended = cli({"map", raw(), "--out", out(), "--clock-offset", "7h"});
  ASSERT_EQ(mended.status, 0) << mended.err;
  const auto meta = nlohmann::json::parse(read_text(dir / "out" / "netx" / "join.meta.json"));
  EXPECT_EQ(meta["clock_offset_us"], 7 * 3'600'000'000LL);
  EXPECT_EQ(meta["windows"]["with_power"], 60);
}

TEST_F(TimeAndExit, BadTimeOptionsAreUsageErrors) {
  write_clock_run(dir / "raw");
  for (const auto& [option, value, says] :
       std::vector<std::array<std::string, 3>>{{"--clock-offset", "1", "a number and a unit"},
                                               {"--max-gap", "0s", "above 0"},
                                               {"--clock-steps", "maybe", "error or split"},
                                               {"--overlap", "ignore", "error or warn"}}) {
    const auto r = cli({"map", raw(), "--out", out(), option, value});
    EXPECT_EQ(r.status, 2) << option;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  }
}

TEST_F(TimeAndExit, NothingMappedIsFailureAndASkipIsNotUnlessStrict) {
  write_clock_run(dir / "raw");
  fs::rename(dir / "raw" / "netx" / "netx_power_log.log", dir / "raw" / "netx" / "elsewhere.log");
  const auto none = cli({"map", raw(), "--out", out()});
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.err.find("no model produced output:\n  netx: missing netx_power_log.log"), std::string::npos)
      << none.err;

  write_clock_run(dir / "raw2");
  fs::create_directories(dir / "raw2" / "lonely");
  const auto some = cli({"map", (dir / "raw2").string(), "--out", out()});
  EXPECT_EQ(some.status, 0) << some.err;
  EXPECT_NE(some.out.find("skipped lonely: missing"), std::string::npos) << some.out;
  const auto strict = cli({"map", (dir / "raw2").string(), "--out", out(), "--strict"});
  EXPECT_EQ(strict.status, 1);
  EXPECT_NE(strict.err.find("1 model(s) skipped (--strict)"), std::string::npos) << strict.err;
}

// 20 cycles and window-mean's gaps: no layer reaches 30 powers. Every model skipped is failure,
// with what would help.
TEST_F(TimeAndExit, DatasetAndConvertFailWhenEveryModelIsShortOfMeasurements) {
  write_clock_run(dir / "raw", {.profiler_behind_us = 0});
  const auto r = cli({"dataset", raw(), "--out", out(), "--min-measurements", "30", "--preprocessed",
                      (dir / "pre").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("netx: skipped: 3 layer(s) below 30 measurements"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("record more cycles"), std::string::npos) << r.err;
  const auto c = cli({"convert", (dir / "pre").string(), "--out", out(), "--min-measurements", "30"});
  EXPECT_EQ(c.status, 1);
  EXPECT_NE(c.err.find("--attribution interpolated"), std::string::npos) << c.err;
  const auto fine = cli({"dataset", raw(), "--out", out(), "--min-measurements", "20"});
  ASSERT_EQ(fine.status, 0) << fine.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "netx" / "join.meta.json"));
}

}  // namespace time_and_exit_test
