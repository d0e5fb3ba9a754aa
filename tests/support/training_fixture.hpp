#pragma once
// A small training-data directory from the realistic layer rows of tests/data/models: row i of
// each kind's CSV goes to model "m<i % models>", so every model has rows of every kind there
// (convolutional, pooling, dense; none memory-bound). With a
// configuration that fits quickly (5 folds, 20 alphas), for tests of training and prediction;
// and a model directory fitted on the same rows.

#include <filesystem>
#include <string>
#include <vector>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/csv_table.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/presets.hpp"
#include "layerwatt/model/training_config.hpp"
#include "layerwatt/transform/feature_table.hpp"

namespace layerwatt::testing {

inline void write_training_dir(const std::filesystem::path& dir, std::size_t models = 4) {
  for (const auto kind : all_layer_kinds) {
    const auto file = std::filesystem::path(LAYERWATT_TEST_DATA) / "models" / (std::string(to_string(kind)) + ".csv");
    if (!std::filesystem::exists(file)) continue;  // the reference's three kinds only
    const auto source = io::read_csv_table(file);
    std::vector<io::csv_table> parts(models);
    for (auto& part : parts) part.header = source.header;
    for (std::size_t r = 0; r < source.rows.size(); ++r) parts[r % models].rows.push_back(source.rows[r]);
    for (std::size_t m = 0; m < models; ++m) {
      const auto folder = dir / ("m" + std::to_string(m));
      std::filesystem::create_directories(folder);
      io::write_csv_table(folder / (std::string(to_string(kind)) + ".csv"), parts[m]);
    }
  }
}

/// m0 held out; 5 folds and 20 alphas per preset, so a whole run takes about a second. (With
/// 3 folds each training model is a fold of its own, and the one holding the heaviest
/// convolutions makes a constant runtime model the best by cross-validation, as scikit-learn's
/// LassoCV finds on the same rows.)
inline model::training_config quick_config() {
  model::training_config config;
  config.test_models = {"m0"};
  config.folds = 5;
  for (const auto name : presets::preset_names) config.presets[std::string(name)].n_alphas = 20;
  return config;
}

/// A model directory with the six default presets fitted (3 folds, 20 alphas) on all rows of
/// tests/data/models, written as `layerwatt train` writes it — without compiling every shape
/// the training run can choose.
inline void write_model_dir(const std::filesystem::path& dir) {
  const auto fit = [&]<typename P>(layer_kind kind, target what) {
    const auto csv = io::read_csv_table(std::filesystem::path(LAYERWATT_TEST_DATA) / "models" /
                                        (std::string(to_string(kind)) + ".csv"));
    Eigen::VectorXd y = transform::target_column(csv, to_string(what));
    if (what == target::power) y /= 1e6;
    P pipeline({.folds = 3, .n_alphas = 20});
    pipeline.fit(transform::feature_table<typename P::features>(csv), y);
    model::save_pipeline(pipeline, presets::model_file(dir, kind, what));
  };
  fit.template operator()<presets::conv_power>(layer_kind::convolutional, target::power);
  fit.template operator()<presets::conv_runtime>(layer_kind::convolutional, target::runtime);
  fit.template operator()<presets::pooling_power>(layer_kind::pooling, target::power);
  fit.template operator()<presets::pooling_runtime>(layer_kind::pooling, target::runtime);
  fit.template operator()<presets::dense_power>(layer_kind::dense, target::power);
  fit.template operator()<presets::dense_runtime>(layer_kind::dense, target::runtime);
}

}  // namespace layerwatt::testing
