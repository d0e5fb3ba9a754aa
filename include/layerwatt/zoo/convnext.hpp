#pragma once
// ConvNeXt tiny, small and base as torchvision defines them. A block is a 7×7 depthwise
// convolution, layer norm, a channel MLP (C → 4C, GELU, 4C → C) and a layer-scaled residual add;
// stages are joined by layer norm and a 2×2/2 convolution; the stem is a 4×4/4 convolution and
// layer norm. TensorRT's Myelin backend runs the MLP's matrix multiplies as `gemm` layers.

#include <array>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

struct convnext_config {
  std::array<std::int64_t, 4> channels{};
  std::array<int, 4> blocks{};
};

inline constexpr convnext_config convnext_tiny_config{{96, 192, 384, 768}, {3, 3, 9, 3}};
inline constexpr convnext_config convnext_small_config{{96, 192, 384, 768}, {3, 3, 27, 3}};
inline constexpr convnext_config convnext_base_config{{128, 256, 512, 1024}, {3, 3, 27, 3}};

inline tensor convnext(network_builder& b, const convnext_config& config) {
  const conv_spec plain{.batch_norm = false, .act = activation::none};
  conv_spec stem = plain;
  stem.out_channels = config.channels[0];
  stem.kernel = stem.stride = 4;
  tensor x = b.conv(b.input(), "/features/0/0", stem);
  x = b.layer_norm(x, "/features/0/1");
  for (std::size_t stage = 0; stage < 4; ++stage) {
    const std::int64_t c = config.channels[stage];
    if (stage > 0) {
      const std::string path = fmt::format("/features/{}", 2 * stage);
      x = b.layer_norm(x, path + "/0");
      conv_spec down = plain;
      down.out_channels = c;
      down.kernel = down.stride = 2;
      x = b.conv(x, path + "/1", down);
    }
    for (int block = 0; block < config.blocks[stage]; ++block) {
      const std::string path = fmt::format("/features/{}/{}", 2 * stage + 1, block);
      conv_spec depthwise = plain;
      depthwise.out_channels = depthwise.groups = c;
      depthwise.kernel = 7;
      depthwise.padding = 3;
      tensor y = b.conv(x, path + "/block/0", depthwise);
      y = b.layer_norm(y, path + "/block/2");
      y = b.channel_linear(y, path + "/block/3", 4 * c);
      y = b.pointwise(y, path + "/block/4", activation::gelu);
      y = b.channel_linear(y, path + "/block/5", c);
      x = b.add(y, x, path, true);
    }
  }
  x = b.adaptive_avg_pool(x, "/avgpool", 1, 1);
  x = b.layer_norm(x, "/classifier/0");
  x = b.flatten(x, "/classifier/1");
  return b.linear(x, "/classifier/2", 1000, activation::none);
}

}  // namespace layerwatt::zoo
