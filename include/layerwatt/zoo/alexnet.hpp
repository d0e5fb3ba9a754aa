#pragma once
// AlexNet as torchvision defines it (torchvision.models.alexnet): five convolutions with ReLU,
// three 3×3/2 max-pools, adaptive average pooling to 6×6 and three linear layers.

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

inline tensor alexnet(network_builder& b) {
  const auto conv = [&b](const tensor& x, const char* path, std::int64_t out, std::int64_t k, std::int64_t s,
                         std::int64_t p) {
    return b.conv(x, path, {.out_channels = out, .kernel = k, .stride = s, .padding = p, .batch_norm = false});
  };
  tensor x = conv(b.input(), "/features/0", 64, 11, 4, 2);
  x = b.max_pool(x, "/features/2", 3, 2, 0);
  x = conv(x, "/features/3", 192, 5, 1, 2);
  x = b.max_pool(x, "/features/5", 3, 2, 0);
  x = conv(x, "/features/6", 384, 3, 1, 1);
  x = conv(x, "/features/8", 256, 3, 1, 1);
  x = conv(x, "/features/10", 256, 3, 1, 1);
  x = b.max_pool(x, "/features/12", 3, 2, 0);
  x = b.adaptive_avg_pool(x, "/avgpool", 6, 6);
  x = b.flatten(x, "/flatten");
  x = b.linear(x, "/classifier/1", 4096, activation::relu);
  x = b.linear(x, "/classifier/4", 4096, activation::relu);
  return b.linear(x, "/classifier/6", 1000, activation::none);
}

}  // namespace layerwatt::zoo
