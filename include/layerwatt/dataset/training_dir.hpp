#pragma once
// A training-data directory as `layerwatt dataset` and the reference write it,
//   TRAINING_DIR/<model>/convolutional.csv, pooling.csv, dense.csv
// found as the reference finds it: every file named after a layer kind, at any depth, belongs to
// the model its folder is named after. Two folders with one name would merge two networks'
// rows unnoticed, so that is an error naming both.

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/directory.hpp"

namespace layerwatt::dataset {

struct training_model {
  std::string name;
  std::filesystem::path directory;
  /// The CSV of each layer kind, where the model has one (indexed by layer_kind).
  std::array<std::optional<std::filesystem::path>, all_layer_kinds.size()> csv;
};

struct training_dir {
  std::filesystem::path root;
  std::vector<training_model> models;  ///< sorted by name; each has at least one CSV
};

/// The training CSVs under `root`, by model; none is no error (network-level training reads them
/// where there are any). Errors: a CSV in `root` itself, two folders of one name.
inline training_dir find_training_csvs(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  std::map<std::string, training_model> by_name;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().extension() != ".csv") continue;
    const auto kind = layer_kind_from_string(it->path().stem().string());
    if (!kind) continue;
    if (const auto problem = io::file_problem(it->path()); !problem.empty())
      throw error(fmt::format("{}: {}; expected a training CSV", it->path().string(), problem));
    const fs::path folder = it->path().parent_path();
    if (folder == root)
      throw error(fmt::format("{}: a training CSV must sit in a folder named after its model "
                              "(TRAINING_DIR/<model>/{}.csv)",
                              it->path().string(), to_string(*kind)));
    const std::string name = folder.filename().string();
    auto& model = by_name.try_emplace(name, training_model{name, folder, {}}).first->second;
    if (model.directory != folder)
      throw error(fmt::format("{} and {}: two folders named \"{}\"; a model's rows must come from one folder",
                              model.directory.string(), folder.string(), name));
    model.csv[static_cast<std::size_t>(*kind)] = it->path();
  }
  training_dir out{root, {}};
  for (auto& [name, model] : by_name) out.models.push_back(std::move(model));
  return out;
}

/// find_training_csvs, where there must be some. Errors: `root` not a directory, no training
/// CSV in it.
inline training_dir scan_training_dir(const std::filesystem::path& root) {
  io::require_directory(root, "a training-data directory (one folder per model holding convolutional.csv, "
                             "pooling.csv and/or dense.csv)");
  auto out = find_training_csvs(root);
  if (out.models.empty())
    throw error(fmt::format("{}: no training CSVs in it (expected <model>/convolutional.csv, pooling.csv or "
                            "dense.csv, as `layerwatt dataset` writes)",
                            root.string()));
  return out;
}

}  // namespace layerwatt::dataset
