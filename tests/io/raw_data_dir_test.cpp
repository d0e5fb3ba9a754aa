#include "layerwatt/io/raw_data_dir.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;

TEST(RawDataDir, FindsTheFixtureModelsSorted) {
  LAYERWATT_REQUIRE_SHARED();
  const auto set = io::scan_raw_data_dir(lw::testing::reference_data("seed_fixtures/example_raw_data"));
  ASSERT_EQ(set.models.size(), 3u);
  EXPECT_EQ(set.models[0].name, "multiple_layers");
  EXPECT_EQ(set.models[2].name, "simple");
  EXPECT_TRUE(set.incomplete.empty());
  EXPECT_TRUE(std::filesystem::exists(set.models[2].layer_latency));
  EXPECT_FALSE(set.models[2].power_log_meta);
}

// What map reads is required; the benchmark's summary (m_tensorrt.json) is not, and hidden
// folders are no models.
TEST(RawDataDir, IncompleteModelIsReportedWithWhatItLacks) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / "idling_power.json", "{}");
  lw::testing::write_text(dir / "m" / "m_power_log.log", "");
  lw::testing::write_text(dir / "m" / "trt_profiling" / "trt_engine_info.json", "{}");
  lw::testing::write_text(dir / ".git" / "HEAD", "ref: refs/heads/main\n");
  auto set = io::scan_raw_data_dir(dir.path());
  EXPECT_TRUE(set.models.empty());
  ASSERT_EQ(set.incomplete.size(), 1u);
  EXPECT_EQ(set.incomplete[0].name, "m");
  ASSERT_EQ(set.incomplete[0].missing.size(), 1u);
  EXPECT_EQ(set.incomplete[0].missing[0].filename(), "trt_layer_latency.json");
  EXPECT_EQ(set.incomplete[0].describe(), "missing trt_layer_latency.json");
  // A directory under a file's name is no file, and is not said to be missing.
  std::filesystem::remove(dir / "m" / "m_power_log.log");
  std::filesystem::create_directories(dir / "m" / "m_power_log.log");
  set = io::scan_raw_data_dir(dir.path());
  ASSERT_EQ(set.incomplete.size(), 1u);
  EXPECT_EQ(set.incomplete[0].describe(), "missing trt_layer_latency.json; m_power_log.log not a file (a directory?)");
  std::filesystem::remove(dir / "m" / "m_power_log.log");
  lw::testing::write_text(dir / "m" / "m_power_log.log", "");
  lw::testing::write_text(dir / "m" / "trt_profiling" / "trt_layer_latency.json", "{}");
  set = io::scan_raw_data_dir(dir.path());
  ASSERT_EQ(set.models.size(), 1u);
  EXPECT_TRUE(set.incomplete.empty());
}

// A power log linked to a run kept elsewhere: its sidecar is found beside the file the link names,
// where the logger wrote it.
TEST(RawDataDir, ALinkedPowerLogsSidecarIsFoundBesideItsTarget) {
  lw::testing::temp_dir dir;
  lw::testing::write_text(dir / "raw" / "idling_power.json", "{}");
  lw::testing::write_text(dir / "raw" / "m" / "trt_profiling" / "trt_engine_info.json", "{}");
  lw::testing::write_text(dir / "raw" / "m" / "trt_profiling" / "trt_layer_latency.json", "{}");
  lw::testing::write_text(dir / "runs" / "p.log", "");
  lw::testing::write_text(dir / "runs" / "p.log.meta.json", "{}");
  std::filesystem::create_symlink("../../runs/p.log", dir / "raw" / "m" / "m_power_log.log");
  const auto set = io::scan_raw_data_dir(dir / "raw");
  ASSERT_EQ(set.models.size(), 1u);
  ASSERT_TRUE(set.models[0].power_log_meta);
  EXPECT_TRUE(std::filesystem::equivalent(*set.models[0].power_log_meta, dir / "runs" / "p.log.meta.json"));
}

TEST(RawDataDir, MissingDirectoryOrIdleFile) {
  lw::testing::temp_dir dir;
  EXPECT_ERROR_MENTIONS(io::scan_raw_data_dir(dir / "nope"), "nope", "raw-data directory");
  EXPECT_ERROR_MENTIONS(io::scan_raw_data_dir(dir.path()), "idling_power.json");
}
