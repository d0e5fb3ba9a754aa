#pragma once
// Plain convolution stacks, as neural-architecture-search data sets generate them by the
// thousand: a square 3-channel input, stride-1 convolutions with a bias and a ReLU each (dense,
// depthwise or pointwise), then a fully connected layer on the flattened map. Built by the zoo's
// network builder as TensorRT's ONNX parser would build them, so a synthetic network and a zoo
// network read the same features for the same layer.
//
//   const auto engine = zoo::build_synthetic({"convnet_L2_F512_K3x3_W70", 70,
//       {{3, 512, 3, 1, 1}, {512, 512, 3, 1, 1}}, 10});

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::zoo {

/// One stride-1 square convolution, its bias and ReLU.
struct synthetic_conv {
  std::int64_t in_channels = 0, out_channels = 0, kernel = 1, padding = 0, groups = 1;
};

struct synthetic_network {
  std::string name;
  std::int64_t input_size = 0;  ///< the input is 1 × 3 × input_size × input_size
  std::vector<synthetic_conv> convs;
  std::int64_t classes = 10;    ///< outputs of the final fully connected layer
};

/// The engine TensorRT builds for `n` (batch 1) from its ONNX export. A convolution whose input
/// channels do not follow from the layer before, or that does not fit its input, is an error
/// naming the network and the layer.
inline io::engine_info build_synthetic(const synthetic_network& n, io::precision precision = io::precision::fp32) {
  network_builder b(n.name, precision, tensorrt_frontend::onnx_parser);
  tensor x = b.add_input("input", {1, 3, n.input_size, n.input_size});
  for (std::size_t i = 0; i < n.convs.size(); ++i) {
    const auto& c = n.convs[i];
    const std::string path = fmt::format("/features/features.{}", i), relu = path + "/Relu";
    if (c.in_channels != x.dims[1])
      throw error(fmt::format("{}: {}: {} input channels where the layer before gives {}", n.name, path,
                              c.in_channels, x.dims[1]));
    x = b.conv(x, path + "/Conv",
               {.out_channels = c.out_channels, .kernel = c.kernel, .stride = 1, .padding = c.padding,
                .groups = c.groups, .batch_norm = false, .act = activation::relu, .activation_path = relu});
  }
  x = b.flatten(x, "/Flatten");
  x = b.linear(x, "/classifier", n.classes, activation::none);
  b.mark_output(x, "output", {x.dims[0], x.dims[1]});
  return b.finish();
}

}  // namespace layerwatt::zoo
