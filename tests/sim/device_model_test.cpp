#include "layerwatt/sim/device_model.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/network_builder.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::sim {
namespace device_model_test {

device_profile without_variation() {
  device_profile p;
  p.compute.tactic_sigma = 0;
  p.power.layer_sigma = 0;
  return p;
}

TEST(DeviceModel, EveryLayerOfARealEngineGetsARuntimeAndPower) {
  LAYERWATT_REQUIRE_SHARED();
  const device_profile p;
  for (const char* file : {"engine_info/jetson_orin/resnet18.json", "engine_info/jetson_orin/vgg16.json"}) {
    for (const auto& l : io::read_engine_info(testing::reference_data(file)).layers) {
      const auto e = expected_layer(l, p);
      if (l.layer_type == "NoOp") {
        EXPECT_EQ(e.runtime_us, 0) << l.name;
        EXPECT_EQ(e.dynamic_power_uw, 0) << l.name;
        continue;
      }
      EXPECT_GT(e.runtime_us, 1) << l.name;
      EXPECT_LT(e.runtime_us, 5000) << l.name;
      EXPECT_GE(e.dynamic_power_uw, 0.5 * p.power.active_mw * 1000) << l.name;
      EXPECT_GE(e.compute_utilisation, 0) << l.name;
      EXPECT_LE(e.compute_utilisation, 1) << l.name;
      EXPECT_LE(e.memory_utilisation, 1) << l.name;
    }
  }
}

TEST(DeviceModel, TacticVariationFollowsTheConfigurationNotTheName) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  io::engine_layer renamed = engine.layers[1];
  renamed.name = "another name";
  device_profile p;
  EXPECT_EQ(expected_layer(renamed, p).runtime_us, expected_layer(engine.layers[1], p).runtime_us);
  // layer1's two 3×3 convolutions without a shortcut have the same configuration.
  EXPECT_EQ(expected_layer(engine.layers[3], p).runtime_us, expected_layer(engine.layers[5], p).runtime_us);
  const double before = expected_layer(engine.layers[1], p).runtime_us;
  p.compute.tactic_seed = 2;
  EXPECT_NE(expected_layer(engine.layers[1], p).runtime_us, before);
  EXPECT_EQ(expected_layer(engine.layers[1], without_variation()).runtime_us,
            expected_layer(renamed, without_variation()).runtime_us);
}

TEST(DeviceModel, MoreWorkTakesLongerAndDrawsMore) {
  zoo::network_builder b("net", 1, {64, 56, 56}, io::precision::fp16);
  const auto x = b.conv(b.input(), "/small", {.out_channels = 64, .kernel = 1});
  const auto y = b.conv(x, "/large", {.out_channels = 256, .kernel = 3, .padding = 1});
  b.conv(x, "/depthwise", {.out_channels = 64, .kernel = 3, .padding = 1, .groups = 64});
  const auto engine = b.finish(b.adaptive_avg_pool(y, "/pool", 1, 1));
  const auto p = without_variation();
  const auto small = expected_layer(engine.layers[1], p), large = expected_layer(engine.layers[2], p);
  const auto depthwise = expected_layer(engine.layers[3], p);
  EXPECT_GT(large.runtime_us, 2 * small.runtime_us);
  EXPECT_GT(large.compute_utilisation, small.compute_utilisation);
  EXPECT_GT(large.dynamic_power_uw, small.dynamic_power_uw);
  // A depthwise convolution does 1/256 of the large one's work, even on the slower CUDA cores.
  EXPECT_LT(depthwise.runtime_us, large.runtime_us);
}

TEST(DeviceModel, LargeLinearLayersAreMemoryBound) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const auto p = without_variation();
  for (const auto& l : engine.layers)
    if (l.layer_type == "CaskGemmConvolution" && l.inputs[0].dimensions[1] == 25088) {
      const auto e = expected_layer(l, p);
      // 25088 × 4096 FP16 weights = 205 MB at ≈ 0.7 × 204.8 GB/s.
      EXPECT_NEAR(e.runtime_us, 205.5e6 / (0.7 * 204.8e3), 0.1 * e.runtime_us);
      EXPECT_GT(e.memory_utilisation, 10 * e.compute_utilisation);
    }
}

}  // namespace device_model_test
}  // namespace layerwatt::sim
