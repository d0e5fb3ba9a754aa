#include "layerwatt/dataset/convert_model.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/io/json_document.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace ds = layerwatt::dataset;
namespace features = layerwatt::features;
namespace io = layerwatt::io;
using layerwatt::layer_kind;
using layerwatt::testing::reference_data;
using layerwatt::testing::temp_dir;

namespace convert_model_test {

const std::filesystem::path fixtures = reference_data("seed_fixtures/example_preprocessed_data");

/// A copy of a reference fixture model, so that statistics files can be written beside it.
ds::preprocessed_model_files copy_fixture(const temp_dir& dir, const std::string& model) {
  std::filesystem::create_directories(dir / "pre" / model);
  for (const auto* name : {"power_runtime_mapping_layerwise.csv", "trt_engine_info.json"})
    std::filesystem::copy_file(fixtures / model / name, dir / "pre" / model / name);
  return ds::preprocessed_model_files::in(dir / "pre" / model, model);
}

template <typename Features>
void expect_features(const std::array<double, Features::size>& values, const nlohmann::json& expected) {
  for (std::size_t i = 0; i < Features::size; ++i)
    EXPECT_EQ(values[i], expected.at(std::string(Features::names[i])).get<double>()) << Features::names[i];
}

TEST(ConvertModel, TrainingRowsFromTheReferenceFixture) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto files = copy_fixture(dir, "model1");
  const auto summary = ds::convert_preprocessed_model(files, dir / "training", 1);
  EXPECT_FALSE(summary.skipped());
  EXPECT_EQ(summary.modelled_layers, 2u);
  EXPECT_EQ(summary.rows_per_kind, (std::array<std::size_t, 4>{1, 1, 0, 0}));
  EXPECT_TRUE(std::filesystem::exists(files.directory / "model1_average_power_stats.csv"));
  EXPECT_TRUE(std::filesystem::exists(files.directory / "model1_average_run_time_stats.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "training" / "model1" / "dense.csv"));  // no rows, no file

  // The reference's expected features (but the pooling kernel: 3×3 from WindowSize) and the
  // averages its own tests expect: power 4.5 and 5.0, runtime 0.08 and 0.01.
  const auto expected = io::load_json_file(fixtures / "model1" / "expected_features.json");
  const auto conv = ds::read_training_csv<features::convolutional>(dir / "training" / "model1" / "convolutional.csv");
  ASSERT_EQ(conv.size(), 1u);
  expect_features<features::convolutional>(conv[0].features, expected["convolutional"]);
  EXPECT_EQ(conv[0].power_uw, 4.5);
  EXPECT_EQ(conv[0].run_time_ms, 0.08);
  EXPECT_EQ(conv[0].layer_name, "conv_relu_layer");
  EXPECT_EQ(conv[0].precision, "fp16");
  auto pooling_expected = expected["pooling"];
  pooling_expected["kernel_0"] = pooling_expected["kernel_1"] = 3;
  const auto pool = ds::read_training_csv<features::pooling>(dir / "training" / "model1" / "pooling.csv");
  ASSERT_EQ(pool.size(), 1u);
  expect_features<features::pooling>(pool[0].features, pooling_expected);
  EXPECT_EQ(pool[0].power_uw, 5.0);
  EXPECT_EQ(pool[0].run_time_ms, 0.01);
}

// The reference's tests: model1 fails the rule from 2 measurements (maxpool_layer has one power).
TEST(ConvertModel, TheMinimumRuleSkipsTheModelNamingTheLayers) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto files = copy_fixture(dir, "model1");
  layerwatt::testing::write_text(dir / "training" / "model1" / "pooling.csv", "an earlier run's rows\n");
  const auto summary = ds::convert_preprocessed_model(files, dir / "training", 2);
  EXPECT_TRUE(summary.skipped());
  ASSERT_EQ(summary.shortfalls.size(), 1u);
  EXPECT_EQ(summary.shortfalls[0].layer_name, "maxpool_layer");
  EXPECT_EQ(summary.shortfalls[0].power_count, 1u);
  EXPECT_EQ(summary.shortfalls[0].run_time_count, 4u);
  EXPECT_FALSE(std::filesystem::exists(dir / "training" / "model1" / "pooling.csv"));  // would be read as this run's
  // Statistics are written all the same, as the reference does.
  EXPECT_TRUE(std::filesystem::exists(files.directory / "model1_average_power_stats.csv"));
  EXPECT_ERROR_MENTIONS(ds::convert_preprocessed_model(files, dir / "training", 0), "at least 1");
}

// model2's mapping names layers its engine info does not describe (its reformat too, whatever
// the rule): reported, not written.
TEST(ConvertModel, LayersMissingFromTheEngineAreReported) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir dir;
  const auto files = copy_fixture(dir, "model2");
  const auto summary = ds::convert_preprocessed_model(files, dir / "training", 3);
  EXPECT_FALSE(summary.skipped());
  EXPECT_EQ(summary.not_in_engine, (std::vector<std::string>{"conv_layer1", "max_pool_layer1", "reformat_layer1"}));
  EXPECT_EQ(summary.rows_per_kind, (std::array<std::size_t, 4>{0, 0, 0, 0}));
}

// Averages and verdicts against the reference's own measurement_utils on 150 cycles
// (tests/data/dataset/make_statistics_golden.py).
TEST(ConvertModel, AveragesAndVerdictsAreTheReferences) {
  const auto golden = std::filesystem::path(LAYERWATT_TEST_DATA) / "dataset";
  const auto m = ds::read_measurements(golden / "stats_model" / "power_runtime_mapping_layerwise.csv");
  const auto averages = io::read_csv_table(golden / "expected_averages.csv");
  const auto layers = m.modelled_by_name();
  ASSERT_EQ(layers.size(), averages.rows.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    EXPECT_EQ(layers[i]->name, averages.rows[i][0]);
    const auto power = io::parse_double(averages.rows[i][1]);
    if (power) EXPECT_EQ(ds::group_mean(layers[i]->power_uw), *power) << layers[i]->name;
    else EXPECT_TRUE(std::isnan(ds::group_mean(layers[i]->power_uw)));
    EXPECT_EQ(ds::group_mean(layers[i]->run_time_ms), *io::parse_double(averages.rows[i][2])) << layers[i]->name;
  }
  const auto verdicts = io::load_json_file(golden / "expected_min_measurements.json");
  for (const auto& [minimum, verdict] : verdicts.items()) {
    SCOPED_TRACE(minimum);
    const auto below = m.below(std::stoul(minimum));
    std::vector<std::string> power_below, runtime_below;
    for (const auto& s : below) {
      if (s.power_count < std::stoul(minimum)) power_below.push_back(fmt::format("{} -> {}", s.layer_name, s.power_count));
      if (s.run_time_count < std::stoul(minimum))
        runtime_below.push_back(fmt::format("{} -> {}", s.layer_name, s.run_time_count));
    }
    EXPECT_EQ(power_below, verdict["average_power"]["below"].get<std::vector<std::string>>());
    EXPECT_EQ(runtime_below, verdict["average_run_time"]["below"].get<std::vector<std::string>>());
    EXPECT_EQ(below.empty(), verdict["average_power"]["passes"].get<bool>() &&
                                 verdict["average_run_time"]["passes"].get<bool>());
  }
}

}  // namespace convert_model_test
