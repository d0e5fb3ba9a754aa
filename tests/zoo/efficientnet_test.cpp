#include "layerwatt/zoo/efficientnet.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace efficientnet_test {

using dims = std::vector<std::int64_t>;
using testing::layers_of_type;

struct census {
  std::size_t depthwise = 0, residual = 0, silu = 0, sigmoid = 0, products = 0, sums = 0;
};

census count(const io::engine_info& engine) {
  census c;
  for (const auto* l : layers_of_type(engine, "CaskConvolution")) {
    c.depthwise += *l->groups > 1 && *l->groups == l->inputs[0].dimensions[1];
    c.residual += l->extra.at("HasResidual") == 1;
    EXPECT_EQ(l->extra.at("Activation"), "NONE") << l->name << ": SiLU does not fuse";
  }
  for (const auto* l : layers_of_type(engine, "PointWiseV2")) {
    c.silu += l->extra.at("Activation") == "SILU";
    c.sigmoid += l->extra.at("Activation") == "SIGMOID";
  }
  for (const auto* l : layers_of_type(engine, "ElementWise")) {
    c.products += l->extra.at("Operation") == "PROD";
    c.sums += l->extra.at("Operation") == "SUM";
  }
  return c;
}

TEST(Efficientnet, B4ScalesB0sWidthsAndDepths) {
  // Depths ⌈1.8·(1, 2, 2, 3, 3, 4, 1)⌉ = 2, 4, 4, 6, 6, 8, 2: 32 MBConv blocks; widths
  // make_divisible(1.4·c): stem 48, stages 24, 32, 56, 112, 160, 272, 448; head 4·448.
  const auto engine = build("efficientnet_b4");
  const census c = count(engine);
  EXPECT_EQ(c.depthwise, 32u);
  EXPECT_EQ(c.products, 32u) << "a squeeze-and-excitation per block";
  EXPECT_EQ(c.sigmoid, 32u);
  // SiLU after the stem, 30 expansions (not in the 2 blocks of ratio 1), 32 depthwise, 32 SE
  // squeezes and the head.
  EXPECT_EQ(c.silu, 1u + 30 + 32 + 32 + 1);
  EXPECT_EQ(c.residual, 32u - 7) << "every block but each stage's first";
  EXPECT_EQ(c.sums, 0u) << "shortcut adds fuse into the projections";
  const auto convs = layers_of_type(engine, "CaskConvolution");
  EXPECT_EQ(convs.front()->outputs[0].dimensions, (dims{1, 48, 190, 190}));
  EXPECT_EQ(convs.back()->outputs[0].dimensions, (dims{1, 1792, 12, 12}));
  std::vector<std::int64_t> stage_widths;
  for (const auto* l : convs)
    if (l->name.find("/0/block/") != std::string::npos && l->extra.at("HasResidual") == 0 && *l->groups == 1 &&
        l->kernel->front() == 1 && l->inputs[0].dimensions[2] > 1 &&
        l->outputs[0].dimensions[1] < l->inputs[0].dimensions[1])
      stage_widths.push_back(l->outputs[0].dimensions[1]);  // each stage's first projection
  EXPECT_EQ(stage_widths, (dims{24, 32, 56, 112, 160, 272, 448}));
  // The first block's squeeze: a quarter of its 48 input channels.
  const auto se = layers_of_type(engine, "CaskConvolution");
  EXPECT_EQ(*se[2]->out_maps, 12);
  EXPECT_EQ(se[2]->inputs[0].dimensions, (dims{1, 48, 1, 1}));
}

TEST(Efficientnet, V2MBeginsWithFusedBlocks) {
  const auto engine = build("efficientnet_v2_m", {.input = input_shape{3, 224, 224}});
  const census c = count(engine);
  // 13 FusedMBConv blocks (3 of ratio 1, 5 + 5 expanding) and 44 MBConv blocks (7 + 14 + 18 + 5).
  EXPECT_EQ(c.depthwise, 44u);
  EXPECT_EQ(c.products, 44u);
  // A ratio-1 FusedMBConv is a convolution, SiLU, then the shortcut add: an element-wise layer.
  EXPECT_EQ(c.sums, 3u);
  EXPECT_EQ(c.residual, (4u + 4) + (6 + 13 + 17 + 4)) << "every other block but each stage's first";
  const auto convs = layers_of_type(engine, "CaskConvolution");
  EXPECT_EQ(convs.front()->outputs[0].dimensions, (dims{1, 24, 112, 112}));
  EXPECT_EQ(*convs[1]->kernel, (dims{3, 3}));
  EXPECT_EQ(*convs[1]->groups, 1) << "a fused block's k×k is a full convolution";
  EXPECT_EQ(convs.back()->outputs[0].dimensions, (dims{1, 1280, 7, 7}));
  const auto fc = layers_of_type(engine, "CaskGemmConvolution");
  ASSERT_EQ(fc.size(), 1u);
  EXPECT_EQ(fc[0]->inputs[0].dimensions, (dims{1, 1280, 1, 1}));
}

TEST(Efficientnet, SqueezeExcitationReadsThePooledDepthwiseOutput) {
  const auto engine = build("efficientnet_b0", {.batch = 4});
  const auto products = layers_of_type(engine, "ElementWise");
  ASSERT_EQ(products.size(), 16u);
  for (const auto* l : products) {
    ASSERT_EQ(l->inputs.size(), 2u);
    const auto& x = l->inputs[0].dimensions;
    EXPECT_EQ(l->inputs[1].dimensions, (dims{4, x[1], 1, 1})) << l->name;
  }
  EXPECT_EQ(layers_of_type(engine, "CaskPooling").size(), 16u + 1);
}

}  // namespace efficientnet_test
}  // namespace layerwatt::zoo
