#include "layerwatt/zoo/mobilenet_v3.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace mobilenet_v3_test {

using testing::layers_of_type;

TEST(MobilenetV3, MakeDivisibleAsTorchvision) {
  EXPECT_EQ(make_divisible(16 / 4), 8);
  EXPECT_EQ(make_divisible(72 / 4), 24);  // 18 rounds to 16, which is below 90%: one step up
  EXPECT_EQ(make_divisible(120 / 4), 32);
  EXPECT_EQ(make_divisible(480 / 4), 120);
  EXPECT_EQ(make_divisible(672 / 4), 168);
}

TEST(MobilenetV3, SqueezeExcitationBlocks) {
  for (const auto& [name, se_blocks] : {std::pair{"mobilenet_v3_large", 8}, {"mobilenet_v3_small", 9}}) {
    const auto engine = build(name);
    const auto products = layers_of_type(engine, "ElementWise");
    EXPECT_EQ(products.size(), static_cast<std::size_t>(se_blocks)) << name;
    for (const auto* l : products) {
      ASSERT_EQ(l->inputs.size(), 2u);
      const auto& x = l->inputs[0].dimensions;
      EXPECT_EQ(l->inputs[1].dimensions, (std::vector<std::int64_t>{x[0], x[1], 1, 1})) << l->name;
    }
    // Each block's global pool, plus the head's.
    EXPECT_EQ(layers_of_type(engine, "CaskPooling").size(), static_cast<std::size_t>(se_blocks + 1)) << name;
  }
}

TEST(MobilenetV3, HardswishAndHardsigmoidArePointwiseLayers) {
  const auto engine = build("mobilenet_v3_large");
  std::size_t hardswish = 0, hardsigmoid = 0;
  for (const auto* l : layers_of_type(engine, "PointWiseV2")) {
    hardswish += l->extra.at("Activation") == "HARD_SWISH";
    hardsigmoid += l->extra.at("Activation") == "HARD_SIGMOID";
  }
  EXPECT_EQ(hardsigmoid, 8u);
  // Stem, 9 hardswish blocks × (expansion + depthwise), the last 1×1, the classifier's hidden layer.
  EXPECT_EQ(hardswish, 1u + 9 * 2 + 1 + 1);
  const auto gemms = layers_of_type(engine, "CaskGemmConvolution");
  ASSERT_EQ(gemms.size(), 2u);
  EXPECT_EQ(gemms[0]->inputs[0].dimensions, (std::vector<std::int64_t>{1, 960, 1, 1}));
  EXPECT_EQ(*gemms[0]->out_maps, 1280);
}

TEST(MobilenetV3, DepthwiseKernelsAndStrides) {
  const auto engine = build("mobilenet_v3_small");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  std::vector<std::int64_t> kernels;
  for (const auto* l : convs)
    if (*l->groups > 1) {
      EXPECT_EQ(*l->groups, l->inputs[0].dimensions[1]);
      kernels.push_back(l->kernel->front());
    }
  EXPECT_EQ(kernels, (std::vector<std::int64_t>{3, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5}));
  EXPECT_EQ(convs.back()->outputs[0].dimensions, (std::vector<std::int64_t>{1, 576, 7, 7}));
}

}  // namespace mobilenet_v3_test
}  // namespace layerwatt::zoo
