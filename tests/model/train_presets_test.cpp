#include "layerwatt/model/train_presets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "layerwatt/model/training_metrics.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"

namespace lw = layerwatt;
namespace model = layerwatt::model;
using lw::layer_kind;
using lw::target;
using lw::testing::temp_dir;

namespace train_presets_test {

model::training_outcome train(const std::filesystem::path& dir, const model::training_config& config,
                              std::vector<model::fit_started>* started = nullptr) {
  return model::train_presets(lw::dataset::scan_training_dir(dir), config, [&](const model::fit_started& s) {
    if (started) started->push_back(s);
  });
}

bool finite(const model::regression_metrics& m) {
  return std::isfinite(m.rmspe) && std::isfinite(m.rmse) && std::isfinite(m.mse) && std::isfinite(m.r2) &&
         std::isfinite(m.mae) && std::isfinite(m.mape);
}

TEST(TrainPresets, FitsEachKindsModelsOnTheTrainingModelsAndTestsOnTheHeldOut) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  std::vector<model::fit_started> started;
  const auto outcome = train(dir / "td", lw::testing::quick_config(), &started);
  ASSERT_EQ(outcome.fits.size(), 6u);
  ASSERT_EQ(started.size(), 6u);
  EXPECT_EQ(started[5].index, 5u);
  EXPECT_EQ(started[5].total, 6u);
  // tests/data/models has no memory-bound rows.
  ASSERT_EQ(outcome.skipped.size(), 2u);
  EXPECT_EQ(outcome.skipped[0].kind, layer_kind::memory_bound);
  EXPECT_EQ(outcome.skipped[1].what, target::runtime);
  EXPECT_EQ(outcome.skipped[1].reason, "no rows in any model");
  EXPECT_TRUE(outcome.missing_test_models.empty());
  const std::size_t rows[] = {240, 160, 120};  // tests/data/models, a quarter held out (m0)
  for (std::size_t i = 0; i < 6; ++i) {
    const auto& f = outcome.fits[i];
    EXPECT_EQ(f.kind, lw::all_layer_kinds[i / 2]);
    EXPECT_EQ(f.what, lw::all_targets[i % 2]);
    EXPECT_EQ(f.pipeline, lw::presets::preset_names[i]);
    EXPECT_EQ(f.train_models, (std::vector<std::string>{"m1", "m2", "m3"}));
    EXPECT_EQ(f.test_models, std::vector<std::string>{"m0"});
    EXPECT_EQ(f.train_rows + f.test_rows, rows[i / 2]);
    EXPECT_EQ(f.test_rows, rows[i / 2] / 4);
    EXPECT_GT(f.alpha, 0);
    EXPECT_GT(f.nonzero, 0u) << f.pipeline << ": a constant model";
    EXPECT_LE(f.nonzero, f.width);
    EXPECT_TRUE(std::isfinite(f.train_rmspe));
    ASSERT_TRUE(f.test);
    EXPECT_TRUE(finite(*f.test));
    ASSERT_EQ(f.per_test_model.size(), 1u);
    EXPECT_EQ(f.per_test_model[0].model, "m0");
    EXPECT_EQ(f.per_test_model[0].predicted.size(), f.test_rows);
    EXPECT_EQ(f.per_test_model[0].layer_names.size(), f.test_rows);
  }
  // Power is fitted in W from the CSV's µW.
  EXPECT_LT(outcome.fits[0].per_test_model[0].measured[0], 100.0);
}

TEST(TrainPresets, SavedModelsPredictBitIdenticallyToTheFittedOnes) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  const auto outcome = train(dir / "td", lw::testing::quick_config());
  model::save_models(outcome, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");
  const auto csv = lw::io::read_csv_table(dir / "td" / "m0" / "pooling.csv");
  const auto x = lw::transform::feature_table<lw::features::pooling>(csv);
  const auto& fit = outcome.fits[3];  // pooling runtime
  ASSERT_EQ(fit.what, target::runtime);
  for (Eigen::Index r = 0; r < x.rows(); ++r) {
    // The row's layer, as an engine describes it: batch, input C·H·W, output C·H·W, window, stride.
    const auto at = [&](std::size_t c) { return static_cast<std::int64_t>(x(r, static_cast<Eigen::Index>(c))); };
    lw::io::engine_layer pool;
    pool.name = "pool";
    pool.layer_type = "CaskPooling";
    pool.inputs = {{"x", {at(0), at(1), at(2), at(3)}, "Row major linear FP16 format"}};
    pool.outputs = {{"y", {at(0), at(4), at(5), at(6)}, "Row major linear FP16 format"}};
    pool.window_size = std::vector<std::int64_t>{at(7), at(8)};
    pool.stride = std::vector<std::int64_t>{at(9), at(10)};
    EXPECT_EQ(models.of(layer_kind::pooling).runtime->predict(pool),
              fit.per_test_model[0].predicted[static_cast<std::size_t>(r)]);
  }
}

TEST(TrainPresets, OverridesChooseTheShapeAndTheSavedName) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  auto config = lw::testing::quick_config();
  config.presets["dense_power"].shape = {.degree = 2, .scaler = "minmax", .positive = false};
  const auto outcome = train(dir / "td", config);
  EXPECT_EQ(outcome.fits[4].pipeline, "dense_power<degree=2, scaler=min_max_scaler, positive=false>");
  EXPECT_EQ(outcome.fits[4].width, 10u);  // C(3 + 2, 2)
  model::save_models(outcome, dir / "models");
  const auto models = lw::predict::load_model_set(dir / "models");
  EXPECT_EQ(models.of(layer_kind::dense).power->name(), outcome.fits[4].pipeline);
}

/// Sets `column` of `csv`'s rows to what `value` makes of its old value.
template <typename F>
void rewrite_column(const std::filesystem::path& csv, std::string_view column, F value) {
  auto table = lw::io::read_csv_table(csv);
  const auto c = table.column(column);
  for (auto& row : table.rows) row[c] = value(row[c]);
  lw::io::write_csv_table(csv, table);
}

// A measured value in another unit, or a size no layer has, is named with its file and line
// before anything is fitted; powers that read as microwatts are warned about.
TEST(TrainPresets, ImplausibleTargetsAndSizesAreErrorsAndPowersInWattsAWarning) {
  temp_dir dir;
  const auto csv = dir / "td" / "m1" / "convolutional.csv";
  for (const auto& [column, value, says] :
       {std::tuple{"power", "1e200", "expected a power in µW of at most 1e+09 (1000 W) in column \"power\", got 1e+200"},
        {"runtime", "0", "expected a runtime in ms above 0 and at most 3600000 (an hour) in column \"runtime\", got 0"},
        {"input_size_0", "-3", "expected a whole number from 1 to 1e+12 in column \"input_size_0\" (a layer's size), got -3"},
        {"padding_0", "0.5", "expected a whole number from 0 to 1e+12 in column \"padding_0\""},
        {"kernel_0", "1e300", "column \"kernel_0\" (a layer's size), got 1e+300"}}) {
    lw::testing::write_training_dir(dir / "td", 4);
    rewrite_column(csv, column, [&](const std::string&) { return std::string(value); });
    EXPECT_ERROR_MENTIONS(train(dir / "td", lw::testing::quick_config()), csv.string() + ":2:", std::string(says));
  }

  lw::testing::write_training_dir(dir / "td", 4);
  for (const auto m : {"m0", "m1", "m2", "m3"})
    rewrite_column(dir / "td" / m / "convolutional.csv", "power",
                   [](const std::string& uw) { return fmt::format("{}", std::stod(uw) / 1e6); });
  std::vector<std::string> warnings;
  model::train_presets(lw::dataset::scan_training_dir(dir / "td"), lw::testing::quick_config(), [](const auto&) {},
                       [&](std::string_view w) { warnings.emplace_back(w); });
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("convolutional layers: the largest measured power is"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("is column \"power\" in µW (not W)?"), std::string::npos) << warnings[0];
}

TEST(TrainPresets, KindsWithoutEnoughRowsAreSkippedWithTheirReason) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  std::filesystem::remove(dir / "td" / "m1" / "dense.csv");
  std::filesystem::remove(dir / "td" / "m2" / "dense.csv");
  std::filesystem::remove(dir / "td" / "m3" / "dense.csv");
  for (const auto m : {"m0", "m1", "m2", "m3"}) std::filesystem::remove(dir / "td" / m / "pooling.csv");
  auto config = lw::testing::quick_config();
  config.test_models = {"m0", "nope"};
  const auto outcome = train(dir / "td", config);
  ASSERT_EQ(outcome.fits.size(), 2u);
  ASSERT_EQ(outcome.skipped.size(), 6u);  // pooling, dense and memory-bound, each target
  EXPECT_EQ(outcome.skipped[0].kind, layer_kind::pooling);
  EXPECT_EQ(outcome.skipped[0].what, target::power);
  EXPECT_EQ(outcome.skipped[0].reason, "no rows in any model");
  EXPECT_EQ(outcome.skipped[2].kind, layer_kind::dense);
  EXPECT_EQ(outcome.skipped[2].reason, "no training rows (30 rows, all in test models)");
  EXPECT_EQ(outcome.skipped[3].what, target::runtime);
  EXPECT_EQ(outcome.skipped[3].reason, "no training rows (30 rows, all in test models)");
  EXPECT_EQ(outcome.missing_test_models, std::vector<std::string>{"nope"});

  // A stale model of a skipped kind is removed: the directory holds one run only.
  lw::testing::write_text(dir / "models" / "dense" / "power.json", "{}");
  model::save_models(outcome, dir / "models");
  EXPECT_FALSE(std::filesystem::exists(dir / "models" / "dense" / "power.json"));
  EXPECT_TRUE(std::filesystem::exists(dir / "models" / "convolutional" / "runtime.json"));
}

TEST(TrainPresets, NoHeldOutRowsLeavesTestMetricsEmpty) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  for (const auto m : {"m0", "m1", "m2", "m3"}) {
    std::filesystem::remove(dir / "td" / m / "convolutional.csv");
    std::filesystem::remove(dir / "td" / m / "pooling.csv");
  }
  auto config = lw::testing::quick_config();
  config.test_models = {};
  const auto outcome = train(dir / "td", config);
  ASSERT_EQ(outcome.fits.size(), 2u);
  EXPECT_FALSE(outcome.fits[0].test);
  EXPECT_TRUE(outcome.fits[0].per_test_model.empty());
  const auto json = model::training_metrics_json(outcome, config);
  EXPECT_TRUE(json["models"]["dense"]["power"]["test_metrics"].is_null());
  EXPECT_EQ(json["skipped"]["convolutional"]["power"], "no rows in any model");
  EXPECT_EQ(json["skipped"]["convolutional"]["runtime"], "no rows in any model");
}

// A kind with fewer rows than folds (alexnet's dense layers in a small profile set) is fitted
// with leave-one-out cross-validation, and the warning says so; a single row cannot be.
TEST(TrainPresets, FewerRowsThanFoldsFitsLeaveOneOutAndOneRowIsSkipped) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 40);  // 3 dense rows per model
  for (std::size_t m = 0; m < 40; ++m) {
    const auto folder = dir / "td" / ("m" + std::to_string(m));
    std::filesystem::remove(folder / "convolutional.csv");
    std::filesystem::remove(folder / "pooling.csv");
    if (m > 0) std::filesystem::remove(folder / "dense.csv");
  }
  auto config = lw::testing::quick_config();
  config.test_models = {};
  config.folds = 10;
  std::vector<std::string> warnings;
  const auto outcome = model::train_presets(
      lw::dataset::scan_training_dir(dir / "td"), config, [](const model::fit_started&) {},
      [&](std::string_view w) { warnings.emplace_back(w); });
  ASSERT_EQ(outcome.fits.size(), 2u);
  EXPECT_EQ(outcome.fits[0].folds, 3u);
  EXPECT_EQ(outcome.fits[0].train_rows, 3u);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("dense_power: 3 training rows, fewer than the 10 folds asked for"), std::string::npos)
      << warnings[0];

  const auto csv = lw::io::read_csv_table(dir / "td" / "m0" / "dense.csv");
  lw::io::csv_table one{{}, csv.header, {csv.rows[0]}, {}};
  lw::io::write_csv_table(dir / "td" / "m0" / "dense.csv", one);
  const auto single = train(dir / "td", config);
  EXPECT_TRUE(single.fits.empty());
  ASSERT_EQ(single.skipped.size(), 8u);
  EXPECT_EQ(single.skipped[4].reason, "1 training row with a measured power: cross-validation needs at least 2");
}

TEST(TrainingMetrics, HoldsEveryFigureOfEveryFit) {
  temp_dir dir;
  lw::testing::write_training_dir(dir / "td", 4);
  const auto config = lw::testing::quick_config();
  const auto outcome = train(dir / "td", config);
  model::write_training_metrics(dir / "metrics.json", outcome, config);
  const auto json = nlohmann::json::parse(lw::testing::read_text(dir / "metrics.json"));
  EXPECT_EQ(json["test_models"], nlohmann::json::array({"m0"}));
  EXPECT_EQ(json["folds"], 5);
  for (const auto& f : outcome.fits) {
    const auto& m = json["models"][std::string(to_string(f.kind))][std::string(to_string(f.what))];
    EXPECT_EQ(m["pipeline"], f.pipeline);
    EXPECT_EQ(m["file"], std::string(to_string(f.kind)) + "/" + std::string(to_string(f.what)) + ".json");
    EXPECT_EQ(m["train"]["rows"], f.train_rows);
    EXPECT_EQ(m["test"]["models"], nlohmann::json::array({"m0"}));
    EXPECT_EQ(m["alpha"].get<double>(), f.alpha);
    EXPECT_EQ(m["nonzero_coefficients"], f.nonzero);
    EXPECT_EQ(m["coefficients"], f.width);
    EXPECT_EQ(m["train_rmspe"].get<double>(), f.train_rmspe);
    for (const auto key : {"rmspe", "rmse", "mse", "r2", "mae", "mape"}) EXPECT_TRUE(m["test_metrics"][key].is_number());
    EXPECT_EQ(m["test_metrics"]["r2"].get<double>(), f.test->r2);
  }
}

}  // namespace train_presets_test
