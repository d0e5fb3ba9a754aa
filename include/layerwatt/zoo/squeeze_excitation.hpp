#pragma once
// Squeeze-and-excitation as torchvision.ops.SqueezeExcitation defines it (MobileNetV3,
// EfficientNet): a global average pool, a 1×1 convolution to `squeeze_channels` with an
// activation, a 1×1 convolution back to the channels, a gate activation and the channel-wise
// product with the input. TensorRT runs the pool as a reduce, the two convolutions on [N, C, 1, 1]
// (dense layers by what they compute), the gate as a pointwise layer and the product as an
// element-wise one.

#include <string>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

/// `x` scaled by its squeeze-and-excitation gate; `path` is the module's (its parts are
/// `/avgpool`, `/fc1`, `/fc2`, `/scale_activation`).
inline tensor squeeze_excitation(network_builder& b, const tensor& x, const std::string& path,
                                 std::int64_t squeeze_channels, activation act, activation gate) {
  tensor s = b.adaptive_avg_pool(x, path + "/avgpool", 1, 1);
  s = b.conv(s, path + "/fc1", {.out_channels = squeeze_channels, .batch_norm = false, .act = act});
  s = b.conv(s, path + "/fc2", {.out_channels = x.dims[1], .batch_norm = false, .act = activation::none});
  s = b.pointwise(s, path + "/scale_activation", gate);
  return b.multiply(x, s, path);
}

}  // namespace layerwatt::zoo
