#pragma once
// A training run's metrics as MODELS_DIR/metrics.json — what the reference logged to MLflow,
// per layer kind and target:
//
//   {"test_models": [...], "missing_test_models": [...], "folds": 10,
//    "models": {"convolutional": {"power": {
//        "pipeline": "conv_power", "file": "convolutional/power.json",
//        "train": {"rows": 1200, "models": [...]}, "test": {"rows": 90, "models": [...]},
//        "folds": 10, "alpha": ..., "coefficients": 562, "nonzero_coefficients": 41, "train_rmspe": ...,
//        "test_metrics": {"rmspe": ..., "rmse": ..., "mse": ..., "r2": ..., "mae": ..., "mape": ...}}}},
//    "skipped": {"dense": {"power": "no rows in any model", "runtime": "no rows in any model"}}}
//
// RMSPE is in percent (the reference's formula), MAPE a fraction (scikit-learn's); power in W,
// runtime in ms. "test_metrics" is null when no held-out model has rows of that kind.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "layerwatt/io/atomic_file.hpp"
#include "layerwatt/model/train_presets.hpp"

namespace layerwatt::model {

inline nlohmann::ordered_json training_metrics_json(const training_outcome& outcome, const training_config& config) {
  nlohmann::ordered_json out;
  out["test_models"] = config.test_models;
  out["missing_test_models"] = outcome.missing_test_models;
  out["folds"] = config.folds;
  auto& models = out["models"] = nlohmann::ordered_json::object();
  for (const auto& fit : outcome.fits) {
    auto& m = models[std::string(to_string(fit.kind))][std::string(to_string(fit.what))];
    m["pipeline"] = fit.pipeline;
    m["file"] = presets::model_file("", fit.kind, fit.what).generic_string();
    m["train"] = {{"rows", fit.train_rows}, {"models", fit.train_models}};
    m["test"] = {{"rows", fit.test_rows}, {"models", fit.test_models}};
    m["folds"] = fit.folds;
    m["alpha"] = fit.alpha;
    m["coefficients"] = fit.width;
    m["nonzero_coefficients"] = fit.nonzero;
    m["train_rmspe"] = fit.train_rmspe;
    if (fit.test)
      m["test_metrics"] = {{"rmspe", fit.test->rmspe}, {"rmse", fit.test->rmse}, {"mse", fit.test->mse},
                           {"r2", fit.test->r2},       {"mae", fit.test->mae},   {"mape", fit.test->mape}};
    else
      m["test_metrics"] = nullptr;
  }
  auto& skipped = out["skipped"] = nlohmann::ordered_json::object();
  for (const auto& s : outcome.skipped) skipped[std::string(to_string(s.kind))][std::string(to_string(s.what))] = s.reason;
  return out;
}

inline void write_training_metrics(const std::filesystem::path& path, const training_outcome& outcome,
                                   const training_config& config) {
  io::write_file_atomically(path, training_metrics_json(outcome, config).dump(4) + "\n");
}

}  // namespace layerwatt::model
