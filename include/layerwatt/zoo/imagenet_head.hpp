#pragma once
// The classifier AlexNet and VGG share in torchvision: adaptive average pooling to a fixed size,
// flatten, two 4096-wide linear layers with ReLU (dropout vanishes at inference) and the
// 1000-class layer.

#include <array>
#include <string_view>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

/// `linear_paths`: the three linear layers' module paths (`/classifier/<index>`).
inline tensor imagenet_head(network_builder& b, const tensor& features, std::int64_t pooled,
                            const std::array<std::string_view, 3>& linear_paths) {
  tensor x = b.adaptive_avg_pool(features, "/avgpool", pooled, pooled);
  x = b.flatten(x, "/flatten");
  x = b.linear(x, linear_paths[0], 4096, activation::relu);
  x = b.linear(x, linear_paths[1], 4096, activation::relu);
  return b.linear(x, linear_paths[2], 1000, activation::none);
}

}  // namespace layerwatt::zoo
