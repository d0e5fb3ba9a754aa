#pragma once
// A model's measurements → its statistics files and training CSVs, as the reference's convert
// step does it:
//   1. describe() of power and runtime per modelled layer → the two statistics CSVs (written
//      even for a model then skipped, as the reference does, so the user can see why);
//   2. the minimum-measurements rule: if any modelled layer has fewer than N powers or runtimes,
//      the whole model is skipped, and the summary names the layers;
//   3. per layer, the mean power and runtime over cycles (pandas' groupby mean), its features
//      from the engine info, one row in the CSV of its kind; a kind with no rows gets no file.

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/layer_measurements.hpp"
#include "layerwatt/dataset/pandas_statistics.hpp"
#include "layerwatt/dataset/preprocessed_dir.hpp"
#include "layerwatt/dataset/statistics_csv.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"

namespace layerwatt::dataset {

/// The reference's default for the minimum-measurements rule.
inline constexpr std::size_t default_min_measurements = 10;

struct convert_summary {
  std::string model;
  std::size_t modelled_layers = 0;
  std::vector<shortfall> shortfalls;  ///< layers below the minimum; non-empty means skipped
  std::array<std::size_t, 3> rows_per_kind{};  ///< indexed by layer_kind
  std::vector<std::string> not_in_engine;      ///< modelled layers the engine info does not describe
  std::map<std::string, std::size_t, std::less<>> layers_per_type;  ///< distinct layers of the mapping
  [[nodiscard]] bool skipped() const noexcept { return !shortfalls.empty(); }
};

/// Writes the statistics CSVs into `statistics_dir` (when given) and, unless the rule skips the
/// model, the training CSVs into `training_dir`. Errors name the engine info file.
inline convert_summary convert_model(std::string model, const layer_measurements& measurements,
                                     const io::engine_info& engine, const std::filesystem::path& engine_path,
                                     const std::optional<std::filesystem::path>& statistics_dir,
                                     const std::filesystem::path& training_dir,
                                     std::size_t min_measurements = default_min_measurements) {
  if (min_measurements == 0)
    throw error("the minimum number of measurements must be at least 1: a layer without any power cannot be a "
                "training row");
  convert_summary summary;
  summary.model = std::move(model);
  if (statistics_dir)
    for (const auto m : {measured::power, measured::run_time})
      write_statistics_csv(statistics_csv_path(*statistics_dir, summary.model, m), measurements, m);

  const auto layers = measurements.modelled_by_name();
  summary.modelled_layers = layers.size();
  summary.layers_per_type = measurements.layers_per_type();
  summary.shortfalls = measurements.below(min_measurements);
  if (summary.skipped()) return summary;

  std::unordered_map<std::string_view, const io::engine_layer*> by_name;
  for (const auto& layer : engine.layers) by_name[layer.name] = &layer;
  std::array<std::vector<training_record>, 3> records;
  for (const auto* layer : layers) {
    const auto found = by_name.find(layer->name);
    if (found == by_name.end()) {
      summary.not_in_engine.push_back(layer->name);
      continue;
    }
    // Classified by the engine's type, as the reference does (the mapping's type came from it).
    const auto kind = classify_layer_type(found->second->layer_type);
    if (!kind) continue;
    records[static_cast<std::size_t>(*kind)].push_back(
        {found->second, group_mean(layer->power_uw), group_mean(layer->run_time_ms)});
  }
  for (const auto kind : all_layer_kinds) {
    const auto& rows = records[static_cast<std::size_t>(kind)];
    summary.rows_per_kind[static_cast<std::size_t>(kind)] = rows.size();
    if (rows.empty()) continue;
    try {
      write_training_csv(training_csv_path(training_dir, kind), kind, rows);
    } catch (const error& e) {
      throw error(fmt::format("{}: {}", engine_path.string(), e.what()));
    }
  }
  return summary;
}

/// The measurements of a preprocessed model, read from its mapping file.
inline layer_measurements read_measurements(const std::filesystem::path& mapping) {
  layer_measurements measurements;
  io::read_layerwise_mapping(mapping, [&](const io::layerwise_row& row) { measurements.add(row); });
  return measurements;
}

/// convert_model for a preprocessed model folder: statistics beside the mapping file, training
/// CSVs in `training_root/<model>/`.
inline convert_summary convert_preprocessed_model(const preprocessed_model_files& files,
                                                  const std::filesystem::path& training_root,
                                                  std::size_t min_measurements = default_min_measurements) {
  return convert_model(files.name, read_measurements(files.mapping), io::read_engine_info(files.engine_info),
                       files.engine_info, files.directory, training_root / files.name, min_measurements);
}

}  // namespace layerwatt::dataset
