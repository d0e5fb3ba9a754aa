#pragma once
// The six fitted models of a model directory, as `layerwatt train` writes it:
//   MODELS_DIR/<convolutional|pooling|dense>/<power|runtime>.json
// loaded once (each into the preset type its file names, whatever shape a configuration gave
// it) and kept for any number of predictions. A layer kind with neither file was not trained
// (no data) and is not modelled; one with a single file, or a file of the wrong preset, is an
// error naming the file.

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/dataset/feature_columns.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/predict/layer_model.hpp"

namespace layerwatt::predict {

template <typename Features>
struct kind_models {
  layer_model<Features> power, runtime;
};

struct model_set {
  std::optional<kind_models<features::convolutional>> convolutional;
  std::optional<kind_models<features::pooling>> pooling;
  std::optional<kind_models<features::dense>> dense;

  /// The models of a kind, if it was trained.
  template <layer_kind Kind>
  [[nodiscard]] const auto& of() const noexcept {
    if constexpr (Kind == layer_kind::convolutional)
      return convolutional;
    else if constexpr (Kind == layer_kind::pooling)
      return pooling;
    else
      return dense;
  }
};

namespace detail {

template <layer_kind Kind>
using kind_features = typename dataset::training_layout<Kind>::feature_columns;

template <layer_kind Kind>
layer_model<kind_features<Kind>> load_layer_model(const std::filesystem::path& file, target t) {
  const io::json_document document(file);
  const auto name_node = document.root().object_member("pipeline");
  const std::string name = name_node.as_string();
  return presets::visit_preset<Kind>(
      t, [&]<template <std::size_t, typename, model::coefficient_sign> class Preset>(presets::preset_template<Preset>) {
        const auto shape = presets::shape_named<Preset>(name);
        if (!shape)
          name_node.fail(fmt::format("a {} model (\"{}\" or a shape of it), got \"{}\"", presets::preset_name(Kind, t),
                                     presets::reference_shape_of<Preset>::name(), name));
        return presets::with_shape<Preset>(*shape, [&]<typename P>(std::type_identity<P>) {
          return layer_model<kind_features<Kind>>(model::pipeline_from_json<P>(document.root()), name);
        });
      });
}

template <layer_kind Kind>
std::optional<kind_models<kind_features<Kind>>> load_kind(const std::filesystem::path& models_dir) {
  std::error_code ec;
  const auto power = presets::model_file(models_dir, Kind, target::power),
             runtime = presets::model_file(models_dir, Kind, target::runtime);
  const bool has_power = std::filesystem::exists(power, ec), has_runtime = std::filesystem::exists(runtime, ec);
  if (!has_power && !has_runtime) return std::nullopt;
  if (has_power != has_runtime)
    throw error(fmt::format("{}: missing, while {} exists; a layer kind needs both models or neither",
                            (has_power ? runtime : power).string(), (has_power ? power : runtime).string()));
  return kind_models<kind_features<Kind>>{load_layer_model<Kind>(power, target::power),
                                          load_layer_model<Kind>(runtime, target::runtime)};
}

}  // namespace detail

inline model_set load_model_set(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(models_dir, ec))
    throw error(fmt::format("{}: expected a model directory (as `layerwatt train --out` writes)", models_dir.string()));
  model_set set;
  set.convolutional = detail::load_kind<layer_kind::convolutional>(models_dir);
  set.pooling = detail::load_kind<layer_kind::pooling>(models_dir);
  set.dense = detail::load_kind<layer_kind::dense>(models_dir);
  if (!set.convolutional && !set.pooling && !set.dense)
    throw error(fmt::format("{}: no models in it (expected <convolutional|pooling|dense>/<power|runtime>.json)",
                            models_dir.string()));
  return set;
}

}  // namespace layerwatt::predict
