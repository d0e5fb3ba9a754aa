#pragma once
// The network zoo: the 20 networks of the reference experiment, by the names its scripts use
// (torchvision's, and `lenet`), built at any batch size and input size.

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/zoo/alexnet.hpp"
#include "layerwatt/zoo/convnext.hpp"
#include "layerwatt/zoo/lenet.hpp"
#include "layerwatt/zoo/mobilenet_v2.hpp"
#include "layerwatt/zoo/mobilenet_v3.hpp"
#include "layerwatt/zoo/network_builder.hpp"
#include "layerwatt/zoo/resnet.hpp"
#include "layerwatt/zoo/vgg.hpp"

namespace layerwatt::zoo {

struct zoo_model {
  std::string_view name;
  input_shape default_input;
  tensor (*define)(network_builder&);  ///< adds the network's layers; returns its output
};

inline constexpr input_shape imagenet_input{3, 224, 224};

/// The reference experiment's networks, in its order (run_experiment.sh).
inline constexpr std::array<zoo_model, 20> models = {{
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
}};

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

/// The engine TensorRT would build for the network: layers, shapes and fusions (docs/zoo.md).
inline io::engine_info build(const zoo_model& model, const build_options& options = {}) {
  network_builder b(std::string(model.name), options.batch, options.input.value_or(model.default_input),
                    options.precision);
  const tensor output = model.define(b);
  return b.finish(output);
}

inline io::engine_info build(std::string_view name, const build_options& options = {}) {
  return build(find_model(name), options);
}

}  // namespace layerwatt::zoo
