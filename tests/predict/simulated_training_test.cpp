// Models trained on the simulator's true layer costs (the zoo's 20 networks, FP16, on the
// default device), then asked about the reference's 8 real engines, whose true cost the same
// simulator gives. The engines differ from the training networks (desktop engines built through
// ONNX, Myelin kernels, other fusions): the prediction a user makes of a network not trained on.
// FP16 engines: totals positive and within a factor of two of the truth. FP32 engines (the three
// ONNX-built ones): no model saw an FP32 layer, so every layer must say its prediction is an
// extrapolation in "precision".
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <vector>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/dataset/training_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/model/train_presets.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "layerwatt/sim/device_model.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;

namespace simulated_training_test {

/// Every modelled layer of `engine` with its true mean power (µW above idle) and runtime (ms).
void write_true_rows(const lw::io::engine_info& engine, const fs::path& dir, const lw::sim::device_profile& device) {
  std::array<std::vector<lw::dataset::training_record>, lw::all_layer_kinds.size()> records;
  const auto classified = lw::dataset::classify_layers(engine);  // the records point into it
  for (const auto& c : classified) {
    const auto kind = c.modelled();
    if (!kind) continue;
    const auto truth = lw::sim::expected_layer(*c.layer, device);
    records[static_cast<std::size_t>(*kind)].push_back({&c.features_layer(), truth.dynamic_power_uw, truth.runtime_us / 1000});
  }
  for (const auto kind : lw::all_layer_kinds)
    if (const auto& rows = records[static_cast<std::size_t>(kind)]; !rows.empty())
      lw::dataset::write_training_csv(lw::dataset::training_csv_path(dir, kind), kind, rows);
}

double true_runtime_s(const lw::io::engine_info& engine, const lw::sim::device_profile& device) {
  double us = 0;
  for (const auto& l : engine.layers) us += lw::sim::expected_layer(l, device).runtime_us;
  return us / 1e6;
}

TEST(SimulatedTraining, RealEnginesGetTotalsWithinAFactorOfTwoOrSayTheyExtrapolate) {
  LAYERWATT_REQUIRE_SHARED();
  const lw::testing::temp_dir dir;
  const lw::sim::device_profile device;
  std::vector<lw::io::engine_info> engines;  // kept alive: the classified layers point into them
  for (const auto& model : lw::zoo::reference_models()) {
    engines.push_back(lw::zoo::build(model));
    write_true_rows(engines.back(), dir / "training" / std::string(model.name), device);
  }
  lw::model::training_config config;
  config.folds = 5;
  for (const auto name : lw::presets::preset_names) config.presets[std::string(name)].n_alphas = 30;
  const auto outcome = lw::model::train_presets(lw::dataset::scan_training_dir(dir / "training"), config,
                                                [](const lw::model::fit_started&) {}, [](std::string_view) {});
  EXPECT_EQ(outcome.fits.size(), 8u);
  lw::model::save_models(outcome, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");

  std::size_t fp16 = 0, fp32 = 0;
  for (const auto& entry : fs::recursive_directory_iterator(lw::testing::reference_data("engine_info"))) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const auto engine = lw::io::read_engine_info(entry.path());
    const auto p = lw::predict::predict_network(models, engine);
    EXPECT_TRUE(p.not_modelled.empty());
    EXPECT_GT(p.totals.runtime_s, 0);
    EXPECT_GT(p.totals.energy_j.value(), 0);
    if (entry.path().filename().string().ends_with("_onnx_trt.json")) {
      ++fp32;
      for (const auto& l : p.layers) {
        if (l.kind != lw::layer_kind::memory_bound) {  // the network input's reformat reads FP16
          EXPECT_NE(std::find(l.extrapolated.begin(), l.extrapolated.end(), "precision"), l.extrapolated.end())
              << l.layer_name;
        }
      }
      continue;
    }
    ++fp16;
    const double truth = true_runtime_s(engine, device);
    EXPECT_GT(p.totals.runtime_s, truth / 2) << "truth " << truth << " s";
    EXPECT_LT(p.totals.runtime_s, truth * 2) << "truth " << truth << " s";
  }
  EXPECT_EQ(fp16, 5u);
  EXPECT_EQ(fp32, 3u);
}

}  // namespace simulated_training_test
