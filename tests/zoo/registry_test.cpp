#include "layerwatt/zoo/registry.hpp"

#include <gtest/gtest.h>

#include <set>

#include "layerwatt/dataset/layer_kind.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::zoo {
namespace registry_test {

TEST(Registry, TheReferenceExperimentsNetworksInItsOrder) {
  // run_experiment.sh's list.
  const std::vector<std::string_view> expected = {
      "alexnet",         "vgg11",           "vgg13",          "vgg16",          "vgg19",
      "mobilenet_v2",    "mobilenet_v3_small", "mobilenet_v3_large", "resnet18", "resnet34",
      "resnet50",        "resnet101",       "resnet152",      "lenet",          "resnext50_32x4d",
      "resnext101_32x8d", "resnext101_64x4d", "convnext_tiny", "convnext_small", "convnext_base"};
  std::vector<std::string_view> names;
  for (const auto& m : models) names.push_back(m.name);
  EXPECT_EQ(names, expected);
  EXPECT_EQ(find_model("lenet").default_input, (input_shape{1, 32, 32}));
  EXPECT_ERROR_MENTIONS(find_model("resnet"), "no network \"resnet\"", "resnet18", "convnext_base");
}

TEST(Registry, EveryNetworkBuildsAtBatchOneAndEight) {
  for (const auto& model : models)
    for (const std::int64_t batch : {1, 8}) {
      SCOPED_TRACE(fmt::format("{} batch {}", model.name, batch));
      const auto engine = build(model, {.batch = batch});
      std::set<std::string> names;
      std::set<layer_kind> kinds;
      for (const auto& l : engine.layers) {
        EXPECT_TRUE(names.insert(l.name).second) << "repeated name " << l.name;
        ASSERT_FALSE(l.inputs.empty());
        ASSERT_EQ(l.outputs.size(), 1u);
        EXPECT_EQ(l.inputs[0].dimensions[0], batch) << l.name;
        EXPECT_EQ(l.outputs[0].dimensions[0], batch) << l.name;
        if (const auto kind = classify_layer_type(l.layer_type)) kinds.insert(*kind);
      }
      EXPECT_EQ(kinds.size(), 3u) << "convolutional, pooling and dense layers";
      const auto& first = engine.layers.front().inputs.front();
      EXPECT_EQ(first.name, "x");
      EXPECT_EQ(first.dimensions, (std::vector<std::int64_t>{batch, model.default_input.channels,
                                                             model.default_input.height, model.default_input.width}));
      EXPECT_EQ(engine.layers.back().outputs[0].dimensions,
                (std::vector<std::int64_t>{batch, model.name == "lenet" ? 10 : 1000}));
    }
}

TEST(Registry, OtherInputSizes) {
  const auto engine = build("resnet50", {.input = input_shape{3, 160, 160}});
  std::vector<std::int64_t> last_conv;
  for (const auto& l : engine.layers)
    if (l.layer_type == "CaskConvolution") last_conv = l.outputs[0].dimensions;
  EXPECT_EQ(last_conv, (std::vector<std::int64_t>{1, 2048, 5, 5}));
  EXPECT_ERROR_MENTIONS(build("alexnet", {.input = input_shape{3, 32, 32}}), "alexnet", "too small");
}

TEST(Registry, EnginesRoundTripThroughTheInspectorFormat) {
  const testing::temp_dir dir;
  for (const char* name : {"mobilenet_v3_small", "convnext_tiny"}) {
    const auto engine = build(name, {.batch = 2, .precision = io::precision::fp32});
    io::write_engine_info(dir / "engine.json", engine);
    EXPECT_EQ(io::read_engine_info(dir / "engine.json"), engine) << name;
  }
}

}  // namespace registry_test
}  // namespace layerwatt::zoo
