#pragma once
// `layerwatt train --fit network`: layer models learnt from whole networks' measured totals
// (train/network_fit.hpp), run from train.cpp.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "layerwatt/train/network_training.hpp"

namespace layerwatt::cli {

struct network_training_request {
  std::filesystem::path training_dir, out;
  std::vector<std::string> test_models;  ///< held out: not fitted on, predicted after
  std::optional<std::size_t> folds;
  train::energy_measure energy = train::energy_measure::total;
  bool strict = false;
};

/// Fits, writes MODELS_DIR (network form), metrics.json and report.html, prints the
/// summary; returns the exit status.
int run_network_training(const network_training_request& request);

}  // namespace layerwatt::cli
