// A timed run's files to its network_measurement (campaign/analyse_run.hpp), on a folder made by
// hand with an exact answer: the files a campaign writes, read back as the campaign reads them.

#include "layerwatt/campaign/analyse_run.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "support/temp_dir.hpp"

namespace campaign = layerwatt::campaign;
namespace io = layerwatt::io;
using layerwatt::microseconds;
using layerwatt::time_stamp;

namespace analyse_run_test {

const time_stamp zero = layerwatt::parse_time_stamp("20250102-10:00:05.000000");

struct hand_made_run {
  layerwatt::testing::temp_dir dir;
  io::campaign_network_files files = io::campaign_network_files::in(dir / "net", "net");
  campaign::idle_reference idle;

  /// 500 inferences of 2 ms every 2 ms from trtexec's 1 s; the rail at 12 W (2400 mA at 5 V)
  /// from the zero to 2 s after, 5 W (1000 mA) around it; sampled every ms.
  hand_made_run() {
    std::vector<io::trtexec_inference> times;
    for (int i = 0; i < 500; ++i) {
      io::trtexec_inference t;
      t.start_enq_ms = t.end_enq_ms = 999 + 2 * i;
      t.start_h2d_ms = t.end_h2d_ms = t.start_compute_ms = 1000 + 2 * i;
      t.end_compute_ms = t.start_d2h_ms = t.end_d2h_ms = 1002 + 2 * i;
      t.compute_ms = t.latency_ms = 2;
      times.push_back(t);
    }
    io::write_trtexec_times(files.times, times);
    io::write_stamped_lines(files.timed_output,
                            std::vector<io::stamped_line>{{zero, "[01/02/2025-10:00:05] [I] TensorRT version: 10.3.0"},
                                                          {zero, "[01/02/2025-10:00:05] [I] Starting inference"},
                                                          {zero + microseconds{2'000'400}, "[01/02/2025-10:00:07] [I] Warmup completed 200 queries over 1000 ms"},
                                                          {zero + microseconds{2'000'500}, "[01/02/2025-10:00:07] [I] Throughput: 500 qps"}});
    std::vector<std::pair<time_stamp, std::array<double, 2>>> log;
    for (std::int64_t us = -500'000; us <= 2'500'000; us += 1000)
      log.push_back({zero + microseconds{us}, {5000.0, us >= 0 && us < 2'000'000 ? 2400.0 : 1000.0}});
    io::write_power_log(files.power_log, io::power_log_layout{}, log);
    io::power_log_meta meta;
    meta.rails = {{"VDD_IN", "", ""}};
    meta.source = "ina3221-hwmon";
    io::write_power_log_meta(io::power_log_meta_path(files.power_log), meta);
    idle.idle.timestamp = zero;
    idle.idle.avg_idle_power_uw = 5e6;
    idle.idle.extra["rails"] = {{{"name", "VDD_IN"}, {"avg_power_uw", 5e6}}};
    idle.file = dir / "idling_power.json";
    idle.file_name = "idling_power.json";
  }
};

TEST(AnalyseRun, ExactFiguresFromTheFiles) {
  hand_made_run run;
  const auto m = campaign::analyse_timed_run(run.files, run.idle, {.trim = microseconds{50'000}}, "test");
  EXPECT_EQ(m.network, "net");
  EXPECT_EQ(m.source, "test");
  EXPECT_EQ(m.rail, "VDD_IN");
  EXPECT_EQ(m.power_source, "ina3221-hwmon");
  // The zero lies in [0, 0.4 ms] (the last inference ends at 2 000 ms, the line came 2 000.4 ms on).
  EXPECT_EQ(m.trtexec_zero, zero + microseconds{200});
  EXPECT_EQ(m.alignment_uncertainty, microseconds{205});  // 200 µs, and half the 0.01 ms step at 2 000 ms
  EXPECT_EQ(m.run_start, zero + microseconds{1'000'200});
  EXPECT_EQ(m.run_end, zero + microseconds{2'000'200});
  EXPECT_EQ(m.window_start, zero + microseconds{1'050'200});
  EXPECT_EQ(m.window_end, zero + microseconds{1'950'200});
  EXPECT_EQ(m.inferences, 500u);
  EXPECT_DOUBLE_EQ(m.inferences_in_window, 450.0);
  EXPECT_EQ(m.latency_mean_ms, 2.0);
  EXPECT_EQ(m.throughput_qps, 500.0);
  EXPECT_EQ(m.mean_power_mw, 12'000.0);
  EXPECT_EQ(m.idle_power_mw, 5'000.0);
  EXPECT_DOUBLE_EQ(m.energy_per_inference_total_mj, 24.0);       // 12 W × 2 ms
  EXPECT_DOUBLE_EQ(m.energy_per_inference_above_idle_mj, 14.0);  // 7 W × 2 ms
  EXPECT_EQ(m.board["tensorrt_version"], "10.3.0");
  EXPECT_EQ(m.trtexec["reported"]["throughput_qps"], 500.0);
  EXPECT_EQ(m.trtexec["reported"]["warmup_queries"], 200);
}

TEST(AnalyseRun, ErrorsSayWhichFileAndWhy) {
  hand_made_run run;
  run.idle.idle.extra["rails"] = {{{"name", "VDD_SOC"}, {"avg_power_uw", 5e6}}};
  EXPECT_ERROR_MENTIONS(campaign::analyse_timed_run(run.files, run.idle, {}, "test"), "idling_power.json", "VDD_SOC",
                        "not on VDD_IN");
  hand_made_run short_run;
  EXPECT_ERROR_MENTIONS(campaign::analyse_timed_run(short_run.files, short_run.idle, {.trim = microseconds{600'000}}, "test"),
                        "times.json with power_log.log", "trimmed from each end");
  io::write_stamped_lines(short_run.files.timed_output,
                          std::vector<io::stamped_line>{{zero, "[01/02/2025-10:00:05] [I] Starting inference"}});
  EXPECT_ERROR_MENTIONS(campaign::analyse_timed_run(short_run.files, short_run.idle, {}, "test"), "trtexec_timed.log",
                        "no \"Warmup completed\" line");
}

}  // namespace analyse_run_test
