#include "layerwatt/zoo/xception.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace xception_test {

using dims = std::vector<std::int64_t>;
using testing::layers_of_type;

TEST(Xception, SeparableConvolutionsAndShortcuts) {
  const auto engine = build("xception");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  // The stem's two 3×3; 34 separable convolutions (2 + 2 + 2 + 8·3 + 2 in the blocks, conv3,
  // conv4), each a depthwise 3×3 and a pointwise 1×1; the 4 strided blocks' 1×1 shortcuts.
  ASSERT_EQ(convs.size(), 2u + 2 * 34 + 4);
  std::size_t depthwise = 0, pointwise = 0, residual = 0;
  for (const auto* l : convs) {
    residual += l->extra.at("HasResidual") == 1;
    if (*l->groups > 1) {
      ++depthwise;
      EXPECT_EQ(*l->groups, l->inputs[0].dimensions[1]) << l->name;
      EXPECT_EQ(*l->kernel, (dims{3, 3})) << l->name;
      EXPECT_EQ(l->extra.at("HasBias"), 0) << l->name << ": neither a bias nor a batch norm to fold";
      EXPECT_EQ(l->extra.at("Activation"), "NONE") << l->name;
    } else {
      pointwise += l->kernel->front() == 1;
      EXPECT_EQ(l->extra.at("HasBias"), 1) << l->name << ": the folded batch norm";
    }
  }
  EXPECT_EQ(depthwise, 34u);
  EXPECT_EQ(pointwise, 34u + 4);
  EXPECT_EQ(residual, 12u) << "a shortcut add per block";
  // Blocks 2–12 open with a ReLU on a tensor their shortcut reads too: a layer of its own.
  const auto relus = layers_of_type(engine, "PointWiseV2");
  EXPECT_EQ(relus.size(), 11u);
  for (const auto* l : relus) EXPECT_EQ(l->extra.at("Activation"), "RELU") << l->name;
  EXPECT_EQ(layers_of_type(engine, "ElementWise").size(), 0u);
}

TEST(Xception, StridedBlocksPoolThenAddTheirShortcutConvolution) {
  const auto engine = build("xception");
  std::vector<const io::engine_layer*> skips;
  for (const auto* l : layers_of_type(engine, "CaskConvolution"))
    if (l->name.find("/skip/") != std::string::npos) skips.push_back(l);
  ASSERT_EQ(skips.size(), 4u);
  for (const auto* l : skips) {
    EXPECT_EQ(*l->stride, (dims{2, 2})) << l->name;
    ASSERT_EQ(l->inputs.size(), 2u) << l->name;
    EXPECT_EQ(l->inputs[1].dimensions, l->outputs[0].dimensions) << l->name << ": the max-pool's output";
    EXPECT_NE(l->name.find("[ELEMENTWISE]-[aten_ops.add.Tensor]-[/block"), std::string::npos) << l->name;
  }
  const auto pools = layers_of_type(engine, "CaskPooling");
  ASSERT_EQ(pools.size(), 5u);  // blocks 1, 2, 3 and 12, then the global pool
  // 299 → 149 → 147 (the stem, unpadded) → 74 → 37 → 19 → 10.
  EXPECT_EQ(pools[0]->outputs[0].dimensions, (dims{1, 128, 74, 74}));
  EXPECT_EQ(pools[3]->outputs[0].dimensions, (dims{1, 1024, 10, 10}));
  EXPECT_EQ(*pools[4]->window_size, (dims{10, 10}));
}

TEST(Xception, TheDataSetsInputSize) {
  const auto engine = build("xception", {.input = input_shape{3, 224, 224}});
  const auto convs = layers_of_type(engine, "CaskConvolution");
  EXPECT_EQ(convs[1]->outputs[0].dimensions, (dims{1, 64, 109, 109}));
  EXPECT_EQ(convs.back()->outputs[0].dimensions, (dims{1, 2048, 7, 7}));
}

}  // namespace xception_test
}  // namespace layerwatt::zoo
