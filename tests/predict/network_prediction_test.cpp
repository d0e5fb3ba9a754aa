#include "layerwatt/predict/network_prediction.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/predictions_csv.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"
#include "support/shared_data.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::temp_dir;

namespace {

// Fitted once for the suite: every test predicts with the same models.
const lw::predict::model_set& models() {
  static const temp_dir dir;
  static const lw::predict::model_set set = [] {
    lw::testing::write_model_dir(dir / "models");
    return lw::predict::load_model_set(dir / "models");
  }();
  return set;
}

TEST(NetworkPrediction, EveryModelledLayerOfARealEngineAndTheRestCounted) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  const auto p = lw::predict::predict_network(models(), engine);
  ASSERT_EQ(p.layers.size(), 23u);  // 20 convolutions, a max and an average pooling, the classifier
  EXPECT_EQ(p.not_modelled, (std::map<std::string, std::size_t>{{"NoOp", 2}, {"Reformat", 1}}));
  EXPECT_EQ(p.not_modelled_count() + p.layers.size(), engine.layers.size());
  EXPECT_EQ(p.layers[1].layer_type, "CaskPooling");
  EXPECT_EQ(p.layers[1].kind, lw::layer_kind::pooling);
  EXPECT_EQ(p.layers.back().kind, lw::layer_kind::dense);

  // Each layer's values are its preset's prediction on its feature row.
  const auto& first = engine.layers[1];
  ASSERT_EQ(first.name, p.layers[0].layer_name);
  const auto row = lw::features::features_of<lw::features::convolutional>(first);
  EXPECT_EQ(p.layers[0].power_w, models().convolutional->power.predict(row));
  EXPECT_EQ(p.layers[0].runtime_ms, models().convolutional->runtime.predict(row));

  double runtime_s = 0, energy_j = 0;
  for (const auto& l : p.layers) {
    runtime_s += l.runtime_ms / 1000;
    energy_j += l.power_w * l.runtime_ms / 1000;
  }
  EXPECT_DOUBLE_EQ(p.totals.runtime_s, runtime_s);
  EXPECT_DOUBLE_EQ(p.totals.energy_j, energy_j);
  // (models fitted on 240 rows extrapolate to a real engine: the sum may even come out negative)
  EXPECT_DOUBLE_EQ(p.totals.average_power_w, runtime_s > 0 ? energy_j / runtime_s : 0.0);
}

TEST(NetworkPrediction, KindsWithoutModelsAreCountedNotPredicted) {
  LAYERWATT_REQUIRE_SHARED();
  lw::predict::model_set partial = models();
  partial.pooling.reset();
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const auto p = lw::predict::predict_network(partial, engine);
  EXPECT_EQ(p.not_modelled.at("CaskPooling"), 5u);
  for (const auto& l : p.layers) EXPECT_NE(l.kind, lw::layer_kind::pooling);
}

TEST(NetworkPrediction, EveryEngineFileOfTheReferencePredicts) {
  LAYERWATT_REQUIRE_SHARED();
  for (const auto& entry : fs::recursive_directory_iterator(lw::testing::reference_data("engine_info"))) {
    if (entry.path().extension() != ".json") continue;
    const auto p = lw::predict::predict_network(models(), lw::io::read_engine_info(entry.path()));
    EXPECT_FALSE(p.layers.empty()) << entry.path();
    EXPECT_TRUE(std::isfinite(p.totals.runtime_s) && std::isfinite(p.totals.energy_j)) << entry.path();
  }
}

TEST(PredictionsCsv, TheReferenceColumnsAndNumbersThatReadBackExactly) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  const auto p = lw::predict::predict_network(models(), engine);
  lw::predict::write_predictions_csv(dir / "out.csv", p);
  const auto csv = lw::io::read_csv_table(dir / "out.csv");
  EXPECT_EQ(csv.header, (std::vector<std::string>{"layer_name", "layer_type", "power_prediction", "runtime_prediction"}));
  ASSERT_EQ(csv.rows.size(), p.layers.size());
  const auto power = csv.numbers("power_prediction"), runtime = csv.numbers("runtime_prediction");
  const auto names = csv.texts("layer_name");
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    EXPECT_EQ(power[i], p.layers[i].power_w);
    EXPECT_EQ(runtime[i], p.layers[i].runtime_ms);
    EXPECT_EQ(names[i], p.layers[i].layer_name);  // fused names hold commas and quotes: quoted as needed
  }
}

}  // namespace
