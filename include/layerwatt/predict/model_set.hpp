#pragma once
// The fitted models of a model directory, as `layerwatt train` writes it:
//   MODELS_DIR/<convolutional|pooling|dense|memory_bound>/<power|runtime>.json
// loaded once (each into the preset type its file names, whatever shape a configuration gave
// it) and kept for any number of predictions. A kind may have both models, one (runtime alone,
// trained on runtime-only rows), or none (not trained: no data); a file of the wrong preset is
// an error naming the file.

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
  std::optional<layer_model<Features>> power, runtime;
  [[nodiscard]] bool empty() const noexcept { return !power && !runtime; }
};

struct model_set {
  kind_models<features::convolutional> convolutional;
  kind_models<features::pooling> pooling;
  kind_models<features::dense> dense;
  kind_models<features::memory_bound> memory_bound;

  /// The models of a kind (either may be absent).
  template <layer_kind Kind>
  [[nodiscard]] const auto& of() const noexcept {
    return member<Kind>(*this);
  }
  template <layer_kind Kind>
  [[nodiscard]] auto& of() noexcept {
    return member<Kind>(*this);
  }

 private:
  template <layer_kind Kind, typename Self>
  static auto& member(Self& self) noexcept {
    if constexpr (Kind == layer_kind::convolutional)
      return self.convolutional;
    else if constexpr (Kind == layer_kind::pooling)
      return self.pooling;
    else if constexpr (Kind == layer_kind::dense)
      return self.dense;
    else
      return self.memory_bound;
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
        auto model = presets::with_shape<Preset>(*shape, [&]<typename P>(std::type_identity<P>) {
          return layer_model<kind_features<Kind>>(model::pipeline_from_json<P>(document.root()), name);
        });
        if (const auto precisions = document.root().find("training_precisions"))
          model.set_training_precisions(precisions->as_strings());
        return model;
      });
}

template <layer_kind Kind>
std::optional<layer_model<kind_features<Kind>>> load_if_present(const std::filesystem::path& models_dir, target t) {
  std::error_code ec;
  const auto file = presets::model_file(models_dir, Kind, t);
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return load_layer_model<Kind>(file, t);
}

}  // namespace detail

inline model_set load_model_set(const std::filesystem::path& models_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(models_dir, ec))
    throw error(fmt::format("{}: expected a model directory (as `layerwatt train --out` writes)", models_dir.string()));
  model_set set;
  bool any = false;
  for (const auto kind : all_layer_kinds)
    dataset::with_layout(kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      auto& models = set.of<Kind>();
      models.power = detail::load_if_present<Kind>(models_dir, target::power);
      models.runtime = detail::load_if_present<Kind>(models_dir, target::runtime);
      any = any || !models.empty();
    });
  if (!any)
    throw error(fmt::format("{}: no models in it (expected <convolutional|pooling|dense|memory_bound>/"
                            "<power|runtime>.json)",
                            models_dir.string()));
  return set;
}

}  // namespace layerwatt::predict
