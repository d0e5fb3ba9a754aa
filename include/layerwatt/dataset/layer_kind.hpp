#pragma once
// The three layer kinds NeuralPower models, and how TensorRT names them.

#include <array>
#include <optional>
#include <string_view>

namespace layerwatt {

enum class layer_kind { convolutional, pooling, dense };

inline constexpr std::array<layer_kind, 3> all_layer_kinds = {
    layer_kind::convolutional, layer_kind::pooling, layer_kind::dense};

/// "convolutional", "pooling", "dense": the training CSV's stem and the models folder's name.
constexpr std::string_view to_string(layer_kind kind) noexcept {
  constexpr std::array<std::string_view, 3> names = {"convolutional", "pooling", "dense"};
  return names[static_cast<std::size_t>(kind)];
}

constexpr std::optional<layer_kind> layer_kind_from_string(std::string_view name) noexcept {
  for (const auto kind : all_layer_kinds)
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

/// TensorRT's engine-inspector LayerType → the kind we model; nullopt for every other type
/// (Reformat, NoOp, kgen, ...), which callers count and report rather than drop silently.
constexpr std::optional<layer_kind> classify_layer_type(std::string_view layer_type) noexcept {
  if (layer_type == "CaskConvolution") return layer_kind::convolutional;
  if (layer_type == "CaskPooling") return layer_kind::pooling;
  if (layer_type == "CaskGemmConvolution") return layer_kind::dense;
  return std::nullopt;
}

}  // namespace layerwatt
