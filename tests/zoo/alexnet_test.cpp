#include "layerwatt/zoo/alexnet.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::zoo {
namespace alexnet_test {

TEST(Alexnet, MatchesTheDesktopTorchTensorRtEngine) {
  LAYERWATT_REQUIRE_SHARED();
  // The same Torch-TensorRT path as the Jetson engines: 6×6 features skip the adaptive pool.
  const auto real = io::read_engine_info(testing::reference_data("engine_info/desktop/alexnet_torch_trt.json"));
  EXPECT_EQ(testing::modelled_layers(build("alexnet")), testing::modelled_layers(real));
}

TEST(Alexnet, FlattensTheFeaturesForTheFirstLinearLayer) {
  const auto engine = build("alexnet", {.batch = 4});
  const auto gemms = testing::layers_of_type(engine, "CaskGemmConvolution");
  ASSERT_EQ(gemms.size(), 3u);
  EXPECT_EQ(gemms[0]->inputs[0].dimensions, (std::vector<std::int64_t>{4, 9216, 1, 1}));
  EXPECT_EQ(*gemms[0]->kernel, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(gemms[2]->outputs[0].dimensions, (std::vector<std::int64_t>{4, 1000, 1, 1}));
}

}  // namespace alexnet_test
}  // namespace layerwatt::zoo
