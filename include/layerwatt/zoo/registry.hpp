#pragma once
// The network zoo, built at any batch size and input size: the 20 networks of the reference
// experiment by the names its scripts use (torchvision's, and `lenet`), then the real networks of
// the iCAS-Lab Jetson Nano data set the reference lacks (docs/zoo.md) by torchvision's and timm's
// names, and EfficientNet-B0, the ONNX test model of the family.

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/zoo/alexnet.hpp"
#include "layerwatt/zoo/convnext.hpp"
#include "layerwatt/zoo/efficientnet.hpp"
#include "layerwatt/zoo/lenet.hpp"
#include "layerwatt/zoo/mobilenet_v2.hpp"
#include "layerwatt/zoo/mobilenet_v3.hpp"
#include "layerwatt/zoo/model_size.hpp"
#include "layerwatt/zoo/network_builder.hpp"
#include "layerwatt/zoo/resnet.hpp"
#include "layerwatt/zoo/shufflenet_v2.hpp"
#include "layerwatt/zoo/unet.hpp"
#include "layerwatt/zoo/vgg.hpp"
#include "layerwatt/zoo/xception.hpp"

namespace layerwatt::zoo {

struct zoo_model {
  std::string_view name;
  input_shape default_input;  ///< the definition's own (timm's default_cfg, the crop size of torchvision's weights)
  tensor (*define)(network_builder&);  ///< adds the network's layers; returns its output
};

inline constexpr input_shape imagenet_input{3, 224, 224};

/// Every network of the zoo: the reference experiment's, in its order (run_experiment.sh), then
/// the others (reference_models() are the first).
inline constexpr std::array<zoo_model, 26> models = {{
    {"alexnet", imagenet_input, alexnet},
    {"vgg11", imagenet_input, [](network_builder& b) { return vgg(b, 11); }},
    {"vgg13", imagenet_input, [](network_builder& b) { return vgg(b, 13); }},
    {"vgg16", imagenet_input, [](network_builder& b) { return vgg(b, 16); }},
    {"vgg19", imagenet_input, [](network_builder& b) { return vgg(b, 19); }},
    {"mobilenet_v2", imagenet_input, mobilenet_v2},
    {"mobilenet_v3_small", imagenet_input, [](network_builder& b) { return mobilenet_v3(b, mobilenet_v3_small_config); }},
    {"mobilenet_v3_large", imagenet_input, [](network_builder& b) { return mobilenet_v3(b, mobilenet_v3_large_config); }},
    {"resnet18", imagenet_input, [](network_builder& b) { return resnet(b, resnet18_config); }},
    {"resnet34", imagenet_input, [](network_builder& b) { return resnet(b, resnet34_config); }},
    {"resnet50", imagenet_input, [](network_builder& b) { return resnet(b, resnet50_config); }},
    {"resnet101", imagenet_input, [](network_builder& b) { return resnet(b, resnet101_config); }},
    {"resnet152", imagenet_input, [](network_builder& b) { return resnet(b, resnet152_config); }},
    {"lenet", {1, 32, 32}, lenet},
    {"resnext50_32x4d", imagenet_input, [](network_builder& b) { return resnet(b, resnext50_32x4d_config); }},
    {"resnext101_32x8d", imagenet_input, [](network_builder& b) { return resnet(b, resnext101_32x8d_config); }},
    {"resnext101_64x4d", imagenet_input, [](network_builder& b) { return resnet(b, resnext101_64x4d_config); }},
    {"convnext_tiny", imagenet_input, [](network_builder& b) { return convnext(b, convnext_tiny_config); }},
    {"convnext_small", imagenet_input, [](network_builder& b) { return convnext(b, convnext_small_config); }},
    {"convnext_base", imagenet_input, [](network_builder& b) { return convnext(b, convnext_base_config); }},
    {"shufflenet_v2_x1_0", imagenet_input, shufflenet_v2_x1_0},
    {"unet", imagenet_input, unet},
    {"xception", {3, 299, 299}, xception},
    {"efficientnet_b0", imagenet_input, [](network_builder& b) { return efficientnet(b, efficientnet_b0_config); }},
    {"efficientnet_b4", {3, 380, 380}, [](network_builder& b) { return efficientnet(b, efficientnet_b4_config); }},
    {"efficientnet_v2_m", {3, 480, 480}, [](network_builder& b) { return efficientnet(b, efficientnet_v2_m_config); }},
}};

/// The 20 networks of the reference experiment, which `layerwatt simulate` plays by default.
inline constexpr std::span<const zoo_model> reference_models() noexcept { return std::span(models).first(20); }

/// The zoo entry called `name`; an error listing every name when there is none.
inline const zoo_model& find_model(std::string_view name) {
  const auto it = std::find_if(models.begin(), models.end(), [&](const zoo_model& m) { return m.name == name; });
  if (it != models.end()) return *it;
  std::array<std::string_view, models.size()> names{};
  std::transform(models.begin(), models.end(), names.begin(), [](const zoo_model& m) { return m.name; });
  throw error(fmt::format("no network \"{}\" in the zoo; it has {}", name, fmt::join(names, ", ")));
}

struct build_options {
  std::int64_t batch = 1;
  std::optional<input_shape> input{};  ///< the network's default when absent
  io::precision precision = io::precision::fp16;
};

/// A builder holding the network's layers, and the network's output.
inline std::pair<network_builder, tensor> define_network(const zoo_model& model, const build_options& options) {
  std::pair<network_builder, tensor> out{
      network_builder(std::string(model.name), options.batch, options.input.value_or(model.default_input),
                      options.precision),
      tensor{}};
  out.second = model.define(out.first);
  return out;
}

/// The engine TensorRT would build for the network: layers, shapes and fusions (docs/zoo.md).
inline io::engine_info build(const zoo_model& model, const build_options& options = {}) {
  auto [builder, output] = define_network(model, options);
  return builder.finish(output);
}

inline io::engine_info build(std::string_view name, const build_options& options = {}) {
  return build(find_model(name), options);
}

/// The network's parameters and MACs at the options' batch and input, as torchinfo counts its
/// PyTorch definition (model_size.hpp): what papers and data sets quote.
inline model_size size_of(const zoo_model& model, const build_options& options = {}) {
  return define_network(model, options).first.size();
}

inline model_size size_of(std::string_view name, const build_options& options = {}) {
  return size_of(find_model(name), options);
}

}  // namespace layerwatt::zoo
