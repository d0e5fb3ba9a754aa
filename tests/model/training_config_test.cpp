#include "layerwatt/model/training_config.hpp"

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace lw = layerwatt;
using lw::testing::temp_dir;
using lw::testing::write_text;

TEST(TrainingConfig, DefaultsAreTheReferences) {
  const lw::model::training_config config;
  EXPECT_EQ(config.test_models, (std::vector<std::string>{"lenet", "resnet18", "vgg16"}));
  EXPECT_EQ(config.folds, 10u);
  EXPECT_FALSE(config.data_dir);
  EXPECT_TRUE(config.presets.empty());
}

TEST(TrainingConfig, ReadsEveryKeyAndKeepsWhatIsNotNamed) {
  temp_dir dir;
  write_text(dir / "c.json", R"({"data_dir": "td", "test_models": ["a"], "folds": 5,
    "presets": {"conv_power": {"degree": 2, "scaler": "robust", "positive": false, "n_alphas": 50, "max_iter": 99},
                "dense_runtime": {"n_alphas": 7}}})");
  const auto config = lw::model::read_training_config(dir / "c.json");
  EXPECT_EQ(config.data_dir, std::filesystem::path("td"));
  EXPECT_EQ(config.test_models, std::vector<std::string>{"a"});
  EXPECT_EQ(config.folds, 5u);
  const auto& conv = config.presets.at("conv_power");
  EXPECT_EQ(conv.shape.degree, 2u);
  EXPECT_EQ(conv.shape.scaler, "robust");
  EXPECT_EQ(conv.shape.positive, false);
  EXPECT_EQ(conv.n_alphas, 50u);
  EXPECT_EQ(conv.max_iter, 99u);
  const auto& dense = config.presets.at("dense_runtime");
  EXPECT_FALSE(dense.shape.degree);  // the preset's own
  EXPECT_FALSE(dense.shape.scaler);
  EXPECT_FALSE(dense.shape.positive);
  EXPECT_EQ(dense.n_alphas, 7u);
  EXPECT_FALSE(dense.max_iter);
}

TEST(TrainingConfig, MistakesNameTheirJsonPath) {
  temp_dir dir;
  const auto check = [&](std::string_view text, std::string_view path, std::string_view expected) {
    write_text(dir / "c.json", text);
    EXPECT_ERROR_MENTIONS(static_cast<void>(lw::model::read_training_config(dir / "c.json")),
                          std::string_view("c.json"), path, expected);
  };
  check(R"({"test_model": ["a"]})", "/test_model", "a known key");
  check(R"({"folds": 1})", "/folds", "an integer in [2, 1000]");
  check(R"({"test_models": "lenet"})", "/test_models", "an array");
  check(R"({"presets": {"conv_powr": {}}})", "/presets/conv_powr", "conv_power");
  check(R"({"presets": {"conv_power": {"degree": 5}}})", "/presets/conv_power/degree", "[1, 4]");
  check(R"({"presets": {"pooling_power": {"scaler": "l2"}}})", "/presets/pooling_power/scaler", "\"minmax\"");
  check(R"({"presets": {"dense_power": {"positive": 1}}})", "/presets/dense_power/positive", "true or false");
  check(R"({"presets": {"dense_power": {"alpha": 1}}})", "/presets/dense_power/alpha", "n_alphas");
  check(R"({"folds": )", "c.json", "");
}
