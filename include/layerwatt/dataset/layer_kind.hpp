#pragma once
// The layer kinds layerwatt models — NeuralPower's three and the memory-bound layers — and the
// reference's rule that names three of them by TensorRT's kernel family. What a layer of a real
// engine is, whatever kernel runs it, is decided by dataset/classify.hpp.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace layerwatt {

/// A kind with its own feature columns, training CSV and models.
///   convolutional  convolutions of every form: dense, grouped, depthwise, dilated, transposed
///   pooling        max and average pooling, windowed or global (a spatial mean included)
///   dense          fully connected layers: a matrix multiply with a weight
///   memory_bound   layers that move or combine tensors without a weight reduction (element-wise,
///                  activation, reformat, shuffle, concatenation, normalisation, softmax, ...):
///                  their cost follows the bytes they read and write
enum class layer_kind { convolutional, pooling, dense, memory_bound };

inline constexpr std::array<layer_kind, 4> all_layer_kinds = {layer_kind::convolutional, layer_kind::pooling,
                                                              layer_kind::dense, layer_kind::memory_bound};

/// "convolutional", "pooling", "dense", "memory_bound": the training CSV's stem and the models folder's name.
constexpr std::string_view to_string(layer_kind kind) noexcept {
  constexpr std::array<std::string_view, 4> names = {"convolutional", "pooling", "dense", "memory_bound"};
  return names[static_cast<std::size_t>(kind)];
}

constexpr std::optional<layer_kind> layer_kind_from_string(std::string_view name) noexcept {
  for (const auto kind : all_layer_kinds)
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

/// The reference's rule (its data preprocessing): a kind by the engine inspector's LayerType
/// alone — CaskConvolution, CaskPooling and CaskGemmConvolution — and nothing for every other
/// type. It calls every GEMM-run 1×1 convolution dense and never models a memory-bound layer;
/// kept so that the reference's results stay reproducible (`--classify reference`).
constexpr std::optional<layer_kind> classify_layer_type(std::string_view layer_type) noexcept {
  if (layer_type == "CaskConvolution") return layer_kind::convolutional;
  if (layer_type == "CaskPooling") return layer_kind::pooling;
  if (layer_type == "CaskGemmConvolution") return layer_kind::dense;
  return std::nullopt;
}

}  // namespace layerwatt
