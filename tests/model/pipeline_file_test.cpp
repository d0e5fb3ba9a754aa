#include "layerwatt/model/pipeline_file.hpp"

#include <gtest/gtest.h>

#include "layerwatt/model/presets.hpp"
#include "model/layer_data.hpp"
#include "support/temp_dir.hpp"

namespace pipeline_file_test {

namespace model = layerwatt::model;
namespace presets = layerwatt::presets;
using layerwatt::testing::read_text;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_text;

template <typename Preset>
Preset fitted(const std::string& layers, const std::string& target) {
  const auto data = layerwatt::testing::read_layers<typename Preset::features>(layers, target);
  Preset p({.n_alphas = 40});
  p.fit(data.x, data.y);
  return p;
}

const presets::pooling_power& pooling_power() {
  static const auto p = fitted<presets::pooling_power>("pooling.csv", "power");
  return p;
}

TEST(PipelineFile, RoundTripsToBitIdenticalPredictions) {
  temp_dir dir;
  const auto& p = pooling_power();
  model::save_pipeline(p, dir / "pooling_power.json");
  const auto loaded = model::load_pipeline<presets::pooling_power>(dir / "pooling_power.json");
  const auto data = layerwatt::testing::read_layers<presets::pooling_power::features>("pooling.csv", "power");
  EXPECT_EQ(loaded.predict(data.x), p.predict(data.x));
  EXPECT_EQ(loaded.model().coef, p.model().coef);
  EXPECT_EQ(loaded.model().alpha, p.model().alpha);
}

// Each precision once, sorted; a layer of unknown precision ("" from the reference's CSVs, or
// "unknown" from an engine that does not say) adds none, and a file of none known has no key.
TEST(PipelineFile, ListsTheTrainingPrecisionsKnown) {
  nlohmann::ordered_json file;
  EXPECT_EQ(model::add_training_precisions(file, {"fp32", "", "fp16", "unknown", "fp32"}),
            (std::vector<std::string>{"fp16", "fp32"}));
  EXPECT_EQ(file[std::string(model::training_precisions_key)], nlohmann::ordered_json({"fp16", "fp32"}));
  nlohmann::ordered_json none;
  EXPECT_TRUE(model::add_training_precisions(none, {"", "unknown"}).empty());
  EXPECT_FALSE(none.contains(std::string(model::training_precisions_key)));
}

TEST(PipelineFile, SaysWhatItHolds) {
  const auto json = model::pipeline_to_json(pooling_power());
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"pipeline", "version", "features", "width", "training_range", "transform",
                                            "estimator", "alpha", "intercept", "coef"}));
  // Each input feature's range over the training rows.
  const auto data = layerwatt::testing::read_layers<presets::pooling_power::features>("pooling.csv", "power");
  EXPECT_EQ(json["training_range"]["min"][1], data.x.col(1).minCoeff());
  EXPECT_EQ(json["training_range"]["max"][1], data.x.col(1).maxCoeff());
  EXPECT_EQ(json["pipeline"], "pooling_power");
  EXPECT_EQ(json["features"].size(), 11u);
  EXPECT_EQ(json["features"][1], "input_size_0");
  EXPECT_EQ(json["coef"].size(), 367u);
  EXPECT_EQ(json["estimator"], "lasso_cv<positive>");
  const auto& steps = json["transform"]["steps"];
  EXPECT_EQ(steps[1]["type"], "robust_scaler");
  EXPECT_EQ(steps[1]["center"].size(), 367u);
}

class PipelineFileErrors : public ::testing::Test {
 protected:
  void SetUp() override { saved = model::pipeline_to_json(pooling_power()); }

  // Writes `json` and loads it as a pooling_power.
  void load(const nlohmann::ordered_json& json) {
    write_text(dir / "model.json", json.dump(1));
    static_cast<void>(model::load_pipeline<presets::pooling_power>(dir / "model.json"));
  }

  temp_dir dir;
  nlohmann::ordered_json saved;
};

TEST_F(PipelineFileErrors, AnotherPipelineType) {
  temp_dir other;
  model::save_pipeline(fitted<presets::dense_runtime>("dense.csv", "runtime"), other / "dense_runtime.json");
  EXPECT_ERROR_MENTIONS(model::load_pipeline<presets::pooling_power>(other / "dense_runtime.json"),
                        "dense_runtime.json", "/pipeline", "\"pooling_power\"", "got \"dense_runtime\"");
  EXPECT_ERROR_MENTIONS(model::load_pipeline<presets::dense_power>(other / "dense_runtime.json"), "/pipeline",
                        "got \"dense_runtime\"");
}

TEST_F(PipelineFileErrors, ADifferentShapeOfTheSamePreset) {
  saved["pipeline"] = "pooling_power";
  saved["transform"]["steps"][1]["type"] = "standard_scaler";
  EXPECT_ERROR_MENTIONS(load(saved), "/transform/steps/1/type", "robust_scaler");
}

TEST_F(PipelineFileErrors, WrongFeatures) {
  saved["features"].erase(10);
  EXPECT_ERROR_MENTIONS(load(saved), "model.json", "/features", "11 feature names, got 10");
  saved = model::pipeline_to_json(pooling_power());
  saved["features"][2] = "height";
  EXPECT_ERROR_MENTIONS(load(saved), "/features/2", "\"input_size_1\", got \"height\"");
}

TEST_F(PipelineFileErrors, WrongCounts) {
  saved["coef"].erase(0);
  EXPECT_ERROR_MENTIONS(load(saved), "/coef", "an array of 367 numbers, got 366");
  saved = model::pipeline_to_json(pooling_power());
  saved["width"] = 364;
  EXPECT_ERROR_MENTIONS(load(saved), "/width", "367");
  saved = model::pipeline_to_json(pooling_power());
  saved["transform"]["steps"][1]["scale"].push_back(1.0);
  EXPECT_ERROR_MENTIONS(load(saved), "/transform/steps/1/scale", "an array of 367 numbers, got 368");
}

TEST_F(PipelineFileErrors, WrongValues) {
  saved["intercept"] = "3.2";
  EXPECT_ERROR_MENTIONS(load(saved), "/intercept", "a number");
  saved = model::pipeline_to_json(pooling_power());
  saved["version"] = 2;
  EXPECT_ERROR_MENTIONS(load(saved), "/version", "version 1");
  saved = model::pipeline_to_json(pooling_power());
  saved["estimator"] = "lasso_cv";
  EXPECT_ERROR_MENTIONS(load(saved), "/estimator", "lasso_cv<positive>");
  // What no fit of this estimator gives: a negative coefficient under positive=True, a negative penalty.
  saved = model::pipeline_to_json(pooling_power());
  saved["coef"][5] = -0.25;
  EXPECT_ERROR_MENTIONS(load(saved), "/coef/5", "a coefficient of 0 or more (the estimator is \"lasso_cv<positive>\"), got -0.25");
  saved = model::pipeline_to_json(pooling_power());
  saved["alpha"] = -1;
  EXPECT_ERROR_MENTIONS(load(saved), "/alpha", "a penalty of 0 or more, got -1");
}

TEST_F(PipelineFileErrors, ACorruptFile) {
  const std::string text = model::pipeline_to_json(pooling_power()).dump(1);
  write_text(dir / "model.json", text.substr(0, text.size() / 2));
  EXPECT_ERROR_MENTIONS(model::load_pipeline<presets::pooling_power>(dir / "model.json"),
                        "model.json:", "expected valid JSON");
  write_text(dir / "model.json", "[1, 2]");
  EXPECT_ERROR_MENTIONS(model::load_pipeline<presets::pooling_power>(dir / "model.json"), "model.json",
                        "an object");
  EXPECT_ERROR_MENTIONS(model::load_pipeline<presets::pooling_power>(dir / "missing.json"), "missing.json");
}

}  // namespace pipeline_file_test
