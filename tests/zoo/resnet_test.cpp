#include "layerwatt/zoo/resnet.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::zoo {
namespace resnet_test {

using testing::layers_of_type;
using testing::modelled_layers;
using testing::reference_data;

TEST(Resnet, Resnet18MatchesTheJetsonEngineLayerByLayer) {
  LAYERWATT_REQUIRE_SHARED();
  const auto real = io::read_engine_info(reference_data("engine_info/jetson_orin/resnet18.json"));
  const auto ours = build("resnet18");
  const auto expected = modelled_layers(real), actual = modelled_layers(ours);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << "modelled layer " << i;
  EXPECT_EQ(ours.bindings, real.bindings);
}

TEST(Resnet, Resnet18MatchesTheDesktopTorchTensorRtEngine) {
  LAYERWATT_REQUIRE_SHARED();
  const auto real = io::read_engine_info(reference_data("engine_info/desktop/resnet18_torch_trt.json"));
  EXPECT_EQ(modelled_layers(build("resnet18")), modelled_layers(real));
}

TEST(Resnet, EveryBlockFusesItsShortcutIntoItsLastConvolution) {
  for (const auto& [name, blocks] : {std::pair{"resnet34", 16}, {"resnet152", 50}, {"resnext50_32x4d", 16}}) {
    std::size_t residual = 0;
    const auto engine = build(name);
    for (const auto* l : layers_of_type(engine, "CaskConvolution")) {
      const bool fused = l->extra.at("HasResidual") == 1;
      residual += fused;
      EXPECT_EQ(l->inputs.size(), fused ? 2u : 1u) << l->name;
      if (fused) {
        EXPECT_EQ(l->inputs[1].dimensions, l->outputs[0].dimensions) << l->name;
      }
    }
    EXPECT_EQ(residual, static_cast<std::size_t>(blocks)) << name;
  }
}

TEST(Resnet, BottleneckWidthsAndGroups) {
  // layer1's first block: 1×1 to the width, grouped 3×3, projection shortcut, 1×1 to 4·64.
  struct expectation {
    const char* model;
    std::int64_t width, groups;
  };
  for (const auto& [model, width, groups] :
       {expectation{"resnet50", 64, 1}, {"resnext50_32x4d", 128, 32}, {"resnext101_32x8d", 256, 32},
        {"resnext101_64x4d", 256, 64}}) {
    const auto engine = build(model);
    const auto convs = layers_of_type(engine, "CaskConvolution");
    ASSERT_GT(convs.size(), 5u);
    EXPECT_EQ(*convs[1]->out_maps, width) << model;
    EXPECT_EQ(*convs[2]->groups, groups) << model;
    EXPECT_EQ(*convs[2]->kernel, (std::vector<std::int64_t>{3, 3})) << model;
    EXPECT_EQ(*convs[3]->out_maps, 256) << model << ": the projection shortcut";
    EXPECT_EQ(*convs[4]->out_maps, 256) << model;
    EXPECT_EQ(convs[4]->inputs.size(), 2u) << model;
    // Stage 4 ends with 2048 channels at 7×7, pooled to 1×1 for the 2048 → 1000 classifier.
    EXPECT_EQ(convs.back()->outputs[0].dimensions, (std::vector<std::int64_t>{1, 2048, 7, 7})) << model;
  }
}

TEST(Resnet, StridesSitOnTheThreeByThreeConvolutions) {
  // torchvision v1.5: the first block of stages 2–4 downsamples in conv2 (3×3), not conv1 (1×1).
  const auto engine = build("resnet50");
  const auto convs = layers_of_type(engine, "CaskConvolution");
  for (const auto* l : convs)
    if (l->stride->front() == 2) {
      EXPECT_TRUE(*l->kernel != std::vector<std::int64_t>({1, 1}) || l->name.find("downsample") != std::string::npos)
          << l->name;
    }
}

}  // namespace resnet_test
}  // namespace layerwatt::zoo
