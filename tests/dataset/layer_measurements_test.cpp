#include "layerwatt/dataset/layer_measurements.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace ds = layerwatt::dataset;

namespace layer_measurements_test {

TEST(LayerMeasurements, KeepsModelledLayersValuesInRowOrderAndCountsTheRest) {
  ds::layer_measurements m;
  for (int cycle = 0; cycle < 3; ++cycle) {
    m.add("reformat", "Reformat", 1.0, 0.01);
    m.add("conv", "CaskConvolution", cycle == 1 ? std::nullopt : std::optional<double>(cycle), 0.1 * cycle);
    m.add("b-pool", "CaskPooling", 5.0, 0.02);
    m.add("mystery", "Unknown", std::nullopt, 0.03);
  }
  m.add("late fc", "CaskGemmConvolution", 7.0, 0.5);
  const auto layers = m.modelled_by_name();
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0]->name, "b-pool");
  EXPECT_EQ(layers[1]->name, "conv");
  EXPECT_EQ(layers[2]->name, "late fc");
  EXPECT_EQ(layers[1]->power_uw.size(), 3u);
  EXPECT_EQ(layers[1]->power_uw[0], 0.0);
  EXPECT_TRUE(std::isnan(layers[1]->power_uw[1]));
  EXPECT_EQ(layers[1]->run_time_ms[2], 0.2);
  const auto types = m.layers_per_type();
  EXPECT_EQ(types.at("Reformat"), 1u);
  EXPECT_EQ(types.at("Unknown"), 1u);
  EXPECT_EQ(types.at("CaskConvolution"), 1u);
  EXPECT_EQ(m.layers().size(), 5u);
}

TEST(LayerMeasurements, MinimumRuleCountsPresentPowersAndRuntimes) {
  ds::layer_measurements m;
  for (int cycle = 0; cycle < 4; ++cycle) {
    m.add("full", "CaskConvolution", 1.0, 0.1);
    m.add("sparse", "CaskPooling", cycle < 2 ? std::optional<double>(1.0) : std::nullopt, 0.1);
    m.add("ignored", "NoOp", std::nullopt, 0.1);
  }
  EXPECT_TRUE(m.below(2).empty());
  const auto below = m.below(3);
  ASSERT_EQ(below.size(), 1u);
  EXPECT_EQ(below[0].layer_name, "sparse");
  EXPECT_EQ(below[0].power_count, 2u);
  EXPECT_EQ(below[0].run_time_count, 4u);
  EXPECT_EQ(m.below(5).size(), 2u);
}

}  // namespace layer_measurements_test
