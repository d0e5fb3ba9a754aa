#pragma once
// ShuffleNetV2 x1.0 as torchvision 0.14 defines it (torchvision/models/shufflenetv2.py): a 3×3/2
// stem and max-pool, three stages of inverted residual units (4, 8, 4; 116, 232, 464 channels)
// and a 1×1 convolution to 1024 before the global mean and the classifier. A unit of stride 1
// splits its channels in two (torch.chunk), runs a 1×1, a 3×3 depthwise and a 1×1 convolution
// on the second half and concatenates it to the first; a unit of stride 2 runs two branches
// (3×3/2 depthwise then 1×1; 1×1, 3×3/2 depthwise, 1×1) on the whole input and concatenates
// them. Then the channel shuffle: a view as [N, 2, C/2, H, W], a transpose of the two channel
// axes, a view back. Batch norms fuse into the convolutions, ReLU into those it follows.
//
// As the ONNX front end builds the same graph (docs/onnx.md): each half of a split is a `Slice`
// layer, the concatenation a `NoOp` (TensorRT writes the branches into the output), each view a
// `NoOp` (after a `Reformat` to row-major where the data is channel-major), the transpose a
// `Shuffle`. Slices, shuffles and reformats are memory-bound layers. (A TensorRT engine may run
// the view–transpose–view as one shuffle and the slices without a kernel: docs/zoo.md.)

#include <array>
#include <string>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

inline tensor shufflenet_v2_x1_0(network_builder& b) {
  static constexpr std::array<int, 3> repeats = {4, 8, 4};
  static constexpr std::array<std::int64_t, 3> widths = {116, 232, 464};
  const auto pointwise = [&b](const tensor& x, const std::string& path, std::int64_t out) {
    return b.conv(x, path, {.out_channels = out});
  };
  const auto depthwise = [&b](const tensor& x, const std::string& path, std::int64_t stride) {
    return b.conv(x, path, {.out_channels = x.dims[1], .kernel = 3, .stride = stride, .padding = 1,
                            .groups = x.dims[1], .act = activation::none});
  };
  tensor x = b.conv(b.input(), "/conv1/0", {.out_channels = 24, .kernel = 3, .stride = 2, .padding = 1});
  x = b.max_pool(x, "/maxpool", 3, 2, 1);
  for (std::size_t stage = 0; stage < repeats.size(); ++stage) {
    const std::int64_t half = widths[stage] / 2;
    for (int unit = 0; unit < repeats[stage]; ++unit) {
      const std::string path = fmt::format("/stage{}/{}", stage + 2, unit);
      const std::int64_t stride = unit == 0 ? 2 : 1;
      tensor kept, branch = x;
      if (stride == 1) {
        kept = b.channel_slice(x, path, 0, half);
        branch = b.channel_slice(x, path, half, half);
      } else {
        kept = pointwise(depthwise(x, path + "/branch1/0", 2), path + "/branch1/2", half);
      }
      branch = pointwise(branch, path + "/branch2/0", half);
      branch = depthwise(branch, path + "/branch2/3", stride);
      branch = pointwise(branch, path + "/branch2/5", half);
      const tensor joined = b.concat({kept, branch}, path);
      const auto& d = joined.dims;
      const tensor grouped = b.reshape(joined, path, {d[0], 2, half, d[2], d[3]});
      x = b.reshape(b.transpose(grouped, path, {0, 2, 1, 3, 4}), path, d);
    }
  }
  x = b.conv(x, "/conv5/0", {.out_channels = 1024});
  x = b.adaptive_avg_pool(x, "", 1, 1);  // x.mean([2, 3]) in the model's forward
  return b.linear(x, "/fc", 1000, activation::none);
}

}  // namespace layerwatt::zoo
