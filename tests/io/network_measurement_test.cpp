#include "layerwatt/io/network_measurement.hpp"

#include <gtest/gtest.h>

#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "support/temp_dir.hpp"

namespace io = layerwatt::io;
using layerwatt::microseconds;
using layerwatt::parse_time_stamp;
using layerwatt::testing::read_text;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace network_measurement_test {

io::network_measurement example() {
  io::network_measurement m;
  m.network = "resnet18";
  m.source = "layerwatt measure";
  m.latency_mean_ms = 0.93;
  m.latency_median_ms = 0.929;
  m.gpu_compute_mean_ms = 0.92;
  m.gpu_compute_median_ms = 0.919;
  m.throughput_qps = 1062.5;
  m.inferences = 31874;
  m.inferences_in_window = 29749.75;
  m.run_start = parse_time_stamp("20250102-10:00:09.713204");
  m.run_end = parse_time_stamp("20250102-10:00:39.714113");
  m.window_start = m.run_start + microseconds{1'000'000};
  m.window_end = m.run_end - microseconds{1'000'000};
  m.trim = microseconds{1'000'000};
  m.trtexec_zero = parse_time_stamp("20250102-10:00:04.713204");
  m.alignment_uncertainty = microseconds{807};
  m.rail = "VDD_IN";
  m.power_source = "ina3221-hwmon";
  m.power_samples = 28001;
  m.mean_power_mw = 9013.75;
  m.idle_power_mw = 5479.875;
  m.idle_file = "idling_power.json";
  m.energy_per_inference_total_mj = 8.5;
  m.energy_per_inference_above_idle_mj = 3.25;
  m.board = {{"tensorrt_version", "10.3.0"}, {"nvpmodel", {{"mode", "MAXN"}, {"id", 0}}}};
  m.trtexec = {{"timed_command", {"trtexec", "--loadEngine=a.plan"}}};
  return m;
}

TEST(NetworkMeasurement, RoundTrips) {
  temp_dir dir;
  const auto m = example();
  io::write_network_measurement(dir / "m.json", m);
  EXPECT_EQ(io::read_network_measurement(dir / "m.json"), m);
  const auto text = read_text(dir / "m.json");
  EXPECT_NE(text.find("\"energy_per_inference_above_idle_mj\": 3.25"), std::string::npos) << text;
  EXPECT_NE(text.find("\"trim_s\": 1.0"), std::string::npos) << text;
}

TEST(NetworkMeasurement, ErrorsNameTheJsonPath) {
  temp_dir dir;
  auto j = io::to_json(example());
  j["power"].erase("mean_power_mw");
  write_text(dir / "m.json", j.dump());
  EXPECT_ERROR_MENTIONS(io::read_network_measurement(dir / "m.json"), "m.json", "/power", "mean_power_mw");
  j = io::to_json(example());
  j["window"]["end"] = j["window"]["start"];
  write_text(dir / "m.json", j.dump());
  EXPECT_ERROR_MENTIONS(io::read_network_measurement(dir / "m.json"), "/window/end", "after the window's start");
  j = io::to_json(example());
  j["energy_per_inference_above_idle_mj"] = 99;
  write_text(dir / "m.json", j.dump());
  EXPECT_ERROR_MENTIONS(io::read_network_measurement(dir / "m.json"), "/energy_per_inference_above_idle_mj",
                        "at most energy_per_inference_total_mj");
}

TEST(CampaignDir, ARawDataDirectoryListsFinishedAndUnfinishedNetworksApart) {
  temp_dir dir;
  write_text(dir / "idling_power.json", R"({"timestamp": "20250102-100000", "avg_idle_power": 5480000.0})");
  const auto done = io::campaign_network_files::in(dir / "done", "done");
  for (const auto& f : done.required()) write_text(f, "{}");
  const auto half = io::campaign_network_files::in(dir / "half", "half");
  write_text(half.layer_info, "{}");
  const auto set = io::scan_raw_data_dir(dir.path());
  ASSERT_EQ(set.networks.size(), 1u);
  EXPECT_EQ(set.networks[0].name, "done");
  EXPECT_TRUE(set.models.empty());
  ASSERT_EQ(set.incomplete.size(), 1u);
  EXPECT_EQ(set.incomplete[0].name, "half");
  ASSERT_EQ(set.incomplete[0].missing.size(), 2u);
  EXPECT_EQ(set.incomplete[0].missing[0].filename(), "network_measurement.json");
  EXPECT_EQ(set.incomplete[0].missing[1].filename(), "profile.json");
}

// A folder of both layouts (a campaign simulated over an earlier reference run): which files are
// this run's cannot be told, so it is read as neither, and said why.
TEST(CampaignDir, AFolderOfBothLayoutsIsNeither) {
  temp_dir dir;
  write_text(dir / "idling_power.json", R"({"timestamp": "20250102-100000", "avg_idle_power": 5480000.0})");
  const auto both = io::campaign_network_files::in(dir / "both", "both");
  for (const auto& f : both.required()) write_text(f, "{}");
  write_text(dir / "both" / "both_power_log.log", "");
  const auto set = io::scan_raw_data_dir(dir.path());
  EXPECT_TRUE(set.networks.empty());
  EXPECT_TRUE(set.models.empty());
  ASSERT_EQ(set.incomplete.size(), 1u);
  EXPECT_EQ(set.incomplete[0].describe(), "a campaign network's files beside the reference layout's both_power_log.log: "
                                          "a folder holds one layout (remove the earlier run's files)");
}

}  // namespace network_measurement_test
