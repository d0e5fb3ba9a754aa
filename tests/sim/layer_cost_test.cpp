#include "layerwatt/sim/layer_cost.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/network_builder.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::sim {
namespace layer_cost_test {

const io::engine_layer& first_of(const io::engine_info& engine, std::string_view type) {
  for (const auto& l : engine.layers)
    if (l.layer_type == type) return l;
  throw error(fmt::format("no {} layer", type));
}

TEST(LayerCost, ConvolutionsOfARealEngine) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  const layer_cost conv1 = cost_of(first_of(engine, "CaskConvolution"));
  EXPECT_EQ(conv1.kind, kernel_class::convolution);
  EXPECT_EQ(conv1.flops, 2.0 * (64 * 112 * 112) * (3 * 7 * 7));
  EXPECT_EQ(conv1.weight_bytes, 2.0 * 64 * 3 * 7 * 7);
  EXPECT_EQ(conv1.bytes, 2.0 * (3 * 224 * 224 + 64 * 112 * 112) + conv1.weight_bytes);
  EXPECT_EQ(conv1.channels_per_group, 3);
  EXPECT_EQ(conv1.kernel_area, 49);
  EXPECT_EQ(conv1.stride, 2);

  const layer_cost pool = cost_of(first_of(engine, "CaskPooling"));
  EXPECT_EQ(pool.kind, kernel_class::pooling);
  EXPECT_EQ(pool.flops, 64.0 * 56 * 56 * 9);

  const layer_cost fc = cost_of(first_of(engine, "CaskGemmConvolution"));
  EXPECT_EQ(fc.flops, 2.0 * 1000 * 512);
  EXPECT_EQ(fc.weight_bytes, 2.0 * 1000 * 512);

  const layer_cost noop = cost_of(first_of(engine, "NoOp"));
  EXPECT_EQ(noop.kind, kernel_class::none);
  EXPECT_EQ(noop.flops, 0);
  EXPECT_EQ(noop.bytes, 0);
}

TEST(LayerCost, GroupsDivideTheWork) {
  zoo::network_builder b("net", 1, {32, 56, 56}, io::precision::fp32);
  const auto dense = b.conv(b.input(), "/dense", {.out_channels = 32, .kernel = 3, .padding = 1});
  const auto grouped = b.conv(dense, "/grouped", {.out_channels = 32, .kernel = 3, .padding = 1, .groups = 8});
  b.conv(grouped, "/depthwise", {.out_channels = 32, .kernel = 3, .padding = 1, .groups = 32});
  const auto& layers = b.finish(b.adaptive_avg_pool(grouped, "/pool", 1, 1)).layers;
  const double outputs = 32.0 * 56 * 56;
  EXPECT_EQ(cost_of(layers[0]).flops, 2 * outputs * 32 * 9);
  EXPECT_EQ(cost_of(layers[1]).flops, 2 * outputs * 4 * 9);
  EXPECT_EQ(cost_of(layers[2]).flops, 2 * outputs * 1 * 9);  // depthwise: 9 multiply-adds per output
  EXPECT_EQ(cost_of(layers[2]).weight_bytes, 4.0 * 32 * 9);  // fp32
  EXPECT_EQ(cost_of(layers[2]).out_channels_per_group, 1);
}

TEST(LayerCost, MyelinGemmsAndMemoryBoundLayers) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(testing::reference_data("engine_info/desktop/mobilenet_v2_torch_trt.json"));
  // [1, 1280] × [1280, 1000] (+ bias): the weights are an input, counted once.
  const layer_cost gemm = cost_of(first_of(engine, "gemm"));
  EXPECT_EQ(gemm.kind, kernel_class::convolution);
  EXPECT_EQ(gemm.flops, 2.0 * 1000 * 1280);
  EXPECT_EQ(gemm.bytes, 2.0 * (1280 + 1000 + 1280 * 1000));
  const layer_cost add = cost_of(first_of(engine, "kgen"));
  EXPECT_EQ(add.kind, kernel_class::memory);
  EXPECT_EQ(add.bytes, 2.0 * 2 * (32 * 112 * 112));
  EXPECT_EQ(add.flops, 0);
}

}  // namespace layer_cost_test
}  // namespace layerwatt::sim
