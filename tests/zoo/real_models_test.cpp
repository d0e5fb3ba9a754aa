// The zoo's networks against the iCAS-Lab Jetson Nano data set's nine real networks
// (realdata/icas_jetson_nano_nas/data/real_data/real_models.csv in the shared folder, other
// people's data: read, never copied). Its `Total Parameters` and `Total MACs` are torchinfo's
// (PROVENANCE.md); the zoo counts its own definitions the same way (model_size.hpp). The test
// prints the comparison docs/zoo.md shows (test_zoo --gtest_filter='RealModels.*').

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include <fmt/format.h>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::zoo {
namespace real_models_test {

/// The data set's model names and the zoo's: torchvision's and timm's names of the definitions
/// its counts match (EfficientNet_v1 is B4, EfficientNet_v2 is V2-M).
const std::map<std::string, std::string, std::less<>>& zoo_names() {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"VGG16", "vgg16"},
      {"VGG19", "vgg19"},
      {"Shufflenet_v2", "shufflenet_v2_x1_0"},
      {"UNet", "unet"},
      {"ResNet50", "resnet50"},
      {"MobileNetV2", "mobilenet_v2"},
      {"Xception", "xception"},
      {"EfficientNet_v1", "efficientnet_b4"},
      {"EfficientNet_v2", "efficientnet_v2_m"},
  };
  return names;
}

TEST(RealModels, ParametersAndMacsEqualTheDataSetsForAllNine) {
  LAYERWATT_REQUIRE_SHARED();
  const auto table = io::read_csv_table(testing::real_data("icas_jetson_nano_nas/data/real_data/real_models.csv"));
  const auto names = table.texts("Model Name");
  const auto parameters = table.numbers("Total Parameters");
  const auto macs = table.numbers("Total MACs");
  const auto input = table.numbers("Input Size");
  std::set<std::string> seen;
  // The table docs/zoo.md shows: the zoo's counts beside the data set's.
  fmt::print("| network (data set's name) | input | parameters: zoo | data set | MACs: zoo | data set |\n"
             "| --- | --- | ---: | ---: | ---: | ---: |\n");
  for (std::size_t r = 0; r < names.size(); ++r) {
    SCOPED_TRACE(names[r]);
    const auto zoo = zoo_names().find(names[r]);
    ASSERT_NE(zoo, zoo_names().end()) << "a network of the data set the zoo does not name";
    seen.insert(names[r]);
    const auto side = static_cast<std::int64_t>(input[r]);
    const model_size size = size_of(zoo->second, {.input = input_shape{3, side, side}});
    const auto expected_parameters = static_cast<std::int64_t>(parameters[r]);
    const auto expected_macs = static_cast<std::int64_t>(macs[r]);
    fmt::print("| `{}` ({}) | 1×3×{}×{} | {} | {} | {} | {} |\n", zoo->second, names[r], side, side, size.parameters,
               expected_parameters, size.macs, expected_macs);
    EXPECT_EQ(size.parameters, expected_parameters);
    EXPECT_EQ(size.macs, expected_macs);
  }
  EXPECT_EQ(seen.size(), zoo_names().size());
}

}  // namespace real_models_test
}  // namespace layerwatt::zoo
