#pragma once
// The fitted models of a model directory, in either of the forms `layerwatt train` writes:
//
//   per-layer (the reference's)   MODELS_DIR/<kind>/<power|runtime>.json
//   network-level                 MODELS_DIR/<kind>/<runtime|energy>.json and MODELS_DIR/network.json
//                                 (the per-inference constant; train/network_model_dir.hpp)
//
// with kind convolutional, pooling, dense or memory_bound. Loaded once (each into the pipeline
// type its file names, whatever shape a configuration gave it) and kept for any number of
// predictions. A kind may have any subset of the models (none: it was not trained; runtime
// alone: trained on runtime-only rows) — but the network-level form, which one fit writes whole,
// holds exactly the files its network.json lists. A file of the wrong preset, a damaged file, a
// network-level model without network.json, a listed file missing or a file not listed, or a
// directory mixing the two forms is an error naming the file.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/directory.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/model/pipeline_file.hpp"
#include "layerwatt/model/preset_catalog.hpp"
#include "layerwatt/model/target.hpp"
#include "layerwatt/predict/layer_model.hpp"
#include "layerwatt/train/network_model_dir.hpp"
#include "layerwatt/train/network_presets.hpp"

namespace layerwatt::predict {

struct kind_models {
  std::optional<layer_model> power, runtime, energy;
  [[nodiscard]] bool empty() const noexcept { return !power && !runtime && !energy; }
};

struct model_set {
  std::array<kind_models, all_layer_kinds.size()> kinds;  ///< indexed by layer_kind
  /// The per-inference overhead of a network-level model directory; none for per-layer models.
  std::optional<train::network_constants> network;

  [[nodiscard]] const kind_models& of(layer_kind kind) const noexcept { return kinds[static_cast<std::size_t>(kind)]; }
  [[nodiscard]] kind_models& of(layer_kind kind) noexcept { return kinds[static_cast<std::size_t>(kind)]; }
};

namespace detail {

inline layer_model with_precisions(layer_model model, const io::json_node& root) {
  if (const auto precisions = root.find(model::training_precisions_key)) model.set_training_precisions(precisions->as_strings());
  return model;
}

/// A per-layer (reference-shaped) model of (Kind, t), t power or runtime.
template <layer_kind Kind>
layer_model load_preset_model(const io::json_document& document, target t) {
  const auto name_node = document.root().object_member("pipeline");
  const std::string name = name_node.as_string();
  return presets::visit_preset<Kind>(
      t, [&]<template <std::size_t, typename, model::coefficient_sign> class Preset>(presets::preset_template<Preset>) {
        const auto shape = presets::shape_named<Preset>(name);
        if (!shape)
          name_node.fail(fmt::format("a {} model (\"{}\" or a shape of it), got \"{}\"", presets::preset_name(Kind, t),
                                     presets::reference_shape_of<Preset>::name(), name));
        return presets::with_shape<Preset>(*shape, [&]<typename P>(std::type_identity<P>) {
          return with_precisions(layer_model(model::pipeline_from_json<P>(document.root()), name), document.root());
        });
      });
}

/// A network-level model of (Kind, t), t runtime or energy.
template <layer_kind Kind>
layer_model load_network_model(const io::json_document& document, target t) {
  return network_presets::visit_network_preset<Kind>(t, [&]<typename P>(std::type_identity<P>) {
    return with_precisions(layer_model(model::pipeline_from_json<P>(document.root()), P::name()), document.root());
  });
}

template <layer_kind Kind>
std::optional<layer_model> load_if_present(const std::filesystem::path& models_dir, target t, bool network) {
  std::error_code ec;
  const auto file = presets::model_file(models_dir, Kind, t);
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const io::json_document document(file);
  if (network) return load_network_model<Kind>(document, t);
  if (const auto name = document.root().find("pipeline"); name && name->as_string().starts_with("network_"))
    throw error(fmt::format("{}: a network-level model (\"{}\"), but {} is missing: the directory is incomplete; "
                            "train the models again",
                            file.string(), name->as_string(), train::network_constants_file(models_dir).string()));
  return load_preset_model<Kind>(document, t);
}

/// A network-level model file is there exactly where network.json lists it: checked before it is
/// read, so a stray file of another fit is named as that, whatever it holds.
inline void check_listed(const std::filesystem::path& file, bool listed, const std::filesystem::path& models_dir) {
  std::error_code ec;
  const bool present = std::filesystem::exists(file, ec);
  if (present == listed) return;
  const auto list = train::network_constants_file(models_dir).string();
  if (present)
    throw error(fmt::format("{}: not among the models {} lists: the directory mixes two fits; train the models again",
                            file.string(), list));
  throw error(fmt::format("{}: missing, though {} lists it: the directory is incomplete; train the models again",
                          file.string(), list));
}

// As train_presets.hpp: a build that compiles every shape's loader once defines
// LAYERWATT_PRECOMPILED_PRESETS.
#ifdef LAYERWATT_PRECOMPILED_PRESETS
extern template layer_model load_preset_model<layer_kind::convolutional>(const io::json_document&, target);
extern template layer_model load_preset_model<layer_kind::pooling>(const io::json_document&, target);
extern template layer_model load_preset_model<layer_kind::dense>(const io::json_document&, target);
extern template layer_model load_preset_model<layer_kind::memory_bound>(const io::json_document&, target);
#endif

}  // namespace detail

inline model_set load_model_set(const std::filesystem::path& models_dir) {
  std::error_code ec;
  io::require_directory(models_dir, "a model directory (as `layerwatt train --out` writes)");
  model_set set;
  set.network = train::read_network_constants(models_dir);
  const bool network = set.network.has_value();
  bool any = false;
  for (const auto kind : all_layer_kinds)
    dataset::with_layout(kind, [&]<layer_kind Kind>(dataset::training_layout<Kind>) {
      auto& models = set.of(Kind);
      for (const auto t : {target::power, target::runtime, target::energy}) {
        const bool belongs = network ? t != target::power : t != target::energy;
        const auto file = presets::model_file(models_dir, Kind, t);
        if (!belongs) {
          if (std::filesystem::exists(file, ec))
            throw error(fmt::format("{}: a model of {} in a {} model directory{}", file.string(), to_string(t),
                                    network ? "network-level" : "per-layer",
                                    network ? " (network.json is there)" : " (no network.json)"));
          continue;
        }
        if (network) detail::check_listed(file, set.network->models[static_cast<std::size_t>(Kind)].of(t), models_dir);
        auto loaded = detail::load_if_present<Kind>(models_dir, t, network);
        (t == target::power ? models.power : t == target::runtime ? models.runtime : models.energy) = std::move(loaded);
      }
      any = any || !models.empty();
    });
  if (!any)
    throw error(fmt::format("{}: no models in it (expected <convolutional|pooling|dense|memory_bound>/"
                            "<power|runtime|energy>.json)",
                            models_dir.string()));
  return set;
}

}  // namespace layerwatt::predict
