#include "layerwatt/predict/network_prediction.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/predict/predictions_csv.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::temp_dir;

namespace network_prediction_test {

// Fitted once for the suite: every test predicts with the same models (of the reference's three
// kinds: tests/data/models has no memory-bound rows).
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
  EXPECT_EQ(p.no_op_layers, 2u);
  EXPECT_EQ(p.not_modelled, (std::map<std::string, std::size_t>{{"Reformat", 1}}));  // memory-bound, no model
  EXPECT_EQ(p.not_modelled_count() + p.no_op_layers + p.layers.size(), engine.layers.size());
  EXPECT_EQ(p.layers[1].layer_type, "CaskPooling");
  EXPECT_EQ(p.layers[1].kind, lw::layer_kind::pooling);
  EXPECT_EQ(p.layers.back().kind, lw::layer_kind::dense);

  // Each layer's values are its preset's prediction on its feature row, clamped at 0.
  const auto& first = engine.layers[1];
  ASSERT_EQ(first.name, p.layers[0].layer_name);
  const auto& conv = models().of(lw::layer_kind::convolutional);
  EXPECT_EQ(p.layers[0].power_w, std::max(0.0, conv.power->predict(first)));
  EXPECT_EQ(p.layers[0].runtime_ms, std::max(0.0, conv.runtime->predict(first)));

  double runtime_s = 0, energy_j = 0;
  std::size_t clamped = 0;
  for (const auto& l : p.layers) {
    ASSERT_TRUE(l.power_w && l.runtime_ms);
    EXPECT_GE(*l.power_w, 0);
    EXPECT_GE(*l.runtime_ms, 0);
    clamped += l.clamped;
    runtime_s += *l.runtime_ms / 1000;
    energy_j += *l.power_w * *l.runtime_ms / 1000;
  }
  EXPECT_EQ(p.clamped_count(), clamped);
  EXPECT_DOUBLE_EQ(p.totals.runtime_s, runtime_s);
  EXPECT_DOUBLE_EQ(p.totals.energy_j.value(), energy_j);
  EXPECT_GT(p.totals.runtime_s, 0);
  EXPECT_FALSE(p.totals.runtime_complete || p.totals.energy_complete);  // the Reformat adds nothing
  EXPECT_DOUBLE_EQ(p.totals.average_power_w.value(), energy_j / runtime_s);
  // What each kind contributes adds up to the totals.
  double kinds_runtime = 0;
  std::size_t kinds_layers = 0;
  for (const auto& k : p.per_kind) kinds_runtime += k.runtime_s, kinds_layers += k.layers;
  EXPECT_DOUBLE_EQ(kinds_runtime, p.totals.runtime_s);
  EXPECT_EQ(kinds_layers, p.layers.size());
  EXPECT_EQ(p.per_kind[static_cast<std::size_t>(lw::layer_kind::convolutional)].layers, 20u);
}

TEST(NetworkPrediction, KindsWithoutModelsAreCountedNotPredicted) {
  LAYERWATT_REQUIRE_SHARED();
  lw::predict::model_set partial = models();
  partial.of(lw::layer_kind::pooling) = {};
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const auto p = lw::predict::predict_network(partial, engine);
  EXPECT_EQ(p.not_modelled.at("CaskPooling"), 5u);
  for (const auto& l : p.layers) EXPECT_NE(l.kind, lw::layer_kind::pooling);
  // Every modelled layer has its values, but the totals leave the pools out, and say so.
  EXPECT_FALSE(p.totals.runtime_complete);
  EXPECT_FALSE(p.totals.energy_complete);
}

// A kind with a runtime model only (trained on runtime-only rows) predicts runtimes, no power;
// the energy total then says it is incomplete.
TEST(NetworkPrediction, ARuntimeOnlyKindLeavesTheEnergyIncomplete) {
  LAYERWATT_REQUIRE_SHARED();
  lw::predict::model_set partial = models();
  partial.of(lw::layer_kind::dense).power.reset();
  auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  // Without its unmodelled layers (a Reformat), only the missing power leaves a total incomplete.
  const auto unmodelled = lw::predict::predict_network(partial, engine).not_modelled;
  ASSERT_FALSE(unmodelled.empty());
  std::erase_if(engine.layers, [&](const auto& l) { return unmodelled.contains(l.layer_type); });
  const auto p = lw::predict::predict_network(partial, engine);
  ASSERT_TRUE(p.not_modelled.empty());
  const auto& fc = p.layers.back();
  ASSERT_EQ(fc.kind, lw::layer_kind::dense);
  EXPECT_FALSE(fc.power_w);
  EXPECT_TRUE(fc.runtime_ms);
  EXPECT_TRUE(p.totals.runtime_complete);
  EXPECT_FALSE(p.totals.energy_complete);
  EXPECT_FALSE(p.per_kind[static_cast<std::size_t>(lw::layer_kind::dense)].energy_j);  // unknown, not 0
  EXPECT_GT(p.per_kind[static_cast<std::size_t>(lw::layer_kind::convolutional)].energy_j.value(), 0);
  EXPECT_GT(p.totals.energy_j.value(), 0);
}

// Without a power or energy model of any layer, the energy and average power are unknown, not 0.
TEST(NetworkPrediction, NoEnergyModelPredictsNoEnergy) {
  LAYERWATT_REQUIRE_SHARED();
  lw::predict::model_set runtime_only = models();
  for (const auto kind : lw::all_layer_kinds) runtime_only.of(kind).power.reset();
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const auto p = lw::predict::predict_network(runtime_only, engine);
  EXPECT_GT(p.totals.runtime_s, 0);
  EXPECT_FALSE(p.totals.energy_j);
  EXPECT_FALSE(p.totals.average_power_w);
  EXPECT_FALSE(p.totals.energy_complete);
  for (const auto& k : p.per_kind) EXPECT_FALSE(k.energy_j);
}

// The fixture models were fitted on 240 small rows: on the real engines many layers lie outside
// that range and some predict below zero. Nothing negative reaches a total, and every such
// layer is marked.
TEST(NetworkPrediction, EveryEngineFileOfTheReferencePredictsPositiveTotals) {
  LAYERWATT_REQUIRE_SHARED();
  std::size_t engines = 0;
  for (const auto& entry : fs::recursive_directory_iterator(lw::testing::reference_data("engine_info"))) {
    if (entry.path().extension() != ".json") continue;
    ++engines;
    const auto p = lw::predict::predict_network(models(), lw::io::read_engine_info(entry.path()));
    EXPECT_FALSE(p.layers.empty()) << entry.path();
    EXPECT_GT(p.totals.runtime_s, 0) << entry.path();
    ASSERT_TRUE(p.totals.energy_j) << entry.path();
    EXPECT_GT(*p.totals.energy_j, 0) << entry.path();
    for (const auto& l : p.layers) EXPECT_TRUE(*l.runtime_ms >= 0 && *l.power_w >= 0) << l.layer_name;
  }
  EXPECT_EQ(engines, 8u);
}

TEST(NetworkPrediction, LayersOutsideTheTrainingRangeAreMarkedWithTheirFeatures) {
  LAYERWATT_REQUIRE_SHARED();
  auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  const auto inside = lw::predict::predict_network(models(), engine);
  const auto& classifier = inside.layers.back();
  ASSERT_EQ(classifier.kind, lw::layer_kind::dense);
  EXPECT_EQ(std::find(classifier.extrapolated.begin(), classifier.extrapolated.end(), "batch_size"),
            classifier.extrapolated.end());
  for (auto& l : engine.layers)
    if (l.name == classifier.layer_name) {
      for (auto& t : l.inputs) t.dimensions[0] = 100'000;  // a batch no training row had
      for (auto& t : l.outputs) t.dimensions[0] = 100'000;
    }
  const auto p = lw::predict::predict_network(models(), engine);
  const auto& last = p.layers.back();
  ASSERT_EQ(last.layer_name, classifier.layer_name);
  EXPECT_NE(std::find(last.extrapolated.begin(), last.extrapolated.end(), "batch_size"), last.extrapolated.end());
  EXPECT_EQ(p.extrapolated_count(), inside.extrapolated_count() + (classifier.extrapolated.empty() ? 1 : 0));
}

// A layer of a precision none of its model's training layers had is an extrapolation, named
// "precision"; one whose engine does not say its precision cannot be told apart, and is not.
TEST(NetworkPrediction, ALayerOfAnotherPrecisionIsMarkedOneOfUnknownPrecisionIsNot) {
  LAYERWATT_REQUIRE_SHARED();
  auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  auto set = models();
  for (auto& kind : set.kinds)
    for (auto* m : {&kind.power, &kind.runtime})
      if (*m) (*m)->set_training_precisions({"int8"});
  const auto in_precision = [](const lw::predict::layer_prediction& l) {
    return std::find(l.extrapolated.begin(), l.extrapolated.end(), "precision") != l.extrapolated.end();
  };
  const auto other = lw::predict::predict_network(set, engine);
  ASSERT_FALSE(other.layers.empty());
  for (const auto& l : other.layers) EXPECT_TRUE(in_precision(l)) << l.layer_name;
  for (auto& l : engine.layers)
    for (auto& t : l.inputs) t.format.clear();  // no "Format/Datatype": precision unknown
  for (const auto& l : lw::predict::predict_network(set, engine).layers) EXPECT_FALSE(in_precision(l)) << l.layer_name;
}

// A network-level layer's energy counts as predicted, even where its runtime is 0 (its power,
// energy ÷ runtime, is then 0); the per-inference constant's runtime counts toward the average
// power only with its energy.
TEST(NetworkPrediction, NetworkLevelEnergyIsSummedAsPredicted) {
  lw::predict::network_prediction p;
  auto& a = p.layers.emplace_back();
  a.runtime_ms = 2.0;
  a.energy_mj = 10.0;
  a.power_w = 5.0;
  auto& b = p.layers.emplace_back();
  b.runtime_ms = 0.0;
  b.energy_mj = 1.0;
  b.power_w = 0.0;
  lw::predict::add_totals(p, lw::train::network_constants{1.0, std::nullopt, std::nullopt});
  EXPECT_FALSE(p.totals.overhead_energy_j);
  EXPECT_DOUBLE_EQ(p.totals.energy_j.value(), 0.011);
  EXPECT_DOUBLE_EQ(p.totals.runtime_s, 0.003);
  EXPECT_DOUBLE_EQ(p.totals.average_power_w.value(), 0.011 / 0.002);
  EXPECT_FALSE(p.totals.energy_complete);  // the constant's energy is unknown
  lw::predict::add_totals(p, lw::train::network_constants{1.0, 4.0, "total"});
  EXPECT_DOUBLE_EQ(p.totals.energy_j.value(), 0.015);
  EXPECT_DOUBLE_EQ(p.totals.average_power_w.value(), 0.015 / 0.003);
  EXPECT_TRUE(p.totals.energy_complete);
  // The static power's share of the constant: 2 W over its 1 ms (the layers' is in their energy).
  lw::predict::add_totals(p, lw::train::network_constants{1.0, 4.0, "total", 2.0});
  EXPECT_DOUBLE_EQ(p.totals.overhead_energy_j.value(), 0.006);
  EXPECT_DOUBLE_EQ(p.totals.energy_j.value(), 0.017);
}

// An energy nothing predicts is none — the network's, its average power and each kind's — and
// the energy is not complete; an energy over no runtime has no average power.
TEST(NetworkPrediction, AnEnergyNothingPredictsIsNoneNotZero) {
  lw::predict::network_prediction p;
  auto& conv = p.layers.emplace_back();
  conv.kind = lw::layer_kind::convolutional;
  conv.runtime_ms = 2.0;
  lw::predict::add_totals(p);
  EXPECT_DOUBLE_EQ(p.totals.runtime_s, 0.002);
  EXPECT_FALSE(p.totals.energy_j);
  EXPECT_FALSE(p.totals.average_power_w);
  EXPECT_FALSE(p.totals.energy_complete);
  for (const auto& k : p.per_kind) EXPECT_FALSE(k.energy_j);

  lw::predict::network_prediction none;
  lw::predict::add_totals(none);
  EXPECT_FALSE(none.totals.energy_j);
  EXPECT_FALSE(none.totals.energy_complete);

  conv.runtime_ms = 0.0;
  conv.energy_mj = 1.0;
  auto& fc = p.layers.emplace_back();
  fc.kind = lw::layer_kind::dense;
  fc.runtime_ms = 0.0;
  lw::predict::add_totals(p);
  EXPECT_DOUBLE_EQ(p.totals.energy_j.value(), 0.001);
  EXPECT_FALSE(p.totals.average_power_w);
  EXPECT_DOUBLE_EQ(p.per_kind[static_cast<std::size_t>(lw::layer_kind::convolutional)].energy_j.value(), 0.001);
  EXPECT_FALSE(p.per_kind[static_cast<std::size_t>(lw::layer_kind::dense)].energy_j);
  EXPECT_FALSE(p.totals.energy_complete);
}

TEST(PredictionsCsv, TheReferenceColumnsThenKindAndFlags) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto engine = lw::io::read_engine_info(lw::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  const auto p = lw::predict::predict_network(models(), engine);
  lw::predict::write_predictions_csv(dir / "out.csv", p);
  const auto csv = lw::io::read_csv_table(dir / "out.csv");
  EXPECT_EQ(csv.header, (std::vector<std::string>{"layer_name", "layer_type", "power_prediction", "runtime_prediction",
                                                  "kind", "clamped", "extrapolated", "power_above_measured"}));
  ASSERT_EQ(csv.rows.size(), p.layers.size());
  const auto power = csv.numbers("power_prediction"), runtime = csv.numbers("runtime_prediction");
  const auto names = csv.texts("layer_name"), kinds = csv.texts("kind"), clamped = csv.texts("clamped"),
             above = csv.texts("power_above_measured");
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    EXPECT_EQ(power[i], p.layers[i].power_w);
    EXPECT_EQ(runtime[i], p.layers[i].runtime_ms);
    EXPECT_EQ(names[i], p.layers[i].layer_name);  // fused names hold commas and quotes: quoted as needed
    EXPECT_EQ(kinds[i], to_string(p.layers[i].kind));
    EXPECT_EQ(clamped[i], p.layers[i].clamped ? "1" : "0");
    EXPECT_EQ(above[i], "");  // per-layer models: nothing bounds a power they predict, not derive
  }
}

}  // namespace network_prediction_test
