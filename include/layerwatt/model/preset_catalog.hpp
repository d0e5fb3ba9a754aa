#pragma once
// The eight presets by what they model — a layer kind and a target — for code that walks all of
// them (training, loading a model directory):
//
//   presets::visit_preset<layer_kind::pooling>(target::runtime,
//       [&]<template <std::size_t, typename, model::coefficient_sign> class P>(presets::preset_template<P>) {
//         ... P<>::name() ...
//       });

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "layerwatt/core/error.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/model/preset_shape.hpp"
#include "layerwatt/model/presets.hpp"
#include "layerwatt/model/target.hpp"

namespace layerwatt::presets {

/// Names in (kind, target) order: convolutional power, runtime, pooling power, ...
inline constexpr std::array<std::string_view, 8> preset_names = {
    "conv_power", "conv_runtime", "pooling_power", "pooling_runtime",
    "dense_power", "dense_runtime", "memory_power", "memory_runtime"};

constexpr std::string_view preset_name(layer_kind kind, target t) noexcept {
  return preset_names[static_cast<std::size_t>(kind) * 2 + static_cast<std::size_t>(t)];
}

/// Where a model directory keeps the fitted preset of (kind, t): MODELS_DIR/<kind>/<target>.json
inline std::filesystem::path model_file(const std::filesystem::path& models_dir, layer_kind kind, target t) {
  return models_dir / std::string(to_string(kind)) / (std::string(to_string(t)) + ".json");
}

/// Calls visit(preset_template<P>{}) with the preset class template modelling (Kind, t); every
/// preset of a kind reads that kind's feature columns.
template <layer_kind Kind, typename Visit>
decltype(auto) visit_preset(target t, Visit&& visit) {
  if (t == target::energy)
    throw error("the per-layer presets model power and runtime; energy is fitted network-level (train/network_fit.hpp)");
  const bool power = t == target::power;
  if constexpr (Kind == layer_kind::convolutional)
    return power ? visit(preset_template<conv_power_pipeline>{}) : visit(preset_template<conv_runtime_pipeline>{});
  else if constexpr (Kind == layer_kind::pooling)
    return power ? visit(preset_template<pooling_power_pipeline>{}) : visit(preset_template<pooling_runtime_pipeline>{});
  else if constexpr (Kind == layer_kind::dense)
    return power ? visit(preset_template<dense_power_pipeline>{}) : visit(preset_template<dense_runtime_pipeline>{});
  else
    return power ? visit(preset_template<memory_power_pipeline>{}) : visit(preset_template<memory_runtime_pipeline>{});
}

}  // namespace layerwatt::presets
