#include "layerwatt/io/engine_info.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace io = layerwatt::io;
using lw::testing::reference_data;
using lw::testing::temp_dir;
using lw::testing::write_text;

namespace engine_info_test {

std::vector<std::filesystem::path> every_engine_file() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(reference_data("")))
    if (e.path().filename() == "trt_engine_info.json" || e.path().parent_path().filename() == "jetson_orin" ||
        e.path().parent_path().filename() == "desktop")
      files.push_back(e.path());
  return files;
}

TEST(EngineInfo, EveryReferenceFileLoadsAndRoundTrips) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto files = every_engine_file();
  EXPECT_EQ(files.size(), 13u);
  for (const auto& f : files) {
    const auto info = io::read_engine_info(f);
    EXPECT_FALSE(info.layers.empty()) << f;
    io::write_engine_info(dir / "copy.json", info);
    EXPECT_EQ(io::read_engine_info(dir / "copy.json"), info) << f;
  }
}

TEST(EngineInfo, Vgg16FieldsAsTensorRtWroteThem) {
  LAYERWATT_REQUIRE_SHARED();
  const auto info = io::read_engine_info(reference_data("engine_info/jetson_orin/vgg16.json"));
  EXPECT_EQ(info.layers.size(), 37u);
  EXPECT_EQ(info.bindings, (std::vector<std::string>{"x", "output0"}));
  const auto pool = std::find_if(info.layers.begin(), info.layers.end(),
                                 [](const auto& l) { return l.layer_type == "CaskPooling"; });
  ASSERT_NE(pool, info.layers.end());
  EXPECT_FALSE(pool->kernel);
  EXPECT_EQ(pool->window_size, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(pool->pooling_type, "MAX");
  EXPECT_EQ(pool->inputs[0].dimensions, (std::vector<std::int64_t>{1, 64, 224, 224}));
  EXPECT_EQ(pool->inputs[0].precision(), io::precision::fp16);
  const auto conv = std::find_if(info.layers.begin(), info.layers.end(),
                                 [](const auto& l) { return l.layer_type == "CaskConvolution"; });
  EXPECT_EQ(conv->kernel, (std::vector<std::int64_t>{3, 3}));
  EXPECT_EQ(conv->groups, 1);
  EXPECT_EQ(conv->pre_padding, (std::vector<std::int64_t>{1, 1}));
}

TEST(EngineInfo, DepthwiseGroupsAndKgenLayers) {
  LAYERWATT_REQUIRE_SHARED();
  const auto info = io::read_engine_info(reference_data("engine_info/desktop/mobilenet_v2_torch_trt.json"));
  EXPECT_TRUE(std::any_of(info.layers.begin(), info.layers.end(), [](const auto& l) { return l.groups > 1; }));
  EXPECT_TRUE(std::any_of(info.layers.begin(), info.layers.end(), [](const auto& l) { return l.layer_type == "kgen"; }));
}

// trtexec --exportLayerInfo without --profilingVerbosity=detailed lists names only, and an engine
// built with dynamic shapes writes -1: both are errors that say what to rerun.
TEST(EngineInfo, TrtexecNamesOnlyAndDynamicDimensionsSayWhatToRerun) {
  temp_dir dir;
  write_text(dir / "names.json", R"({"Layers": ["conv1", "pool1"], "Bindings": ["input", "output"]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "names.json"), "names.json", "/Layers/0", "name only",
                        "--profilingVerbosity=detailed");
  write_text(dir / "dynamic.json", R"({"Layers": [{"Name": "c", "LayerType": "CaskConvolution",
      "Inputs": [{"Name": "input", "Dimensions": [-1, 3, 224, 224]}], "Outputs": []}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "dynamic.json"), "dynamic.json", "/Layers/0/Inputs/0/Dimensions/0",
                        "-1", "--shapes=");
  write_text(dir / "empty.json", R"({"Layers": []})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "empty.json"), "empty.json", "/Layers", "at least one layer");
}

// trtexec's own layer info (RTX 3060, TensorRT 10) reads as the inspector's, bindings included.
TEST(EngineInfo, TrtexecLayerInfoOfARealEngine) {
  LAYERWATT_REQUIRE_SHARED();
  const auto info = io::read_engine_info(
      layerwatt::testing::real_data("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/resnet18/resnet18_fp16.graph.json"));
  EXPECT_EQ(info.layers.size(), 26u);
  EXPECT_EQ(info.bindings, (std::vector<std::string>{"input", "output"}));
}

TEST(EngineInfo, MissingRequiredKeysNameTheJsonPath) {
  temp_dir dir;
  write_text(dir / "e.json", R"({"Layers": [{"Name": "a", "LayerType": "NoOp"}, {"LayerType": "NoOp"}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "e.json"), "e.json", "/Layers/1", "\"Name\"");
  write_text(dir / "f.json", R"({"Layers": [{"Name": "a"}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "f.json"), "/Layers/0", "\"LayerType\"");
  write_text(dir / "g.json", R"({"Layers": [{"Name": "a", "LayerType": "X", "Inputs": [{"Name": "t"}]}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "g.json"), "/Layers/0/Inputs/0", "\"Dimensions\"");
  write_text(dir / "h.json", R"({"layers": []})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "h.json"), "\"Layers\"");
}

TEST(EngineInfo, AbsurdValuesAreErrors) {
  temp_dir dir;
  write_text(dir / "n.json",
             R"({"Layers": [{"Name": "a", "LayerType": "X", "Inputs": [{"Dimensions": [1, -2, 4, 4]}]}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "n.json"), "/Layers/0/Inputs/0/Dimensions/1", "[1, 2147483647]");
  write_text(dir / "z.json",
             R"({"Layers": [{"Name": "a", "LayerType": "X", "Inputs": [{"Dimensions": [1, 0, 4, 4]}]}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "z.json"), "/Layers/0/Inputs/0/Dimensions/1", "[1, 2147483647]");
  write_text(dir / "b.json",
             R"({"Layers": [{"Name": "a", "LayerType": "X", "Inputs": [{"Dimensions": [1099511627776]}]}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "b.json"), "/Layers/0/Inputs/0/Dimensions/0");
  write_text(dir / "k.json", R"({"Layers": [{"Name": "a", "LayerType": "X", "Kernel": [3, "3"]}]})");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "k.json"), "/Layers/0/Kernel/1", "integer");
  write_text(dir / "s.json", R"({"Layers": [{"Name": "a", "LayerType": "X"}]) )");
  EXPECT_ERROR_MENTIONS(io::read_engine_info(dir / "s.json"), "s.json:1:", "valid JSON");
}

}  // namespace engine_info_test
