#include "layerwatt/zoo/lenet.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"

namespace layerwatt::zoo {
namespace lenet_test {

TEST(Lenet, ShapesOfTheReferenceDefinition) {
  // 1×32×32 → conv3 128 → 30 → pool 15 → conv3 16 → 13 → pool 6 → 576 → 120 → 84 → 10.
  const auto engine = build("lenet");
  const auto layers = testing::modelled_layers(engine);
  ASSERT_EQ(layers.size(), 7u);
  using dims = std::vector<std::int64_t>;
  EXPECT_EQ(layers[0].inputs[0], (dims{1, 1, 32, 32}));
  EXPECT_EQ(layers[0].outputs[0], (dims{1, 128, 30, 30}));
  EXPECT_EQ(layers[1].outputs[0], (dims{1, 128, 15, 15}));
  EXPECT_EQ(layers[2].outputs[0], (dims{1, 16, 13, 13}));
  EXPECT_EQ(layers[3].outputs[0], (dims{1, 16, 6, 6}));
  EXPECT_EQ(layers[4].inputs[0], (dims{1, 576, 1, 1}));
  EXPECT_EQ(layers[4].outputs[0], (dims{1, 120, 1, 1}));
  EXPECT_EQ(layers[5].outputs[0], (dims{1, 84, 1, 1}));
  EXPECT_EQ(layers[6].outputs[0], (dims{1, 10, 1, 1}));
  EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (dims{1, 10}));
}

}  // namespace lenet_test
}  // namespace layerwatt::zoo
