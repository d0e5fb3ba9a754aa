#pragma once
// What a TensorRT layer asks of the hardware, read from its engine-inspector entry alone (so a
// real engine file can be simulated as well as a zoo network): floating-point operations, bytes
// moved, output elements, and the kind of kernel that runs it.
//
// Convolutions count groups: a convolution of C input channels in G groups multiplies each output
// by C/G inputs per kernel position, so a depthwise 3×3 costs 2·9 FLOPs per output, not 2·9·C.

#include <cstdint>
#include <functional>
#include <numeric>
#include <span>
#include <string>
#include <string_view>

#include "layerwatt/io/engine_info.hpp"

namespace layerwatt::sim {

enum class kernel_class {
  none,         ///< NoOp: TensorRT runs nothing (reshapes, squeezes)
  convolution,  ///< convolutions and GEMMs (tensor-core candidates)
  pooling,
  memory,       ///< reformat, element-wise, pointwise, normalisation, resize: bandwidth-bound
};

struct layer_cost {
  kernel_class kind = kernel_class::memory;
  double flops = 0;            ///< a multiply-add counts 2
  double bytes = 0;            ///< activations read and written, plus weights
  double weight_bytes = 0;
  double outputs = 0;          ///< output elements: the parallel work
  std::int64_t kernel_area = 0;         ///< kh·kw of a convolution, else 0
  std::int64_t stride = 1;              ///< the first stride of a convolution
  std::int64_t channels_per_group = 0;  ///< input channels each output sees (convolutions)
  std::int64_t out_channels_per_group = 0;
  io::precision precision = io::precision::unknown;
};

/// Bytes of one element; fp16 where the format names no type.
constexpr double element_bytes(io::precision p) noexcept {
  return p == io::precision::unknown ? 2 : io::bits_per_element(p) / 8.0;
}

inline double element_count(std::span<const std::int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), 1.0,
                         [](double acc, std::int64_t d) { return acc * static_cast<double>(d); });
}

/// Arithmetic per output element of the memory-bound layer types.
inline double flops_per_output(std::string_view layer_type) noexcept {
  if (layer_type == "Normalization") return 8;  // mean, variance, scale, shift
  if (layer_type == "PointWiseV2") return 6;    // hardswish, hardsigmoid, GELU
  if (layer_type == "ElementWise") return 2;
  return 0;  // copies
}

inline layer_cost cost_of(const io::engine_layer& l) {
  layer_cost c;
  if (!l.inputs.empty()) c.precision = l.inputs.front().precision();
  const double size = element_bytes(c.precision);
  double moved = 0;
  for (const auto& t : l.inputs) moved += element_count(t.dimensions);
  for (const auto& t : l.outputs) moved += element_count(t.dimensions);
  c.outputs = l.outputs.empty() ? 0 : element_count(l.outputs.front().dimensions);
  const auto* in = l.inputs.empty() ? nullptr : &l.inputs.front().dimensions;

  if (l.layer_type == "NoOp") {
    c.kind = kernel_class::none;
    return c;
  }
  if (l.kernel && l.out_maps && in && in->size() >= 2) {
    // CaskConvolution, CaskGemmConvolution, deconvolutions: output · (C/G) · kh · kw multiply-adds.
    const std::int64_t groups = l.groups.value_or(1);
    c.kind = kernel_class::convolution;
    c.kernel_area = std::accumulate(l.kernel->begin(), l.kernel->end(), std::int64_t{1}, std::multiplies<>());
    c.stride = l.stride && !l.stride->empty() ? l.stride->front() : 1;
    c.channels_per_group = (*in)[1] / groups;
    c.out_channels_per_group = *l.out_maps / groups;
    c.flops = 2 * c.outputs * static_cast<double>(c.channels_per_group * c.kernel_area);
    c.weight_bytes = static_cast<double>(*l.out_maps * c.channels_per_group * c.kernel_area) * size;
  } else if (l.layer_type == "gemm" && in && in->size() >= 2) {
    // A matrix multiply over the second dimension ([N, C, ...] × [C, K]).
    c.kind = kernel_class::convolution;
    c.kernel_area = 1;
    c.channels_per_group = (*in)[1];
    c.out_channels_per_group = l.outputs.empty() || l.outputs.front().dimensions.size() < 2
                                   ? 1
                                   : l.outputs.front().dimensions[1];
    c.flops = 2 * c.outputs * static_cast<double>(c.channels_per_group);
    c.weight_bytes = static_cast<double>(c.channels_per_group * c.out_channels_per_group) * size;
    moved = (in ? element_count(*in) : 0) + c.outputs;  // the weights are counted once, below
  } else if (l.window_size) {
    c.kind = kernel_class::pooling;
    c.flops = c.outputs * element_count(*l.window_size);
  } else {
    c.kind = kernel_class::memory;
    c.flops = c.outputs * flops_per_output(l.layer_type);
  }
  c.bytes = moved * size + c.weight_bytes;
  return c;
}

}  // namespace layerwatt::sim
