#pragma once
// ResNet 18/34/50/101/152 and ResNeXt as torchvision defines them (v1.5: a bottleneck's stride is
// on its 3×3 convolution). TensorRT fuses each block's shortcut add and final ReLU into the
// block's last convolution, and runs the projection shortcut just before it.

#include <array>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

struct resnet_config {
  bool bottleneck = false;
  std::array<int, 4> blocks{};
  std::int64_t groups = 1;
  std::int64_t width_per_group = 64;
};

inline constexpr resnet_config resnet18_config{false, {2, 2, 2, 2}};
inline constexpr resnet_config resnet34_config{false, {3, 4, 6, 3}};
inline constexpr resnet_config resnet50_config{true, {3, 4, 6, 3}};
inline constexpr resnet_config resnet101_config{true, {3, 4, 23, 3}};
inline constexpr resnet_config resnet152_config{true, {3, 8, 36, 3}};
inline constexpr resnet_config resnext50_32x4d_config{true, {3, 4, 6, 3}, 32, 4};
inline constexpr resnet_config resnext101_32x8d_config{true, {3, 4, 23, 3}, 32, 8};
inline constexpr resnet_config resnext101_64x4d_config{true, {3, 4, 23, 3}, 64, 4};

inline tensor resnet(network_builder& b, const resnet_config& config) {
  const std::int64_t expansion = config.bottleneck ? 4 : 1;
  tensor x = b.conv(b.input(), "/conv1", {.out_channels = 64, .kernel = 7, .stride = 2, .padding = 3});
  x = b.max_pool(x, "/maxpool", 3, 2, 1);
  std::int64_t in_channels = 64;
  for (int stage = 0; stage < 4; ++stage) {
    const std::int64_t planes = std::int64_t{64} << stage;
    const std::int64_t out_channels = planes * expansion;
    for (int block = 0; block < config.blocks[static_cast<std::size_t>(stage)]; ++block) {
      const std::string prefix = fmt::format("/layer{}/{}", stage + 1, block);
      const std::int64_t stride = block == 0 && stage > 0 ? 2 : 1;
      tensor y;
      if (config.bottleneck) {
        const std::int64_t width = planes * config.width_per_group / 64 * config.groups;
        y = b.conv(x, prefix + "/conv1", {.out_channels = width});
        y = b.conv(y, prefix + "/conv2",
                   {.out_channels = width, .kernel = 3, .stride = stride, .padding = 1, .groups = config.groups});
      } else {
        y = b.conv(x, prefix + "/conv1", {.out_channels = planes, .kernel = 3, .stride = stride, .padding = 1});
      }
      const tensor shortcut = stride != 1 || in_channels != out_channels
                                  ? b.conv(x, prefix + "/downsample/0",
                                           {.out_channels = out_channels, .stride = stride, .act = activation::none})
                                  : x;
      const auto last = config.bottleneck ? "/conv3" : "/conv2";
      x = b.conv(y, prefix + last,
                 config.bottleneck
                     ? conv_spec{.out_channels = out_channels, .residual = &shortcut}
                     : conv_spec{.out_channels = out_channels, .kernel = 3, .padding = 1, .residual = &shortcut});
      in_channels = out_channels;
    }
  }
  x = b.adaptive_avg_pool(x, "/avgpool", 1, 1);
  x = b.flatten(x, "/flatten");
  return b.linear(x, "/fc", 1000, activation::none);
}

}  // namespace layerwatt::zoo
