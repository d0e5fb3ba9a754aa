#include "layerwatt/predict/model_set.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::layer_kind;
using lw::target;
using lw::testing::temp_dir;

namespace model_set_test {

TEST(ModelSet, LoadsEachModelIntoItsPreset) {
  temp_dir dir;
  lw::testing::write_model_dir(dir / "models");
  const auto set = lw::predict::load_model_set(dir / "models");
  for (const auto kind : {layer_kind::convolutional, layer_kind::pooling, layer_kind::dense})
    ASSERT_TRUE(set.of(kind).power && set.of(kind).runtime && !set.of(kind).energy);
  EXPECT_FALSE(set.network);  // a per-layer model directory
  EXPECT_EQ(set.of(layer_kind::convolutional).power->name(), "conv_power");
  EXPECT_EQ(set.of(layer_kind::pooling).runtime->name(), "pooling_runtime");
  // Each predicts what the fitted pipeline it was saved from predicts, on the layer's features.
  const auto fitted = lw::model::load_pipeline<lw::presets::dense_runtime>(dir / "models" / "dense" / "runtime.json");
  lw::io::engine_layer fc;
  fc.name = "fc";
  fc.layer_type = "CaskGemmConvolution";
  fc.inputs = {{"x", {8, 512, 1, 1}, "Row major linear FP16 format"}};
  fc.outputs = {{"y", {8, 125, 1, 1}, "Row major linear FP16 format"}};
  const std::array<double, 3> row = {8, 4096, 1000};
  EXPECT_EQ(set.of(layer_kind::dense).runtime->predict(fc), fitted.predict(row));
}

TEST(ModelSet, AKindWithNeitherFileIsNotModelled) {
  temp_dir dir;
  lw::testing::write_model_dir(dir / "models");
  fs::remove_all(dir / "models" / "pooling");
  const auto set = lw::predict::load_model_set(dir / "models");
  EXPECT_FALSE(set.of(layer_kind::convolutional).empty());
  EXPECT_TRUE(set.of(layer_kind::pooling).empty());
  EXPECT_FALSE(set.of(layer_kind::dense).empty());
  EXPECT_TRUE(set.of(layer_kind::memory_bound).empty());
}

// Trained on runtime-only rows, a kind has a runtime model and no power model.
TEST(ModelSet, AKindMayHaveARuntimeModelAlone) {
  temp_dir dir;
  lw::testing::write_model_dir(dir / "models");
  fs::remove(dir / "models" / "dense" / "power.json");
  const auto set = lw::predict::load_model_set(dir / "models");
  EXPECT_FALSE(set.of(layer_kind::dense).power);
  EXPECT_TRUE(set.of(layer_kind::dense).runtime);
}

TEST(ModelSet, WhatCannotBeLoadedIsAnErrorNamingTheFile) {
  temp_dir dir;
  const auto models = dir / "models";
  lw::testing::write_model_dir(models);
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::predict::load_model_set(dir / "none")), "none",
                        "expected a model directory");
  fs::create_directories(dir / "empty");
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::predict::load_model_set(dir / "empty")), "no models in it");

  fs::copy_file(models / "dense" / "power.json", dir / "dense_power.json");

  // Another preset's file in a slot.
  fs::copy_file(models / "dense" / "runtime.json", models / "dense" / "power.json", fs::copy_options::overwrite_existing);
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::predict::load_model_set(models)), "dense/power.json", "/pipeline",
                        "a dense_power model", "dense_runtime");

  // A damaged file: cut short, or with a coefficient that is not a number.
  const std::string text = lw::testing::read_text(dir / "dense_power.json");
  lw::testing::write_text(models / "dense" / "power.json", text.substr(0, text.size() / 2));
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::predict::load_model_set(models)), "dense/power.json");
  auto json = nlohmann::json::parse(text);
  json["coef"][3] = "x";
  lw::testing::write_text(models / "dense" / "power.json", json.dump());
  EXPECT_ERROR_MENTIONS(static_cast<void>(lw::predict::load_model_set(models)), "dense/power.json", "/coef/3");
}

}  // namespace model_set_test
