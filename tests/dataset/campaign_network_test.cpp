// A measurement campaign's network as training data (dataset/campaign_network.hpp): the profile's
// runtime-only rows, the layer info's copy, and the network's totals row, on a folder made by hand;
// and the real RTX 3060 trtexec files laid out as a campaign network.

#include "layerwatt/dataset/campaign_network.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
namespace features = layerwatt::features;
using layerwatt::microseconds;
using layerwatt::testing::read_text;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace campaign_network_test {

// A convolution and a fully connected layer; the profile times both (median below the mean).
constexpr std::string_view layer_info = R"({"Layers": [
  {"Name": "conv", "LayerType": "CaskConvolution", "ParameterType": "Convolution", "Kernel": [3, 3],
   "PrePadding": [1, 1], "PostPadding": [1, 1], "Stride": [1, 1], "Dilation": [1, 1], "OutMaps": 16, "Groups": 1,
   "Inputs": [{"Name": "input", "Dimensions": [1, 3, 8, 8], "Format/Datatype": "Row major linear FP16 format"}],
   "Outputs": [{"Name": "c", "Dimensions": [1, 16, 1, 1], "Format/Datatype": "Row major linear FP16 format"}]},
  {"Name": "fc", "LayerType": "CaskGemmConvolution", "ParameterType": "Convolution", "Kernel": [1, 1],
   "PrePadding": [0, 0], "PostPadding": [0, 0], "Stride": [1, 1], "OutMaps": 10, "Groups": 1,
   "Inputs": [{"Name": "c", "Dimensions": [1, 16, 1, 1], "Format/Datatype": "Row major linear FP16 format"}],
   "Outputs": [{"Name": "output", "Dimensions": [1, 10, 1, 1], "Format/Datatype": "Row major linear FP16 format"}]}],
 "Bindings": ["input", "output"]})";

constexpr std::string_view profile = R"([{"count": 200},
  {"name": "conv", "timeMs": 16, "averageMs": 0.08, "medianMs": 0.075, "percentage": 80},
  {"name": "fc", "timeMs": 4, "averageMs": 0.02, "medianMs": 0.018, "percentage": 20}])";

/// A measurement with the figures the totals take; the rest only as the reader requires.
io::network_measurement measured(std::string network, double above_idle_mj) {
  io::network_measurement m;
  m.network = std::move(network);
  m.latency_mean_ms = 0.125;
  m.inferences = 1000;
  m.window_start = layerwatt::parse_time_stamp("20250102-10:00:00.000000");
  m.window_end = m.window_start + microseconds{1'000'000};
  m.run_start = m.run_end = m.trtexec_zero = m.window_start;
  m.mean_power_mw = 9000;
  m.idle_power_mw = 5000;
  m.idle_file = "idling_power.json";
  m.energy_per_inference_total_mj = 1.25;
  m.energy_per_inference_above_idle_mj = above_idle_mj;
  return m;
}

io::campaign_network_files network_folder(const temp_dir& dir, const std::string& name, double above_idle_mj) {
  const auto files = io::campaign_network_files::in(dir / "campaign" / name, name);
  write_text(files.layer_info, layer_info);
  write_text(files.profile, profile);
  io::write_network_measurement(files.measurement, measured(name, above_idle_mj));
  return files;
}

TEST(CampaignNetwork, RuntimeRowsEngineCopyAndTotals) {
  temp_dir dir;
  const auto files = network_folder(dir, "net", 0.5);
  const auto s = ds::write_campaign_network(files, dir / "training");
  EXPECT_EQ(s.network, "net");
  EXPECT_EQ(s.rows.rows_per_kind, (std::array<std::size_t, 4>{1, 0, 1, 0}));
  EXPECT_EQ(s.total, (io::network_total{"net", "net/engine_info.json", 0.125, 1.25, 0.5, /*group=*/{}}));
  EXPECT_EQ(read_text(dir / "training/net/engine_info.json"), layer_info);

  const auto conv = ds::read_training_csv<features::convolutional>(dir / "training/net/convolutional.csv");
  ASSERT_EQ(conv.size(), 1u);
  EXPECT_EQ(conv[0].run_time_ms, 0.08);
  EXPECT_TRUE(std::isnan(conv[0].power_uw));  // a runtime-only row

  // The totals row, read back as network-level training reads it: the engine found by its path.
  const std::vector totals = {s.total};
  io::write_network_totals(dir / "training/network_totals.csv", totals);
  const auto read = io::read_network_totals(dir / "training/network_totals.csv");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(io::read_engine_info(read[0].engine_info), io::read_engine_info(files.layer_info));
  EXPECT_EQ(read[0].energy_above_idle_mj, 0.5);

  const auto median = ds::write_campaign_network(files, dir / "median", ds::classification_rule::semantic,
                                                 ds::profile_statistic::median);
  EXPECT_EQ(ds::read_training_csv<features::dense>(dir / "median/net/dense.csv")[0].run_time_ms, 0.018);
  EXPECT_EQ(median.total, s.total);  // the totals are the timed run's, whichever statistic
}

// An idle measured as high as the run's spoils the energy above idle only: the row keeps the
// latency and the total energy, the above-idle cell is empty, and a warning names the file.
TEST(CampaignNetwork, AnEnergyAboveIdleNotAbove0IsLeftOutWithAWarning) {
  temp_dir dir;
  for (const double above_idle : {-0.25, 0.0}) {  // of 0 no relative error can be taken
    const auto name = above_idle < 0 ? "below" : "none";
    const auto files = network_folder(dir, name, above_idle);
    std::vector<std::string> warnings;
    const auto s = ds::write_campaign_network(files, dir / "training", ds::classification_rule::semantic,
                                              ds::profile_statistic::mean,
                                              [&](std::string_view w) { warnings.emplace_back(w); });
    EXPECT_FALSE(s.total.energy_above_idle_mj) << name;
    EXPECT_TRUE(s.total.energy_total_mj) << name;
    EXPECT_GT(s.total.latency_ms, 0) << name;
    ASSERT_EQ(warnings.size(), 1u) << name;
    for (const auto* part : {"network_measurement.json", "energy above idle is not above 0", "left empty",
                             "measure the idle power again"})
      EXPECT_NE(warnings[0].find(part), std::string::npos) << warnings[0];
  }
}

TEST(CampaignNetwork, ErrorsNameTheFile) {
  temp_dir dir;
  const auto bad = network_folder(dir, "bad", 0.5);
  write_text(bad.profile, R"([{"count": 1}, {"name": "conv", "timeMs": -1, "averageMs": 1, "percentage": 1}])");
  EXPECT_ERROR_MENTIONS(ds::write_campaign_network(bad, dir / "training"), "profile.json", "timeMs");
}

// The real RTX 3060 run's trtexec files as a campaign network: every profiled layer is one of the
// layer info's, and the rows cover at least 99 % of the profiled time.
TEST(CampaignNetwork, TheRealRtx3060FilesAsACampaignNetwork) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto base = layerwatt::testing::real_data("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/resnet18/resnet18_fp16");
  const auto files = io::campaign_network_files::in(dir / "campaign/resnet18", "resnet18");
  std::filesystem::create_directories(files.directory);
  std::filesystem::copy_file(base.string() + ".graph.json", files.layer_info);
  std::filesystem::copy_file(base.string() + ".profile.json", files.profile);
  io::write_network_measurement(files.measurement, measured("resnet18", 0.5));
  const auto s = ds::write_campaign_network(files, dir / "training");
  EXPECT_TRUE(s.rows.not_in_engine.empty());
  EXPECT_TRUE(s.rows.not_timed.empty());
  EXPECT_GE(s.rows.modelled_ms, 0.99 * s.rows.timed_ms);
  EXPECT_GT(s.rows.rows_per_kind[0], 10u);  // resnet18's convolutions
}

}  // namespace campaign_network_test
