#include "layerwatt/zoo/unet.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::zoo {
namespace unet_test {

using dims = std::vector<std::int64_t>;
using testing::layers_of_type;

TEST(Unet, EncoderDecoderAndTheSegmentationMap) {
  const auto engine = build("unet", {.batch = 2});
  const auto convs = layers_of_type(engine, "CaskConvolution");
  ASSERT_EQ(convs.size(), 9u * 2 + 1);  // nine DoubleConvs, OutConv
  for (std::size_t i = 0; i + 1 < convs.size(); ++i) {
    EXPECT_EQ(*convs[i]->kernel, (dims{3, 3})) << convs[i]->name;
    EXPECT_EQ(convs[i]->extra.at("Activation"), "RELU") << convs[i]->name;
    EXPECT_NE(convs[i]->name.find("[SCALE]"), std::string::npos) << convs[i]->name;
  }
  EXPECT_EQ(convs[9]->outputs[0].dimensions, (dims{2, 1024, 14, 14}));  // the bottom of the U
  EXPECT_EQ(convs.back()->extra.at("Activation"), "NONE");
  EXPECT_EQ(layers_of_type(engine, "CaskPooling").size(), 4u);
  const auto& out = engine.layers.back().outputs[0];
  EXPECT_EQ(out.name, "output0");
  EXPECT_EQ(out.dimensions, (dims{2, 2, 224, 224}));
  EXPECT_TRUE(layers_of_type(engine, "Padding").empty()) << "224 halves four times without remainder";
}

TEST(Unet, UpsamplingIsATransposedConvolutionConcatenatedAfterItsSkip) {
  const auto engine = build("unet");
  const auto ups = layers_of_type(engine, "CaskDeconvolution");
  ASSERT_EQ(ups.size(), 4u);
  for (const auto* l : ups) {
    EXPECT_EQ(*l->kernel, (dims{2, 2})) << l->name;
    EXPECT_EQ(*l->stride, (dims{2, 2})) << l->name;
    EXPECT_EQ(*l->out_maps * 2, l->inputs[0].dimensions[1]) << l->name;
    EXPECT_EQ(l->extra.at("HasBias"), 1) << l->name;
  }
  EXPECT_EQ(ups[0]->outputs[0].dimensions, (dims{1, 512, 28, 28}));
  std::vector<const io::engine_layer*> concatenations;
  for (const auto* l : layers_of_type(engine, "NoOp"))
    if (l->name.find("aten_ops.cat") != std::string::npos) concatenations.push_back(l);
  ASSERT_EQ(concatenations.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto* l = concatenations[i];
    ASSERT_EQ(l->inputs.size(), 2u);
    EXPECT_EQ(l->inputs[1].name, ups[i]->outputs[0].name) << "[skip, upsampled]";
    EXPECT_EQ(l->outputs[0].dimensions[1], 2 * l->inputs[0].dimensions[1]) << l->name;
  }
}

TEST(Unet, AnOddSizeIsPaddedBackToTheSkipsSize) {
  // 161 × 203 pools to 80 × 101, 40 × 50, 20 × 25, 10 × 12: upsampling gives 20 × 24 (pad the
  // width), 40 × 50, 80 × 100 (the width) and 160 × 202 (both), F.pad's extra pixel after.
  const auto engine = build("unet", {.input = input_shape{3, 161, 203}});
  const auto pads = layers_of_type(engine, "Padding");
  ASSERT_EQ(pads.size(), 3u);
  EXPECT_EQ(pads[0]->inputs[0].dimensions, (dims{1, 512, 20, 24}));
  EXPECT_EQ(pads[0]->outputs[0].dimensions, (dims{1, 512, 20, 25}));
  EXPECT_EQ(pads[2]->inputs[0].dimensions, (dims{1, 64, 160, 202}));
  EXPECT_EQ(pads[2]->outputs[0].dimensions, (dims{1, 64, 161, 203}));
  EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (dims{1, 2, 161, 203}));
  EXPECT_ERROR_MENTIONS(build("unet", {.input = input_shape{3, 15, 15}}), "unet", "/down4", "too small");
}

}  // namespace unet_test
}  // namespace layerwatt::zoo
