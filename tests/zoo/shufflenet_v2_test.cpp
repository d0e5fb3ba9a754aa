#include "layerwatt/zoo/shufflenet_v2.hpp"

#include <gtest/gtest.h>

#include <map>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace shufflenet_v2_test {

using dims = std::vector<std::int64_t>;
using testing::layers_of_type;

TEST(ShufflenetV2, UnitsSplitRunABranchConcatenateAndShuffle) {
  const auto engine = build("shufflenet_v2_x1_0", {.batch = 2});
  // 16 units: 3 of stride 2 (two branches), 13 of stride 1 (a split into two slices).
  EXPECT_EQ(layers_of_type(engine, "Slice").size(), 2u * 13);
  const auto shuffles = layers_of_type(engine, "Shuffle");
  ASSERT_EQ(shuffles.size(), 16u);
  // The channel shuffle's transpose: [N, 2, C/2, H, W] → [N, C/2, 2, H, W].
  EXPECT_EQ(shuffles.front()->inputs[0].dimensions, (dims{2, 2, 58, 28, 28}));
  EXPECT_EQ(shuffles.front()->outputs[0].dimensions, (dims{2, 58, 2, 28, 28}));
  EXPECT_EQ(shuffles.back()->outputs[0].dimensions, (dims{2, 232, 2, 7, 7}));
  std::size_t concatenations = 0, views = 0;
  for (const auto* l : layers_of_type(engine, "NoOp")) {
    if (l->name.find("aten_ops.cat") != std::string::npos) {
      ++concatenations;
      ASSERT_EQ(l->inputs.size(), 2u) << l->name;
      EXPECT_EQ(l->outputs[0].dimensions[1], l->inputs[0].dimensions[1] + l->inputs[1].dimensions[1]) << l->name;
    }
    views += l->name.find("aten_ops.reshape") != std::string::npos;
  }
  EXPECT_EQ(concatenations, 16u);
  EXPECT_EQ(views, 2u * 16);
}

TEST(ShufflenetV2, ConvolutionsAndTheirFusions) {
  const auto engine = build("shufflenet_v2_x1_0");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  // Stem, 3 × 5 in the stride-2 units, 13 × 3 in the others, conv5.
  ASSERT_EQ(convs.size(), 1u + 3 * 5 + 13 * 3 + 1);
  std::size_t depthwise = 0;
  for (const auto* l : convs) {
    EXPECT_NE(l->name.find("[SCALE]"), std::string::npos) << l->name << ": every convolution has its batch norm";
    if (*l->groups == 1) {
      EXPECT_EQ(l->extra.at("Activation"), "RELU") << l->name;
      continue;
    }
    ++depthwise;  // no ReLU after a depthwise convolution
    EXPECT_EQ(*l->groups, l->inputs[0].dimensions[1]) << l->name;
    EXPECT_EQ(l->extra.at("Activation"), "NONE") << l->name;
    EXPECT_EQ(*l->kernel, (dims{3, 3})) << l->name;
  }
  EXPECT_EQ(depthwise, 3u * 2 + 13);
  EXPECT_EQ(convs.back()->outputs[0].dimensions, (dims{1, 1024, 7, 7}));
  const auto fc = layers_of_type(engine, "CaskGemmConvolution");
  ASSERT_EQ(fc.size(), 1u);
  EXPECT_EQ(fc[0]->inputs[0].dimensions, (dims{1, 1024, 1, 1}));
}

TEST(ShufflenetV2, SlicesShufflesAndReformatsAreMemoryBoundConcatenationsAndViewsNoOps) {
  const auto engine = build("shufflenet_v2_x1_0");
  std::map<dataset::layer_class, std::size_t> kinds;
  for (const auto& c : dataset::classify_layers(engine)) ++kinds[c.kind];
  using enum dataset::layer_class;
  EXPECT_EQ(kinds[convolutional], 56u);
  EXPECT_EQ(kinds[pooling], 2u);  // the stem's max-pool, the global mean
  EXPECT_EQ(kinds[dense], 1u);
  // 26 slices, 16 shuffles and 20 reformats to or from row-major: the input's; before each
  // stride-1 unit's branch (its slice of a row-major view); before the branches of the stride-2
  // units of stages 3 and 4 (a row-major view); before each stride-2 unit's view (its first
  // input, branch 1, is channel-major); before conv5.
  EXPECT_EQ(kinds[memory_bound], 26u + 16 + (1 + 13 + 2 + 3 + 1));
  EXPECT_EQ(kinds[no_op], 16u * 3 + 1);  // concatenation and two views per unit; the output's squeeze
  EXPECT_EQ(kinds[unclassified], 0u);
}

}  // namespace shufflenet_v2_test
}  // namespace layerwatt::zoo
