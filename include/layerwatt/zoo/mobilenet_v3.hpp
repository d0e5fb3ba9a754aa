#pragma once
// MobileNetV3 large and small as torchvision defines them (width 1.0, no dilation): inverted
// residual blocks with 3×3 or 5×5 depthwise convolutions, optional squeeze-and-excitation
// (global pool, two 1×1 convolutions, hardsigmoid, a channel-wise product) and ReLU or
// hardswish. ReLU fuses into the convolutions; hardswish and hardsigmoid are pointwise layers.

#include <array>
#include <span>

#include "layerwatt/zoo/make_divisible.hpp"
#include "layerwatt/zoo/network_builder.hpp"
#include "layerwatt/zoo/squeeze_excitation.hpp"

namespace layerwatt::zoo {

struct mobilenet_v3_block {
  std::int64_t kernel, expanded, out_channels;
  bool squeeze_excite, hardswish;
  std::int64_t stride;
};

struct mobilenet_v3_config {
  std::span<const mobilenet_v3_block> blocks;
  std::int64_t last_channels;  ///< the classifier's hidden width
};

inline constexpr std::array<mobilenet_v3_block, 15> mobilenet_v3_large_blocks = {{
    {3, 16, 16, false, false, 1},   {3, 64, 24, false, false, 2},   {3, 72, 24, false, false, 1},
    {5, 72, 40, true, false, 2},    {5, 120, 40, true, false, 1},   {5, 120, 40, true, false, 1},
    {3, 240, 80, false, true, 2},   {3, 200, 80, false, true, 1},   {3, 184, 80, false, true, 1},
    {3, 184, 80, false, true, 1},   {3, 480, 112, true, true, 1},   {3, 672, 112, true, true, 1},
    {5, 672, 160, true, true, 2},   {5, 960, 160, true, true, 1},   {5, 960, 160, true, true, 1},
}};
inline constexpr std::array<mobilenet_v3_block, 11> mobilenet_v3_small_blocks = {{
    {3, 16, 16, true, false, 2},
    {3, 72, 24, false, false, 2},
    {3, 88, 24, false, false, 1},
    {5, 96, 40, true, true, 2},
    {5, 240, 40, true, true, 1},
    {5, 240, 40, true, true, 1},
    {5, 120, 48, true, true, 1},
    {5, 144, 48, true, true, 1},
    {5, 288, 96, true, true, 2},
    {5, 576, 96, true, true, 1},
    {5, 576, 96, true, true, 1},
}};
inline constexpr mobilenet_v3_config mobilenet_v3_large_config{mobilenet_v3_large_blocks, 1280};
inline constexpr mobilenet_v3_config mobilenet_v3_small_config{mobilenet_v3_small_blocks, 1024};

inline tensor mobilenet_v3(network_builder& b, const mobilenet_v3_config& config) {
  tensor x = b.conv(b.input(), "/features/0/0",
                    {.out_channels = 16, .kernel = 3, .stride = 2, .padding = 1, .act = activation::hardswish});
  std::int64_t in_channels = 16;
  int index = 1;
  for (const auto& block : config.blocks) {
    const std::string prefix = fmt::format("/features/{}/block", index++);
    const activation act = block.hardswish ? activation::hardswish : activation::relu;
    int part = 0;
    tensor y = x;
    if (block.expanded != in_channels)
      y = b.conv(y, fmt::format("{}/{}/0", prefix, part++), {.out_channels = block.expanded, .act = act});
    y = b.conv(y, fmt::format("{}/{}/0", prefix, part++),
               {.out_channels = block.expanded, .kernel = block.kernel, .stride = block.stride,
                .padding = (block.kernel - 1) / 2, .groups = block.expanded, .act = act});
    if (block.squeeze_excite)
      y = squeeze_excitation(b, y, fmt::format("{}/{}", prefix, part++),
                             make_divisible(static_cast<double>(block.expanded / 4)), activation::relu,
                             activation::hardsigmoid);
    const bool shortcut = block.stride == 1 && in_channels == block.out_channels;
    x = b.conv(y, fmt::format("{}/{}/0", prefix, part),
               {.out_channels = block.out_channels, .act = activation::none, .residual = shortcut ? &x : nullptr});
    in_channels = block.out_channels;
  }
  x = b.conv(x, fmt::format("/features/{}/0", index), {.out_channels = 6 * in_channels, .act = activation::hardswish});
  x = b.adaptive_avg_pool(x, "/avgpool", 1, 1);
  x = b.flatten(x, "/flatten");
  x = b.linear(x, "/classifier/0", config.last_channels, activation::hardswish);
  return b.linear(x, "/classifier/3", 1000, activation::none);
}

}  // namespace layerwatt::zoo
