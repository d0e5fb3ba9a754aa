#include "layerwatt/zoo/vgg.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::zoo {
namespace vgg_test {

using testing::layers_of_type;
using testing::modelled_layers;

TEST(Vgg, Vgg16MatchesTheJetsonEngineLayerByLayer) {
  LAYERWATT_REQUIRE_SHARED();
  const auto real = io::read_engine_info(testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const auto ours = build("vgg16");
  const auto expected = modelled_layers(real), actual = modelled_layers(ours);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << "modelled layer " << i;
}

TEST(Vgg, DepthsCountTheirConvolutions) {
  for (const auto& [depth, convs] : {std::pair{11, 8}, {13, 10}, {16, 13}, {19, 16}}) {
    const auto engine = build(fmt::format("vgg{}", depth));
    EXPECT_EQ(layers_of_type(engine, "CaskConvolution").size(), static_cast<std::size_t>(convs)) << depth;
    EXPECT_EQ(layers_of_type(engine, "CaskPooling").size(), 5u) << depth;
    EXPECT_EQ(layers_of_type(engine, "CaskGemmConvolution").size(), 3u) << depth;
  }
  EXPECT_ERROR_MENTIONS(vgg_configuration(12), "vgg12", "11, 13, 16 or 19");
}

TEST(Vgg, AdaptivePoolingAppearsWhenTheFeaturesAreNotSevenBySeven) {
  // 256×256 gives 8×8 features: TensorRT needs a 2×2 average pool of stride 1 to reach 7×7.
  const auto engine = build("vgg16", {.input = input_shape{3, 256, 256}});
  const auto pools = layers_of_type(engine, "CaskPooling");
  ASSERT_EQ(pools.size(), 6u);
  EXPECT_EQ(*pools.back()->pooling_type, "AVERAGE");
  EXPECT_EQ(*pools.back()->window_size, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(*pools.back()->stride, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(pools.back()->outputs[0].dimensions, (std::vector<std::int64_t>{1, 512, 7, 7}));
  // An input too small for five 2×2 pools is refused with the layer that cannot fit.
  EXPECT_ERROR_MENTIONS(build("vgg16", {.input = input_shape{3, 16, 16}}), "vgg16", "/features/30",
                        "too small");
}

}  // namespace vgg_test
}  // namespace layerwatt::zoo
