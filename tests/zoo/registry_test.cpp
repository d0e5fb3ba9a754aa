#include "layerwatt/zoo/registry.hpp"

#include <gtest/gtest.h>

#include <set>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::zoo {
namespace registry_test {

TEST(Registry, TheReferenceExperimentsNetworksInItsOrderThenTheOthers) {
  // run_experiment.sh's list.
  const std::vector<std::string_view> reference = {
      "alexnet",         "vgg11",           "vgg13",          "vgg16",          "vgg19",
      "mobilenet_v2",    "mobilenet_v3_small", "mobilenet_v3_large", "resnet18", "resnet34",
      "resnet50",        "resnet101",       "resnet152",      "lenet",          "resnext50_32x4d",
      "resnext101_32x8d", "resnext101_64x4d", "convnext_tiny", "convnext_small", "convnext_base"};
  const std::vector<std::string_view> others = {"shufflenet_v2_x1_0", "unet",           "xception",
                                                "efficientnet_b0",    "efficientnet_b4", "efficientnet_v2_m"};
  std::vector<std::string_view> names, reference_names;
  for (const auto& m : models) names.push_back(m.name);
  for (const auto& m : reference_models()) reference_names.push_back(m.name);
  EXPECT_EQ(reference_names, reference);
  EXPECT_EQ(std::vector(names.begin() + 20, names.end()), others);
  EXPECT_EQ(find_model("lenet").default_input, (input_shape{1, 32, 32}));
  // The definitions' own inputs (timm's default_cfg; torchvision's weights' crop sizes).
  EXPECT_EQ(find_model("xception").default_input, (input_shape{3, 299, 299}));
  EXPECT_EQ(find_model("efficientnet_b4").default_input, (input_shape{3, 380, 380}));
  EXPECT_EQ(find_model("efficientnet_v2_m").default_input, (input_shape{3, 480, 480}));
  EXPECT_ERROR_MENTIONS(find_model("resnet"), "no network \"resnet\"", "resnet18", "convnext_base", "unet");
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
      const auto& in = model.default_input;
      const auto& first = engine.layers.front().inputs.front();
      EXPECT_EQ(first.name, "x");
      EXPECT_EQ(first.dimensions, (std::vector<std::int64_t>{batch, in.channels, in.height, in.width}));
      EXPECT_EQ(engine.bindings, (std::vector<std::string>{"x", "output0"}));
      if (model.name == "unet") {  // a segmentation map of two classes; no dense layer
        EXPECT_EQ(kinds.size(), 2u) << "convolutional and pooling layers";
        EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (std::vector<std::int64_t>{batch, 2, in.height, in.width}));
        continue;
      }
      EXPECT_EQ(kinds.size(), 3u) << "convolutional, pooling and dense layers";
      EXPECT_EQ(engine.layers.back().outputs[0].dimensions,
                (std::vector<std::int64_t>{batch, model.name == "lenet" ? 10 : 1000}));
    }
}

TEST(Registry, EveryLayerOfEveryNetworkIsOfAModelledKindOrANoOp) {
  for (const auto& model : models)
    for (const auto& options : {build_options{}, build_options{.batch = 2, .input = input_shape{3, 193, 161}}}) {
      if (model.name == "lenet" && options.input) continue;  // one channel, 32×32
      const auto engine = build(model, options);
      for (const auto& c : dataset::classify_layers(engine))
        EXPECT_NE(c.kind, dataset::layer_class::unclassified) << model.name << ": " << c.layer->name << " ("
                                                              << c.layer->layer_type << ")";
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
