#pragma once
// AlexNet as torchvision defines it (torchvision.models.alexnet): five convolutions with ReLU,
// three 3×3/2 max-pools, adaptive average pooling to 6×6 and three linear layers.

#include "layerwatt/zoo/imagenet_head.hpp"
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
  return imagenet_head(b, x, 6, {"/classifier/1", "/classifier/4", "/classifier/6"});
}

}  // namespace layerwatt::zoo
