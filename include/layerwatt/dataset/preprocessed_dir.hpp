#pragma once
// The reference's preprocessed-data layout, what `layerwatt map` writes and `convert` reads:
//   PREPROCESSED_DIR/<model>/power_runtime_mapping_layerwise.csv
//   PREPROCESSED_DIR/<model>/trt_engine_info.json              (a copy of the raw one)
//   PREPROCESSED_DIR/<model>/<model>_average_power_stats.csv    (written by convert)
//   PREPROCESSED_DIR/<model>/<model>_average_run_time_stats.csv (written by convert)

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/raw_data_dir.hpp"

namespace layerwatt::dataset {

inline constexpr std::string_view layerwise_mapping_file_name = "power_runtime_mapping_layerwise.csv";
inline constexpr std::string_view engine_info_file_name = "trt_engine_info.json";

struct preprocessed_model_files {
  std::string name;
  std::filesystem::path directory, mapping, engine_info;

  static preprocessed_model_files in(const std::filesystem::path& directory, std::string name) {
    return {std::move(name), directory, directory / layerwise_mapping_file_name, directory / engine_info_file_name};
  }
};

struct preprocessed_data_set {
  std::filesystem::path root;
  std::vector<preprocessed_model_files> models;   ///< complete model folders, sorted by name
  std::vector<io::incomplete_model> incomplete;   ///< folders that lack a file
};

inline preprocessed_data_set scan_preprocessed_dir(const std::filesystem::path& root) {
  io::require_directory(root, "a preprocessed-data directory (one folder per model)");
  preprocessed_data_set set{root, {}, {}};
  for (const auto& folder : io::model_folders(root)) {
    auto files = preprocessed_model_files::in(folder, folder.filename().string());
    const std::filesystem::path required[] = {files.mapping, files.engine_info};
    if (auto gaps = io::incomplete_model::of(files.name, required); gaps.complete())
      set.models.push_back(std::move(files));
    else set.incomplete.push_back(std::move(gaps));
  }
  return set;
}

}  // namespace layerwatt::dataset
