#include "layerwatt/model/preset_shape.hpp"

#include <gtest/gtest.h>

#include "layerwatt/model/pipeline_file.hpp"
#include "model/layer_data.hpp"
#include "support/temp_dir.hpp"

namespace preset_shape_test {

namespace presets = layerwatt::presets;
namespace tf = layerwatt::transform;

std::string chosen(const presets::preset_shape& shape) {
  return presets::with_shape<presets::dense_runtime_pipeline>(
      shape, []<typename P>(std::type_identity<P>) { return P::name(); });
}

TEST(PresetShape, PicksThePipelineTypeOfADegreeAndScaler) {
  EXPECT_EQ(chosen({3, "standard"}), "dense_runtime");
  EXPECT_EQ(chosen({2, "robust"}), "dense_runtime<degree=2, scaler=robust_scaler>");
  EXPECT_EQ(chosen({4, "minmax"}), "dense_runtime<degree=4, scaler=min_max_scaler>");
  const bool is_that_type =
      presets::with_shape<presets::dense_runtime_pipeline>({1, "minmax"}, []<typename P>(std::type_identity<P>) {
        return std::is_same_v<P, presets::dense_runtime_pipeline<1, tf::min_max_scaler>> && P::width == 4;
      });
  EXPECT_TRUE(is_that_type);
}

TEST(PresetShape, RefusesWhatIsNotSupported) {
  EXPECT_ERROR_MENTIONS(chosen({0, "standard"}), "degree 0", "1 to 4");
  EXPECT_ERROR_MENTIONS(chosen({5, "standard"}), "degree 5");
  EXPECT_ERROR_MENTIONS(chosen({3, "Standard"}), "scaler \"Standard\"", "\"minmax\"");
}

TEST(PresetShape, FitsSavesAndLoadsTheChosenType) {
  // (One type fitted here: a lambda fitting in with_shape would compile all twelve.)
  using chosen_type = presets::dense_power_pipeline<2, tf::robust_scaler>;
  EXPECT_TRUE(presets::with_shape<presets::dense_power_pipeline>(
      {2, "robust"}, []<typename P>(std::type_identity<P>) { return std::is_same_v<P, chosen_type>; }));
  layerwatt::testing::temp_dir dir;
  const auto data = layerwatt::testing::read_layers<layerwatt::features::dense>("dense.csv", "power");
  chosen_type p({.n_alphas = 20});
  p.fit(data.x, data.y);
  layerwatt::model::save_pipeline(p, dir / "model.json");
  EXPECT_EQ(layerwatt::model::load_pipeline<chosen_type>(dir / "model.json").predict(data.x), p.predict(data.x));
  EXPECT_ERROR_MENTIONS(layerwatt::model::load_pipeline<presets::dense_power>(dir / "model.json"),
                        "got \"dense_power<degree=2, scaler=robust_scaler>\"");
}

}  // namespace preset_shape_test
