#pragma once
// U-Net as milesial/Pytorch-UNet defines it (unet/unet_model.py, unet_parts.py) with
// n_channels 3, n_classes 2 and bilinear=False, the network most PyTorch users mean by "UNet".
// A DoubleConv is (3×3 convolution without bias, batch norm, ReLU) twice. The encoder is a
// DoubleConv to 64 channels and four steps of 2×2 max-pool and DoubleConv (128, 256, 512, 1024);
// each decoder step upsamples with a 2×2/2 transposed convolution halving the channels, pads it
// to its skip's size where the sizes differ (an odd size pooled down), concatenates
// [skip, upsampled] and runs a DoubleConv; a 1×1 convolution with bias gives the 2 class maps,
// [N, 2, H, W] — the engine's output.
//
// TensorRT fuses each batch norm and ReLU into its convolution; the transposed convolution (with
// bias) is a `CaskDeconvolution`; the concatenation a `NoOp` (the inputs are written into the
// output) and the padding, only where needed, a memory-bound `Padding` layer.

#include <array>
#include <string>

#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

inline tensor unet(network_builder& b) {
  static constexpr std::array<std::int64_t, 5> widths = {64, 128, 256, 512, 1024};
  const auto double_conv = [&b](const tensor& x, const std::string& path, std::int64_t out) {
    const tensor y = b.conv(x, path + "/double_conv/0", {.out_channels = out, .kernel = 3, .padding = 1});
    return b.conv(y, path + "/double_conv/3", {.out_channels = out, .kernel = 3, .padding = 1});
  };
  std::array<tensor, 5> skips;
  skips[0] = double_conv(b.input(), "/inc", widths[0]);
  for (std::size_t i = 1; i < widths.size(); ++i) {
    const std::string path = fmt::format("/down{}/maxpool_conv", i);
    skips[i] = double_conv(b.max_pool(skips[i - 1], path + "/0", 2, 2, 0), path + "/1", widths[i]);
  }
  tensor x = skips.back();
  for (std::size_t i = widths.size() - 1; i > 0; --i) {
    const std::string path = fmt::format("/up{}", widths.size() - i);
    const tensor& skip = skips[i - 1];
    tensor up = b.deconv(x, path + "/up", {.out_channels = x.dims[1] / 2, .kernel = 2, .stride = 2,
                                           .batch_norm = false, .act = activation::none});
    const std::int64_t dy = skip.dims[2] - up.dims[2], dx = skip.dims[3] - up.dims[3];
    up = b.pad(up, path, padding2d({dy / 2, dx / 2}, {dy - dy / 2, dx - dx / 2}));
    x = double_conv(b.concat({skip, up}, path), path + "/conv", widths[i - 1]);
  }
  return b.conv(x, "/outc/conv", {.out_channels = 2, .batch_norm = false, .act = activation::none});
}

}  // namespace layerwatt::zoo
