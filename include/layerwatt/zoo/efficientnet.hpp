#pragma once
// EfficientNet (B0, B4) and EfficientNetV2 (M) as torchvision 0.14 defines them
// (torchvision/models/efficientnet.py). A stage repeats one block:
//  - MBConv: a 1×1 expansion (where the expansion ratio is not 1), a k×k depthwise convolution,
//    squeeze-and-excitation (squeezing to a quarter of the block's input channels, SiLU, sigmoid
//    gate) and a 1×1 linear projection;
//  - FusedMBConv (EfficientNetV2's early stages): a k×k expansion and a 1×1 projection, or one
//    k×k convolution where the ratio is 1;
// each convolution with batch norm and SiLU (none after a projection), a shortcut add where a
// block keeps its shape. TensorRT fuses the batch norms and a shortcut add into the projection
// before it; SiLU does not fuse (a pointwise layer after its convolution), so a FusedMBConv of
// ratio 1 adds its shortcut in an element-wise layer. Stochastic depth and dropout do not exist
// at inference. B-variants scale the widths (make_divisible) and depths (rounded up) of B0.

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>

#include "layerwatt/zoo/make_divisible.hpp"
#include "layerwatt/zoo/network_builder.hpp"
#include "layerwatt/zoo/squeeze_excitation.hpp"

namespace layerwatt::zoo {

/// A row of the EfficientNet papers' tables (torchvision's MBConvConfig, FusedMBConvConfig).
struct efficientnet_stage {
  bool fused;  ///< FusedMBConv blocks rather than MBConv
  double expand_ratio;
  std::int64_t kernel, stride, in_channels, out_channels;
  int layers;
};

struct efficientnet_config {
  std::span<const efficientnet_stage> stages;
  double width_mult = 1, depth_mult = 1;
  std::int64_t last_channels = 0;  ///< the head's 1×1 convolution; 0: four times the last stage's width
};

/// EfficientNet-B0 (the paper's Table 1), which B1–B7 scale.
inline constexpr std::array<efficientnet_stage, 7> efficientnet_b0_stages = {{
    {false, 1, 3, 1, 32, 16, 1},
    {false, 6, 3, 2, 16, 24, 2},
    {false, 6, 5, 2, 24, 40, 2},
    {false, 6, 3, 2, 40, 80, 3},
    {false, 6, 5, 1, 80, 112, 3},
    {false, 6, 5, 2, 112, 192, 4},
    {false, 6, 3, 1, 192, 320, 1},
}};
/// EfficientNetV2-M (torchvision's table, after the EfficientNetV2 paper's Table 4 for S).
inline constexpr std::array<efficientnet_stage, 7> efficientnet_v2_m_stages = {{
    {true, 1, 3, 1, 24, 24, 3},
    {true, 4, 3, 2, 24, 48, 5},
    {true, 4, 3, 2, 48, 80, 5},
    {false, 4, 3, 2, 80, 160, 7},
    {false, 6, 3, 1, 160, 176, 14},
    {false, 6, 3, 2, 176, 304, 18},
    {false, 6, 3, 1, 304, 512, 5},
}};

inline constexpr efficientnet_config efficientnet_b0_config{efficientnet_b0_stages};
inline constexpr efficientnet_config efficientnet_b4_config{efficientnet_b0_stages, 1.4, 1.8};
inline constexpr efficientnet_config efficientnet_v2_m_config{efficientnet_v2_m_stages, 1, 1, 1280};

inline tensor efficientnet(network_builder& b, const efficientnet_config& config) {
  const auto width = [&](std::int64_t channels) {
    return make_divisible(static_cast<double>(channels) * config.width_mult);
  };
  // A k×k convolution with batch norm, "same" padding and SiLU (or no activation).
  const auto conv_bn = [&b](const tensor& x, const std::string& path, std::int64_t out, std::int64_t kernel,
                            std::int64_t stride, std::int64_t groups, activation act, const tensor* residual) {
    return b.conv(x, path, {.out_channels = out, .kernel = kernel, .stride = stride, .padding = (kernel - 1) / 2,
                            .groups = groups, .act = act, .residual = residual});
  };
  std::int64_t channels = width(config.stages.front().in_channels);
  tensor x = conv_bn(b.input(), "/features/0/0", channels, 3, 2, 1, activation::silu, nullptr);
  int index = 1;
  for (const auto& stage : config.stages) {
    const int layers = static_cast<int>(std::ceil(stage.layers * config.depth_mult));
    const std::int64_t out_channels = width(stage.out_channels);
    for (int i = 0; i < layers; ++i) {
      const std::string prefix = fmt::format("/features/{}/{}", index, i);
      const std::string block = prefix + "/block";
      const std::int64_t stride = i == 0 ? stage.stride : 1;
      const std::int64_t expanded = make_divisible(static_cast<double>(channels) * stage.expand_ratio);
      const tensor* shortcut = stride == 1 && channels == out_channels ? &x : nullptr;
      int part = 0;
      const auto next = [&] { return fmt::format("{}/{}/0", block, part++); };
      tensor y = x;
      if (stage.fused && expanded == channels) {
        y = conv_bn(y, next(), out_channels, stage.kernel, stride, 1, activation::silu, nullptr);
        x = shortcut ? b.add(y, x, prefix) : y;
      } else {
        if (stage.fused) {
          y = conv_bn(y, next(), expanded, stage.kernel, stride, 1, activation::silu, nullptr);
        } else {
          if (expanded != channels) y = conv_bn(y, next(), expanded, 1, 1, 1, activation::silu, nullptr);
          y = conv_bn(y, next(), expanded, stage.kernel, stride, expanded, activation::silu, nullptr);
          y = squeeze_excitation(b, y, fmt::format("{}/{}", block, part++), std::max<std::int64_t>(1, channels / 4),
                                 activation::silu, activation::sigmoid);
        }
        x = conv_bn(y, next(), out_channels, 1, 1, 1, activation::none, shortcut);
      }
      channels = out_channels;
    }
    ++index;
  }
  const std::int64_t last = config.last_channels > 0 ? config.last_channels : 4 * channels;
  x = conv_bn(x, fmt::format("/features/{}/0", index), last, 1, 1, 1, activation::silu, nullptr);
  x = b.adaptive_avg_pool(x, "/avgpool", 1, 1);
  x = b.flatten(x, "/flatten");
  return b.linear(x, "/classifier/1", 1000, activation::none);
}

}  // namespace layerwatt::zoo
