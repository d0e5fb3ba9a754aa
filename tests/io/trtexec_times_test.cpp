// trtexec's --exportTimes file and its output lines (io/trtexec_times.hpp, io/trtexec_output.hpp):
// the shape of the real files with numbers of our own, byte for byte; and the real RTX 3060 run of
// ../shared/realdata/fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/alexnet, whose summary trtexec
// printed (the reference's alexnet_fp16.profile.metadata.json keeps it): our summary of its times
// must say what trtexec said.

#include "layerwatt/io/trtexec_times.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layerwatt/io/trtexec_output.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace io = layerwatt::io;
using layerwatt::testing::read_text;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace trtexec_times_test {

// trtexec 10's layout (sampleReporting.cpp, exportJSONTrace), numbers of our own.
constexpr std::string_view two_inferences =
    "[\n"
    "  { \"startEnqMs\" : 199.96, \"endEnqMs\" : 199.97, \"startH2dMs\" : 200.23, \"endH2dMs\" : 200.25, "
    "\"startComputeMs\" : 200.25, \"endComputeMs\" : 200.75, \"startD2hMs\" : 200.75, \"endD2hMs\" : 200.76, "
    "\"h2dMs\" : 0.02, \"computeMs\" : 0.497559, \"d2hMs\" : 0.01, \"latencyMs\" : 0.527559 }\n"
    ", { \"startEnqMs\" : 200.46, \"endEnqMs\" : 200.47, \"startH2dMs\" : 200.76, \"endH2dMs\" : 200.78, "
    "\"startComputeMs\" : 200.78, \"endComputeMs\" : 201.28, \"startD2hMs\" : 201.28, \"endD2hMs\" : 201.29, "
    "\"h2dMs\" : 0.02, \"computeMs\" : 0.498535, \"d2hMs\" : 0.01, \"latencyMs\" : 0.528535 }\n"
    "]\n";

TEST(TrtexecTimes, ReadsEveryInferenceAndWritesTheFileAsTrtexecDoes) {
  temp_dir dir;
  write_text(dir / "t.json", two_inferences);
  const auto times = io::read_trtexec_times(dir / "t.json");
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0].start_enq_ms, 199.96);
  EXPECT_EQ(times[0].end_compute_ms, 200.75);
  EXPECT_EQ(times[1].compute_ms, 0.498535);
  EXPECT_EQ(times[1].latency_ms, 0.528535);
  EXPECT_EQ(io::last_end_ms(times), 201.29);
  io::write_trtexec_times(dir / "again.json", times);
  EXPECT_EQ(read_text(dir / "again.json"), two_inferences);
}

TEST(TrtexecTimes, TheStepOfSixSignificantDigits) {
  EXPECT_DOUBLE_EQ(io::trtexec_time_resolution_ms(5000.23), 0.01);
  EXPECT_DOUBLE_EQ(io::trtexec_time_resolution_ms(65000), 0.1);
  EXPECT_DOUBLE_EQ(io::trtexec_time_resolution_ms(0.497559), 1e-6);
}

TEST(TrtexecTimes, ErrorsNameTheFileAndLine) {
  temp_dir dir;
  const auto expect = [&](std::string text, std::initializer_list<std::string_view> parts) {
    write_text(dir / "t.json", text);
    try {
      static_cast<void>(io::read_trtexec_times(dir / "t.json"));
      ADD_FAILURE() << "no error for " << text;
    } catch (const layerwatt::error& e) {
      for (const auto part : parts) EXPECT_NE(std::string_view(e.what()).find(part), std::string_view::npos) << e.what();
    }
  };
  std::string line(two_inferences.substr(2, two_inferences.find('\n', 2) - 2));
  expect("[]\n", {"t.json", "no timed inference"});
  expect("[\n" + std::string(line).replace(line.find("startEnqMs"), 10, "startInMs") + "\n]", {"t.json:2", "not \"startInMs\""});
  expect("[\n" + std::string(line).replace(line.find(", \"latencyMs\" : 0.527559"), 24, "") + "\n]",
         {"t.json:2", "inference 0 has no \"latencyMs\""});
  expect("[\n" + std::string(line).replace(line.find("200.75, \"startD2hMs"), 6, "100.75") + "\n]",
         {"t.json:2", "ends its compute (100.75 ms) before it starts (200.25 ms)"});
  expect("[\n" + std::string(line).replace(line.find("199.96"), 6, "-1") + "\n]",
         {"a time of at least 0 ms for \"startEnqMs\""});
}

TEST(TrtexecOutput, StampedLinesRoundTripAndTheReportIsRead) {
  temp_dir dir;
  const auto t0 = layerwatt::parse_time_stamp("20250102-10:00:04.512345");
  const std::vector<io::stamped_line> lines = {
      {t0, "&&&& RUNNING TensorRT.trtexec [TensorRT v8601] # trtexec --loadEngine=a.plan"},
      {t0, "[01/02/2025-10:00:04] [I] Starting inference"},
      {t0 + layerwatt::microseconds{3'000'100}, "[01/02/2025-10:00:07] [I] Warmup completed 10 queries over 200 ms"},
      {t0 + layerwatt::microseconds{3'000'200}, "[01/02/2025-10:00:07] [I] Timing trace has 6039 queries over 3.00117 s"},
      {t0 + layerwatt::microseconds{3'000'300}, "[01/02/2025-10:00:07] [I] Throughput: 2012.22 qps"},
      {t0 + layerwatt::microseconds{3'000'400},
       "[01/02/2025-10:00:07] [I] Latency: min = 0.490234 ms, max = 0.500977 ms, mean = 0.495324 ms, median = 0.495605 ms"},
      {t0 + layerwatt::microseconds{3'000'500}, "&&&& PASSED TensorRT.trtexec [TensorRT v8601] # trtexec --loadEngine=a.plan"}};
  io::write_stamped_lines(dir / "out.log", lines);
  EXPECT_TRUE(read_text(dir / "out.log").starts_with("20250102-10:00:04.512345 &&&& RUNNING"));
  EXPECT_EQ(io::read_stamped_lines(dir / "out.log"), lines);
  const auto r = io::parse_trtexec_output(lines);
  EXPECT_EQ(r.tensorrt_version, "8.6.1");  // from the banner, TensorRT 8's numbering
  EXPECT_EQ(r.starting_inference, 1u);
  EXPECT_EQ(r.warmup_completed, 2u);
  EXPECT_EQ(r.warmup_queries, 10u);
  EXPECT_EQ(r.warmup_ms, 200.0);
  EXPECT_EQ(r.timed_queries, 6039u);
  EXPECT_EQ(r.throughput_qps, 2012.22);
  EXPECT_EQ(r.latency_mean_ms, 0.495324);
  EXPECT_EQ(r.latency_median_ms, 0.495605);
  EXPECT_EQ(r.passed, true);
  // TensorRT 10 numbers its banner major·10000 + minor·100 + patch, and prints its version too.
  EXPECT_EQ(io::parse_trtexec_output(std::vector<io::stamped_line>{{t0, "&&&& FAILED TensorRT.trtexec [TensorRT v100300] # x"}})
                .tensorrt_version,
            "10.3.0");
  EXPECT_EQ(io::parse_trtexec_output(std::vector<io::stamped_line>{{t0, "[01/02/2025-10:00:04] [I] TensorRT version: 10.3.0"}})
                .tensorrt_version,
            "10.3.0");
  write_text(dir / "bad.log", "20250102-10:00:04.512345 fine\nno stamp here\n");
  EXPECT_ERROR_MENTIONS(io::read_stamped_lines(dir / "bad.log"), "bad.log:2", "expected a time stamp");
}

TEST(TrtexecTimes, TheRealRtx3060RunReadsAndSummarisesAsTrtexecPrintedIt) {
  LAYERWATT_REQUIRE_SHARED();
  const auto times = io::read_trtexec_times(
      layerwatt::testing::real_data("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/alexnet/alexnet_fp16.timing.json"));
  ASSERT_EQ(times.size(), 6039u);
  // The warm-up (5 s) is left out: the first timed inference starts its compute at 5 000.23 ms.
  EXPECT_EQ(times.front().start_compute_ms, 5000.23);
  EXPECT_EQ(io::last_end_ms(times), 8001.4);
  // What trtexec printed for this run (profile.metadata.json's "performance_summary").
  const auto lines = io::trtexec_summary_lines(times, 0, 5000);
  EXPECT_EQ(lines[1], "Timing trace has 6039 queries over 3.00117 s");
  EXPECT_EQ(lines[4], "Throughput: 2012.22 qps");
  EXPECT_TRUE(lines[5].starts_with("Latency: min = 0.490234 ms, max = 0.500977 ms, mean = 0.495324 ms, "
                                   "median = 0.495605 ms, percentile(90%) = 0.498047 ms, percentile(95%) = 0.498535 ms, "
                                   "percentile(99%) = 0.5 ms"))
      << lines[5];
  EXPECT_EQ(lines[10], "Total Host Walltime: 3.00117 s");
}

}  // namespace trtexec_times_test
