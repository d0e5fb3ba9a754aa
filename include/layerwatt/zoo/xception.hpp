#pragma once
// Xception as timm's legacy definition gives it (timm/models/xception.py, `legacy_xception`:
// Cadene's port of Chollet's network; 299×299 input). Two 3×3 stem convolutions without padding,
// twelve blocks and two separable convolutions to 1536 and 2048 channels, global average pooling
// and the classifier. A separable convolution is a 3×3 depthwise and a 1×1 pointwise convolution,
// neither with a bias, the batch norm after the pointwise one. A block repeats ReLU, separable
// convolution and batch norm (2 or 3 times; the entry flow's first block starts without the
// ReLU; block 12 widens on its last repeat rather than its first), the strided ones end in a
// 3×3/2 max-pool, and the block's input is added back, through a 1×1 convolution with batch norm
// where the shape changes.
//
// How TensorRT runs it: each batch norm and the ReLU after it fuse into the pointwise convolution
// before them; the depthwise convolution is a layer of its own without bias. The ReLU that opens
// a block reads a tensor the shortcut also reads, so it runs as a pointwise layer of its own. The
// shortcut add fuses into the block's last pointwise convolution, or, after a max-pool, into the
// 1×1 shortcut convolution.

#include <array>
#include <string>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

namespace detail {

/// timm's SeparableConv2d at `path` (its parts `/conv1`, `/pointwise`): the depthwise 3×3
/// convolution, then the pointwise one as `pointwise` says, with the batch norm after it and what
/// TensorRT fuses into it (a ReLU, a shortcut add).
inline tensor separable_conv(network_builder& b, const tensor& x, const std::string& path, const conv_spec& pointwise) {
  const tensor depthwise = b.conv(x, path + "/conv1", {.out_channels = x.dims[1], .kernel = 3, .padding = 1,
                                                       .groups = x.dims[1], .batch_norm = false, .bias = false,
                                                       .act = activation::none});
  return b.conv(depthwise, path + "/pointwise", pointwise);
}

}  // namespace detail

inline tensor xception(network_builder& b) {
  struct block {
    std::int64_t out_channels;
    int repeats;
    std::int64_t stride;
    bool start_with_relu = true, grow_first = true;
  };
  static constexpr std::array<block, 12> blocks = {{
      {128, 2, 2, false},
      {256, 2, 2},
      {728, 2, 2},
      {728, 3, 1}, {728, 3, 1}, {728, 3, 1}, {728, 3, 1}, {728, 3, 1}, {728, 3, 1}, {728, 3, 1}, {728, 3, 1},
      {1024, 2, 2, true, false},
  }};
  tensor x = b.conv(b.input(), "/conv1", {.out_channels = 32, .kernel = 3, .stride = 2});
  x = b.conv(x, "/conv2", {.out_channels = 64, .kernel = 3});
  int number = 1;
  for (const auto& blk : blocks) {
    const std::string path = fmt::format("/block{}", number++);
    const std::int64_t in_channels = x.dims[1];
    const bool projected = blk.out_channels != in_channels || blk.stride != 1;
    // timm's `rep` Sequential: [ReLU, SeparableConv2d, BatchNorm2d] per repeat, less the first
    // ReLU without start_with_relu, then the max-pool.
    int index = blk.start_with_relu ? 0 : -1;
    tensor y = x;
    if (blk.start_with_relu) y = b.pointwise(y, fmt::format("{}/rep/{}", path, index), activation::relu);
    for (int i = 0; i < blk.repeats; ++i) {
      const bool last = i + 1 == blk.repeats;
      const std::int64_t out = blk.grow_first || last ? blk.out_channels : in_channels;
      y = detail::separable_conv(b, y, fmt::format("{}/rep/{}", path, index + 1),
                                 {.out_channels = out, .act = last ? activation::none : activation::relu,
                                  .residual = last && !projected ? &x : nullptr, .add_path = path});
      index += 3;
    }
    if (blk.stride != 1) y = b.max_pool(y, fmt::format("{}/rep/{}", path, index), 3, blk.stride, 1);
    x = projected ? b.conv(x, path + "/skip",
                           {.out_channels = blk.out_channels, .stride = blk.stride, .act = activation::none,
                            .residual = &y})
                  : y;
  }
  x = detail::separable_conv(b, x, "/conv3", {.out_channels = 1536});
  x = detail::separable_conv(b, x, "/conv4", {.out_channels = 2048});
  x = b.adaptive_avg_pool(x, "/global_pool/pool", 1, 1);
  x = b.flatten(x, "/global_pool/flatten");
  return b.linear(x, "/fc", 1000, activation::none);
}

}  // namespace layerwatt::zoo
