#include "layerwatt/dataset/layer_features.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/json_document.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace io = layerwatt::io;
namespace features = layerwatt::features;
using layerwatt::testing::reference_data;

namespace layer_features_test {

const io::engine_layer& layer_named(const io::engine_info& engine, std::string_view name) {
  for (const auto& l : engine.layers)
    if (l.name == name) return l;
  throw std::runtime_error("no layer " + std::string(name));
}

template <typename Features>
void expect_features(const io::engine_layer& layer, const nlohmann::json& expected) {
  const auto values = features::features_of<Features>(layer);
  ASSERT_EQ(expected.size(), Features::size);
  for (std::size_t i = 0; i < Features::size; ++i)
    EXPECT_EQ(values[i], expected.at(std::string(Features::names[i])).get<double>()) << Features::names[i];
}

// expected_features.json is the reference's own expectation for its fixture engines.
TEST(LayerFeatures, ReproducesTheReferenceFixturesButThePoolingKernel) {
  LAYERWATT_REQUIRE_SHARED();
  for (const char* model : {"model1", "model2"}) {
    SCOPED_TRACE(model);
    const std::string dir = std::string("seed_fixtures/example_preprocessed_data/") + model;
    const auto engine = io::read_engine_info(reference_data(dir + "/trt_engine_info.json"));
    const auto expected = io::load_json_file(reference_data(dir + "/expected_features.json"));
    expect_features<features::convolutional>(layer_named(engine, "conv_relu_layer"), expected["convolutional"]);
    expect_features<features::dense>(layer_named(engine, "dense_layer"), expected["dense"]);
    // The reference's kernel for this 3×3 max-pool is the input's 55×55 (it reads a "Kernel" key
    // TensorRT never writes for pooling); we read "WindowSize". Everything else is as expected.
    auto pooling = expected["pooling"];
    EXPECT_EQ(pooling["kernel_0"], 55);
    pooling["kernel_0"] = pooling["kernel_1"] = 3;
    expect_features<features::pooling>(layer_named(engine, "maxpool_layer"), pooling);
  }
}

TEST(LayerFeatures, GroupedConvolutionsAndPrecisionFromAMobileNetEngine) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(reference_data("engine_info/desktop/mobilenet_v2_onnx_trt.json"));
  const io::engine_layer* depthwise = nullptr;
  for (const auto& l : engine.layers)
    if (l.groups && *l.groups == 96) depthwise = &l;
  ASSERT_NE(depthwise, nullptr);
  using extras = features::feature_list<features::groups, features::dilation_h, features::dilation_w>;
  EXPECT_EQ(features::features_of<extras>(*depthwise), (std::array<double, 3>{96, 1, 1}));
  EXPECT_EQ(features::precision_of(*depthwise), io::precision::fp32);
  const auto orin = io::read_engine_info(reference_data("engine_info/jetson_orin/resnet18.json"));
  EXPECT_EQ(features::precision_of(orin.layers.at(1)), io::precision::fp16);
}

io::engine_layer make_layer(std::string type, std::vector<std::int64_t> in, std::vector<std::int64_t> out) {
  io::engine_layer l;
  l.name = "the layer";
  l.layer_type = std::move(type);
  l.inputs.push_back({"in", std::move(in), "Row major linear FP16 format", {}});
  l.outputs.push_back({"out", std::move(out), "", {}});
  return l;
}

TEST(LayerFeatures, GlobalPoolingWithoutWindowTakesTheInputsSpatialSize) {
  auto pool = make_layer("CaskPooling", {2, 512, 7, 9}, {2, 512, 1, 1});
  pool.stride = {{1, 1}};
  const auto x = features::features_of<features::pooling>(pool);
  EXPECT_EQ(x[features::pooling::index_of<features::kernel_h>], 7);
  EXPECT_EQ(x[features::pooling::index_of<features::kernel_w>], 9);
  EXPECT_EQ(x[features::pooling::index_of<features::batch_size>], 2);
  pool.kernel = {{2, 3}};  // a "Kernel" key, when present, is used
  EXPECT_EQ(features::features_of<features::pooling>(pool)[features::pooling::index_of<features::kernel_w>], 3);
}

TEST(LayerFeatures, DenseSizesAreProductsOfEveryDimensionAnyRank) {
  const auto fc = make_layer("CaskGemmConvolution", {4, 4096}, {4, 1000});
  EXPECT_EQ(features::features_of<features::dense>(fc), (std::array<double, 3>{4, 16384, 4000}));
}

TEST(LayerFeatures, DefaultsForGroupsAndDilation) {
  const auto conv = make_layer("CaskConvolution", {1, 3, 8, 8}, {1, 4, 8, 8});
  using extras = features::feature_list<features::groups, features::dilation_h, features::dilation_w>;
  EXPECT_EQ(features::features_of<extras>(conv), (std::array<double, 3>{1, 1, 1}));
}

TEST(LayerFeatures, WhatIsMissingIsNamed) {
  auto conv = make_layer("CaskConvolution", {1, 3, 8, 8}, {1, 4, 8, 8});
  EXPECT_ERROR_MENTIONS(features::features_of<features::convolutional>(conv), "\"the layer\"", "CaskConvolution",
                        "kernel_0", "\"Kernel\" or \"WindowSize\"");
  conv.kernel = {{3, 3}};
  EXPECT_ERROR_MENTIONS(features::features_of<features::convolutional>(conv), "padding_0", "\"PrePadding\"");
  conv.pre_padding = conv.post_padding = {{1, 1}};
  EXPECT_ERROR_MENTIONS(features::features_of<features::convolutional>(conv), "stride_0", "\"Stride\"");
  conv.stride = {{1, 1, 1}};
  EXPECT_ERROR_MENTIONS(features::features_of<features::convolutional>(conv), "\"Stride\" with 2 entries");
  conv.stride = {{2, 2}};
  EXPECT_EQ(features::features_of<features::convolutional>(conv),
            (std::array<double, 13>{1, 3, 8, 8, 4, 8, 8, 3, 3, 2, 2, 2, 2}));
  const auto flat = make_layer("CaskConvolution", {1, 4096}, {1, 10});
  EXPECT_ERROR_MENTIONS(features::features_of<features::convolutional>(flat), "input_size_0", "4-d NCHW",
                        "[1, 4096]");
  io::engine_layer bare;
  bare.name = "nothing";
  bare.layer_type = "CaskGemmConvolution";
  EXPECT_ERROR_MENTIONS(features::features_of<features::dense>(bare), "\"nothing\"", "batch_size", "input");
}

struct not_a_feature {  // a column tag with no way to read it off a layer
  static constexpr std::string_view name = "made_up";
};

TEST(LayerFeatures, EveryColumnTagIsExtractable) {
  static_assert(features::extractable<features::batch_size> && features::extractable<features::in_c> &&
                features::extractable<features::padding_w> && features::extractable<features::input_size> &&
                features::extractable<features::dilation_w> && features::extractable<features::groups>);
  static_assert(!features::extractable<not_a_feature>);
  SUCCEED();
}

}  // namespace layer_features_test
