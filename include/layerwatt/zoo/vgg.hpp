#pragma once
// VGG 11/13/16/19 without batch norm, as torchvision defines them (configurations A, B, D, E):
// 3×3 convolutions with ReLU in five blocks closed by 2×2 max-pools, adaptive average pooling to
// 7×7 (elided by TensorRT at a 224×224 input) and three linear layers.

#include <array>
#include <span>

#include "layerwatt/zoo/imagenet_head.hpp"
#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

/// Output channels of each convolution; 0 marks a max-pool.
inline std::span<const std::int64_t> vgg_configuration(int depth) {
  static constexpr std::array<std::int64_t, 13> a = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
  static constexpr std::array<std::int64_t, 15> b = {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
  static constexpr std::array<std::int64_t, 18> d = {64,  64,  0,   128, 128, 0,   256, 256, 256,
                                                     0,   512, 512, 512, 0,   512, 512, 512, 0};
  static constexpr std::array<std::int64_t, 21> e = {64,  64,  0,   128, 128, 0,   256, 256, 256, 256, 0,
                                                     512, 512, 512, 512, 0,   512, 512, 512, 512, 0};
  switch (depth) {
    case 11: return a;
    case 13: return b;
    case 16: return d;
    case 19: return e;
    default: throw error(fmt::format("vgg{}: no such configuration; VGG has depth 11, 13, 16 or 19", depth));
  }
}

inline tensor vgg(network_builder& b, int depth) {
  tensor x = b.input();
  int index = 0;  // torchvision's index in `features`: a convolution and its ReLU take two
  for (const std::int64_t channels : vgg_configuration(depth)) {
    const std::string path = fmt::format("/features/{}", index);
    if (channels == 0) {
      x = b.max_pool(x, path, 2, 2, 0);
      index += 1;
    } else {
      x = b.conv(x, path, {.out_channels = channels, .kernel = 3, .padding = 1, .batch_norm = false});
      index += 2;
    }
  }
  return imagenet_head(b, x, 7, {"/classifier/0", "/classifier/3", "/classifier/6"});
}

}  // namespace layerwatt::zoo
