#pragma once
// A model's measurements → its statistics files and training CSVs, as the reference's convert
// step does it:
//   1. describe() of power and runtime per modelled layer → the two statistics CSVs (written
//      even for a model then skipped, as the reference does, so the user can see why);
//   2. the minimum-measurements rule: if any modelled layer has fewer than N powers or runtimes,
//      the whole model is skipped, and the summary names the layers;
//   3. per layer, the mean power and runtime over cycles (pandas' groupby mean), its features
//      from the engine info, one row in the CSV of its kind; a kind with no rows gets no file.
// A layer's kind comes from the engine's classification (dataset/classify.hpp) under the rule
// given: by what it computes (the default), or by the reference's three LayerType names.

#include <algorithm>
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
#include "layerwatt/dataset/classify.hpp"
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
  std::array<std::size_t, all_layer_kinds.size()> rows_per_kind{};  ///< indexed by layer_kind
  std::vector<std::string> not_in_engine;      ///< modelled layers the engine info does not describe
  std::map<std::string, std::size_t, std::less<>> layers_per_type;  ///< distinct layers of the mapping
  [[nodiscard]] bool skipped() const noexcept { return !shortfalls.empty(); }
};

/// Which layers of `engine` a layer_measurements keeps: those of a modelled kind under `rule`.
inline modelled_predicate modelled_layers(const io::engine_info& engine, classification_rule rule) {
  return [names = modelled_layer_names(engine, rule)](std::string_view name, std::string_view) {
    return names.contains(std::string(name));
  };
}

/// Writes the statistics CSVs into `statistics_dir` (when given) and, unless the rule skips the
/// model, the training CSVs into `training_dir`, in place of any there: a kind without rows, or a
/// skipped model, keeps no earlier CSV. `measurements` must have been gathered with
/// modelled_layers(engine, rule). Errors name the engine info file.
inline convert_summary convert_model(std::string model, const layer_measurements& measurements,
                                     const io::engine_info& engine, const std::filesystem::path& engine_path,
                                     const std::optional<std::filesystem::path>& statistics_dir,
                                     const std::filesystem::path& training_dir,
                                     std::size_t min_measurements = default_min_measurements,
                                     classification_rule rule = classification_rule::semantic) {
  if (min_measurements == 0)
    throw error("the minimum number of measurements must be at least 1: a layer without any power cannot be a "
                "training row");
  convert_summary summary;
  summary.model = std::move(model);
  if (statistics_dir)
    for (const auto m : {measured::power, measured::run_time})
      write_statistics_csv(statistics_csv_path(*statistics_dir, summary.model, m), measurements, m);

  const auto classified = classify_layers(engine, rule);
  std::unordered_map<std::string_view, const classified_layer*> by_name;
  for (const auto& c : classified) by_name[c.layer->name] = &c;
  for (const auto& l : measurements.layers())
    if (!by_name.contains(l.name)) summary.not_in_engine.push_back(l.name);
  std::sort(summary.not_in_engine.begin(), summary.not_in_engine.end());

  const auto layers = measurements.modelled_by_name();
  summary.modelled_layers = layers.size();
  summary.layers_per_type = measurements.layers_per_type();
  summary.shortfalls = measurements.below(min_measurements);
  if (summary.skipped()) {
    remove_training_csvs(training_dir);
    return summary;
  }

  std::array<std::vector<training_record>, all_layer_kinds.size()> records;
  for (const auto* layer : layers) {
    const auto found = by_name.find(layer->name);
    if (found == by_name.end()) continue;
    const auto kind = found->second->modelled();
    if (!kind) continue;
    records[static_cast<std::size_t>(*kind)].push_back(
        {&found->second->features_layer(), group_mean(layer->power_uw), group_mean(layer->run_time_ms)});
  }
  for (const auto kind : all_layer_kinds) {
    const auto& rows = records[static_cast<std::size_t>(kind)];
    summary.rows_per_kind[static_cast<std::size_t>(kind)] = rows.size();
    if (rows.empty()) {
      io::remove_if_present(training_csv_path(training_dir, kind));
      continue;
    }
    try {
      write_training_csv(training_csv_path(training_dir, kind), kind, rows);
    } catch (const error& e) {
      throw error(fmt::format("{}: {}", engine_path.string(), e.what()));
    }
  }
  return summary;
}

/// The measurements of a preprocessed model, read from its mapping file, keeping the layers
/// `modelled` names.
inline layer_measurements read_measurements(const std::filesystem::path& mapping,
                                            modelled_predicate modelled = modelled_by_reference_rule) {
  layer_measurements measurements(std::move(modelled));
  io::read_layerwise_mapping(mapping, [&](const io::layerwise_row& row) { measurements.add(row); });
  return measurements;
}

/// convert_model for a preprocessed model folder: statistics beside the mapping file, training
/// CSVs in `training_root/<model>/`.
inline convert_summary convert_preprocessed_model(const preprocessed_model_files& files,
                                                  const std::filesystem::path& training_root,
                                                  std::size_t min_measurements = default_min_measurements,
                                                  classification_rule rule = classification_rule::semantic) {
  const auto engine = io::read_engine_info(files.engine_info);
  return convert_model(files.name, read_measurements(files.mapping, modelled_layers(engine, rule)), engine,
                       files.engine_info, files.directory, training_root / files.name, min_measurements, rule);
}

}  // namespace layerwatt::dataset
