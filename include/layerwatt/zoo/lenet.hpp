#pragma once
// LeNet as the reference experiment defines it (jetson/power_logging/model/lenet.py), for a
// 1×32×32 input: two 3×3 convolutions with ReLU, each followed by a 2×2 max-pool, then three
// linear layers 576 → 120 → 84 → 10.

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

inline tensor lenet(network_builder& b) {
  tensor x = b.conv(b.input(), "/feat/conv1", {.out_channels = 128, .kernel = 3, .batch_norm = false});
  x = b.max_pool(x, "/feat", 2, 2, 0);
  x = b.conv(x, "/feat/conv2", {.out_channels = 16, .kernel = 3, .batch_norm = false});
  x = b.max_pool(x, "/feat", 2, 2, 0);
  x = b.flatten(x, "/classifer");  // sic: the reference's module name
  x = b.linear(x, "/classifer/fc1", 120, activation::relu);
  x = b.linear(x, "/classifer/fc2", 84, activation::relu);
  return b.linear(x, "/classifer/fc3", 10, activation::none);
}

}  // namespace layerwatt::zoo
