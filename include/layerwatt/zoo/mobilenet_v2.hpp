#pragma once
// MobileNetV2 as torchvision defines it (width 1.0): inverted residual blocks of a 1×1 expansion,
// a 3×3 depthwise convolution (groups = channels) and a 1×1 linear projection, ReLU6 fused into
// the convolutions; the shortcut add is fused into the projection where the block keeps its shape.

#include <array>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

inline tensor mobilenet_v2(network_builder& b) {
  struct stage {
    std::int64_t expansion, channels;
    int repeats;
    std::int64_t stride;
  };
  static constexpr std::array<stage, 7> stages = {
      {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}}};
  tensor x = b.conv(b.input(), "/features/0/0",
                    {.out_channels = 32, .kernel = 3, .stride = 2, .padding = 1, .act = activation::relu6});
  std::int64_t in_channels = 32;
  int index = 1;
  for (const auto& s : stages) {
    for (int i = 0; i < s.repeats; ++i, ++index) {
      const std::string prefix = fmt::format("/features/{}/conv", index);
      const std::int64_t stride = i == 0 ? s.stride : 1;
      const std::int64_t hidden = in_channels * s.expansion;
      int part = 0;
      tensor y = x;
      if (s.expansion != 1)
        y = b.conv(y, fmt::format("{}/{}/0", prefix, part++), {.out_channels = hidden, .act = activation::relu6});
      y = b.conv(y, fmt::format("{}/{}/0", prefix, part++),
                 {.out_channels = hidden, .kernel = 3, .stride = stride, .padding = 1, .groups = hidden,
                  .act = activation::relu6});
      const bool shortcut = stride == 1 && in_channels == s.channels;
      x = b.conv(y, fmt::format("{}/{}", prefix, part),
                 {.out_channels = s.channels, .act = activation::none, .residual = shortcut ? &x : nullptr});
      in_channels = s.channels;
    }
  }
  x = b.conv(x, fmt::format("/features/{}/0", index), {.out_channels = 1280, .act = activation::relu6});
  x = b.adaptive_avg_pool(x, "/adaptive_avg_pool2d", 1, 1);
  x = b.flatten(x, "/flatten");
  return b.linear(x, "/classifier/1", 1000, activation::none);
}

}  // namespace layerwatt::zoo
