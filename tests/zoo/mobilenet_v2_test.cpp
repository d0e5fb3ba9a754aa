#include "layerwatt/zoo/mobilenet_v2.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::zoo {
namespace mobilenet_v2_test {

using testing::layers_of_type;

TEST(MobilenetV2, ShapesMatchTheDesktopOnnxTensorRtEngine) {
  LAYERWATT_REQUIRE_SHARED();
  // That engine fuses ReLU6 and the shortcut adds as we do; TensorRT picked GEMM kernels for
  // some 1×1 convolutions there, so the layer types are left out of the comparison.
  const auto real = io::read_engine_info(testing::reference_data("engine_info/desktop/mobilenet_v2_onnx_trt.json"));
  auto expected = testing::modelled_layers(real), actual = testing::modelled_layers(build("mobilenet_v2"));
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    expected[i].layer_type = actual[i].layer_type = "";
    EXPECT_EQ(actual[i], expected[i]) << "modelled layer " << i;
  }
}

TEST(MobilenetV2, DepthwiseConvolutionsHaveOneGroupPerChannel) {
  const auto engine = build("mobilenet_v2", {.batch = 8});
  const auto convs = layers_of_type(engine, "CaskConvolution");
  std::size_t depthwise = 0;
  for (const auto* l : convs) {
    if (*l->groups == 1) continue;
    ++depthwise;
    EXPECT_EQ(*l->groups, l->inputs[0].dimensions[1]) << l->name;
    EXPECT_EQ(*l->groups, *l->out_maps) << l->name;
    EXPECT_EQ(*l->kernel, (std::vector<std::int64_t>{3, 3})) << l->name;
    EXPECT_EQ(l->inputs[0].dimensions[0], 8) << l->name;
  }
  EXPECT_EQ(depthwise, 17u);  // one per inverted residual block
}

TEST(MobilenetV2, ReluSixIsFusedAndShortcutsJoinTheProjection) {
  const auto engine = build("mobilenet_v2");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  std::size_t clipped = 0, residual = 0;
  for (const auto* l : convs) {
    clipped += l->extra.at("Activation") == "CLIPPED_RELU";
    residual += l->extra.at("HasResidual") == 1;
  }
  EXPECT_EQ(clipped, 35u);  // stem, 16 expansions, 17 depthwise, the last 1×1
  EXPECT_EQ(residual, 10u);
}

}  // namespace mobilenet_v2_test
}  // namespace layerwatt::zoo
