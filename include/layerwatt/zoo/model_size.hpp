#pragma once
// A network's size as torchinfo counts its PyTorch definition — the figures papers and data sets
// quote (the iCAS-Lab Jetson Nano data set's `Total Parameters` and `Total MACs`, for one):
//  - parameters: every weight, bias, batch-norm scale and shift, and layer scale;
//  - MACs: summed over the modules that compute (torchinfo's leaf modules), each of a module's
//    `weight` and `bias` tensors counting its elements times
//      N·H_out·W_out   in a convolution, transposed ones included (so a transposed convolution
//                      counts weights × output pixels: k_h·k_w times the multiply-adds it runs),
//      the output rows in a linear layer (N for a classifier; every position for a per-position
//                      linear layer such as ConvNeXt's MLP — torchinfo's rule since November
//                      2024; its 1.8.0 release and earlier count such a layer once per sample),
//      N               in anything else: a batch or layer norm adds 2·C per sample;
//    a bias counts as much as a weight column, an activation, pooling or element-wise operation
//    nothing, and a parameter held outside such a module (ConvNeXt's layer scale) nothing.
// (torchinfo/layer_info.py, LayerInfo.calculate_macs; model_statistics.py.) The network
// builder adds a layer's share as it builds it (network_builder::size()); tests/zoo/
// torchinfo_counts.py applies the same rule to the frameworks' own modules.

#include <cstdint>

namespace layerwatt::zoo {

struct model_size {
  std::int64_t parameters = 0;
  std::int64_t macs = 0;  ///< torchinfo's multiply-accumulates, for the whole batch

  model_size& operator+=(const model_size& other) noexcept {
    parameters += other.parameters;
    macs += other.macs;
    return *this;
  }
  bool operator==(const model_size&) const = default;
};

/// A module whose `parameters` each count once per output position (`positions`): a
/// convolution (N·H_out·W_out) or a linear layer (its output rows).
constexpr model_size per_position(std::int64_t parameters, std::int64_t positions) noexcept {
  return {parameters, parameters * positions};
}

/// A batch norm or layer norm over `channels`: a scale and a shift per channel, counted once per
/// sample of the `batch`.
constexpr model_size normalization(std::int64_t channels, std::int64_t batch) noexcept {
  return {2 * channels, 2 * channels * batch};
}

}  // namespace layerwatt::zoo
