#include "layerwatt/dataset/runtime_rows.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/io/csv_table.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
namespace features = layerwatt::features;
using layerwatt::layer_kind;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

namespace runtime_rows_test {

// A reformat, a convolution, a NoOp reshape and a fully connected layer; the profile times all
// but the NoOp (trtexec does not time what does not run) and one name the engine lacks.
constexpr std::string_view layer_info = R"({"Layers": [
  {"Name": "reformat", "LayerType": "Reformat", "ParameterType": "Reformat",
   "Inputs": [{"Name": "input", "Dimensions": [1, 3, 32, 32], "Format/Datatype": "Row major linear FP16 format"}],
   "Outputs": [{"Name": "r", "Dimensions": [1, 3, 32, 32], "Format/Datatype": "Channel major FP16 format where channel % 4 == 0"}]},
  {"Name": "conv", "LayerType": "CaskConvolution", "ParameterType": "Convolution", "Kernel": [3, 3],
   "PrePadding": [1, 1], "PostPadding": [1, 1], "Stride": [1, 1], "Dilation": [1, 1], "OutMaps": 16, "Groups": 1,
   "Inputs": [{"Name": "r", "Dimensions": [1, 3, 32, 32], "Format/Datatype": "Channel major FP16 format where channel % 4 == 0"}],
   "Outputs": [{"Name": "c", "Dimensions": [1, 16, 1, 1], "Format/Datatype": "Channel major FP16 format where channel % 8 == 0"}]},
  {"Name": "reshape", "LayerType": "NoOp",
   "Inputs": [{"Name": "c", "Dimensions": [1, 16, 1, 1]}], "Outputs": [{"Name": "f", "Dimensions": [1, 16, 1, 1]}]},
  {"Name": "fc", "LayerType": "CaskGemmConvolution", "ParameterType": "Convolution", "Kernel": [1, 1],
   "PrePadding": [0, 0], "PostPadding": [0, 0], "Stride": [1, 1], "OutMaps": 10, "Groups": 1,
   "Inputs": [{"Name": "f", "Dimensions": [1, 16, 1, 1], "Format/Datatype": "Row major linear FP16 format"}],
   "Outputs": [{"Name": "output", "Dimensions": [1, 10, 1, 1], "Format/Datatype": "Row major linear FP16 format"}]}],
 "Bindings": ["input", "output"]})";

constexpr std::string_view profile = R"([{"count": 100},
  {"name": "reformat", "timeMs": 0.5, "averageMs": 0.005, "medianMs": 0.004, "percentage": 5},
  {"name": "conv", "timeMs": 8, "averageMs": 0.08, "medianMs": 0.075, "percentage": 80},
  {"name": "fc", "timeMs": 1, "averageMs": 0.01, "medianMs": 0.009, "percentage": 10},
  {"name": "gone", "timeMs": 0.5, "averageMs": 0.005, "medianMs": 0.005, "percentage": 5}])";

TEST(RuntimeRows, OneRuntimeOnlyRowPerProfiledLayerOfAModelledKind) {
  temp_dir dir;
  write_text(dir / "info.json", layer_info);
  write_text(dir / "profile.json", profile);
  const auto summary =
      ds::write_runtime_rows(io::read_engine_info(dir / "info.json"),
                             ds::profile_runtimes(io::read_trtexec_profile(dir / "profile.json")), dir / "training" / "net");
  EXPECT_EQ(summary.rows_per_kind, (std::array<std::size_t, 4>{1, 0, 1, 1}));
  EXPECT_EQ(summary.not_in_engine, std::vector<std::string>{"gone"});
  EXPECT_TRUE(summary.not_timed.empty());
  EXPECT_DOUBLE_EQ(summary.timed_ms, 0.1);
  EXPECT_DOUBLE_EQ(summary.modelled_ms, 0.095);

  const auto conv = ds::read_training_csv<features::convolutional>(dir / "training" / "net" / "convolutional.csv");
  ASSERT_EQ(conv.size(), 1u);
  EXPECT_TRUE(std::isnan(conv[0].power_uw));  // not measured: an empty cell
  EXPECT_EQ(conv[0].run_time_ms, 0.08);
  EXPECT_EQ(conv[0].layer_name, "conv");
  const auto text = layerwatt::testing::read_text(dir / "training" / "net" / "dense.csv");
  EXPECT_NE(text.find("\n1,16,10,,0.01,fc,fp16\n"), std::string::npos) << text;
  const auto memory = ds::read_training_csv<features::memory_bound>(dir / "training" / "net" / "memory_bound.csv");
  ASSERT_EQ(memory.size(), 1u);
  EXPECT_EQ(memory[0].features, (std::array<double, 6>{1, 3 * 32 * 32 * 2, 3 * 32 * 32 * 2, 3072, 3072, 1}));

  const auto median = ds::write_runtime_rows(
      io::read_engine_info(dir / "info.json"),
      ds::profile_runtimes(io::read_trtexec_profile(dir / "profile.json"), ds::profile_statistic::median), dir / "median");
  EXPECT_DOUBLE_EQ(median.modelled_ms, 0.088);
}

TEST(RuntimeRows, ModelledLayersTheProfileLacksAreNamed) {
  temp_dir dir;
  write_text(dir / "info.json", layer_info);
  write_text(dir / "profile.json", R"([{"count": 1}, {"name": "conv", "timeMs": 1, "averageMs": 1, "percentage": 100}])");
  write_text(dir / "t" / "dense.csv", "an earlier run's rows\n");
  const auto profile_file = io::read_trtexec_profile(dir / "profile.json");
  const auto summary = ds::write_runtime_rows(io::read_engine_info(dir / "info.json"), ds::profile_runtimes(profile_file),
                                              dir / "t");
  EXPECT_EQ(summary.not_timed, (std::vector<std::string>{"reformat", "fc"}));
  // fc has no row this time: an earlier run's dense.csv would be read as this run's.
  EXPECT_TRUE(std::filesystem::exists(dir / "t" / "convolutional.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "t" / "dense.csv"));
  EXPECT_ERROR_MENTIONS(ds::profile_runtimes(profile_file, ds::profile_statistic::median), "\"conv\"", "medianMs");
}

// The RTX 3060 pairs: every profiled name is a layer of the layer info, and the layers with a
// modelled kind hold at least 99 % of the profiled time (trtexec times its NoOp reformats too,
// at a microsecond or two). The Orin MobileNetV2's IProfiler latencies are wholly modelled.
TEST(RuntimeRows, TheRealRtx3060PairsAreWhollyModelled) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  for (const auto* net : {"alexnet", "mobilenet_v2", "resnet18"}) {
    SCOPED_TRACE(net);
    const auto base = layerwatt::testing::real_data(fmt::format("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/{0}/{0}_fp16", net));
    const auto summary =
        ds::write_runtime_rows(io::read_engine_info(base.string() + ".graph.json"),
                               ds::profile_runtimes(io::read_trtexec_profile(base.string() + ".profile.json")), dir / net);
    EXPECT_TRUE(summary.not_in_engine.empty());
    EXPECT_TRUE(summary.not_timed.empty());
    EXPECT_GE(summary.modelled_ms, 0.99 * summary.timed_ms);
    EXPECT_LT(summary.timed_ms - summary.modelled_ms, 0.003);
  }
}

TEST(RuntimeRows, TheOrinMobileNetV2LatenciesAreWhollyModelled) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto run = layerwatt::testing::real_data("fuzzylabs_jetson_orin_nano_mobilenet_v2/run_20241030_5cycles");
  const auto summary =
      ds::write_runtime_rows(io::read_engine_info(run / "trt_engine_info.json"),
                             ds::mean_latencies(io::read_layer_latencies(run / "trt_layer_latency.json")), dir / "orin");
  EXPECT_TRUE(summary.not_in_engine.empty());
  EXPECT_TRUE(summary.not_timed.empty());
  EXPECT_DOUBLE_EQ(summary.modelled_ms, summary.timed_ms);
  // 40 CaskConvolution + 13 CaskGemmConvolution, of which 12 on feature maps and the classifier
  // dense; 35 PointWiseV2 + 1 Reformat memory-bound; the global mean a pooling layer.
  EXPECT_EQ(summary.rows_per_kind, (std::array<std::size_t, 4>{52, 1, 1, 36}));
}

}  // namespace runtime_rows_test
