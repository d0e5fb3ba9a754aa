#include "layerwatt/zoo/convnext.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace convnext_test {

using testing::layers_of_type;

TEST(Convnext, BlocksAreDepthwiseNormMlpAndScaledAdd) {
  for (const auto& [name, blocks] : {std::pair{"convnext_tiny", 18}, {"convnext_small", 36}, {"convnext_base", 36}}) {
    const auto engine = build(name);
    const auto n = static_cast<std::size_t>(blocks);
    EXPECT_EQ(layers_of_type(engine, "gemm").size(), 2 * n) << name;
    EXPECT_EQ(layers_of_type(engine, "ElementWise").size(), n) << name;
    const auto gelu = layers_of_type(engine, "PointWiseV2");
    EXPECT_EQ(gelu.size(), n) << name;
    // Layer norm after the stem, before each of the 3 downsamplings, in each block, in the head.
    EXPECT_EQ(layers_of_type(engine, "Normalization").size(), 1 + 3 + n + 1) << name;
    std::size_t depthwise = 0;
    for (const auto* l : layers_of_type(engine, "CaskConvolution"))
      if (*l->groups > 1) {
        ++depthwise;
        EXPECT_EQ(*l->kernel, (std::vector<std::int64_t>{7, 7}));
        EXPECT_EQ(*l->pre_padding, (std::vector<std::int64_t>{3, 3}));
      }
    EXPECT_EQ(depthwise, n) << name;
  }
}

TEST(Convnext, StemDownsamplingAndMlpWidths) {
  const auto engine = build("convnext_base");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  EXPECT_EQ(*convs[0]->kernel, (std::vector<std::int64_t>{4, 4}));
  EXPECT_EQ(convs[0]->outputs[0].dimensions, (std::vector<std::int64_t>{1, 128, 56, 56}));
  const auto gemms = layers_of_type(engine, "gemm");
  EXPECT_EQ(gemms[0]->outputs[0].dimensions, (std::vector<std::int64_t>{1, 512, 56, 56}));
  EXPECT_EQ(gemms.back()->outputs[0].dimensions, (std::vector<std::int64_t>{1, 1024, 7, 7}));
  const auto head = layers_of_type(engine, "CaskGemmConvolution");
  ASSERT_EQ(head.size(), 1u);
  EXPECT_EQ(head[0]->inputs[0].dimensions, (std::vector<std::int64_t>{1, 1024, 1, 1}));
}

}  // namespace convnext_test
}  // namespace layerwatt::zoo
