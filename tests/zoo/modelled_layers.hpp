#pragma once
// The fields of an engine's convolution, pooling and dense layers that shape inference decides,
// in execution order, for comparing a zoo network with a real TensorRT engine file.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/engine_info.hpp"

namespace layerwatt::testing {

struct modelled_layer {
  std::string layer_type;
  std::vector<std::vector<std::int64_t>> inputs, outputs;
  std::optional<std::vector<std::int64_t>> kernel, window_size, pre_padding, post_padding, stride;
  std::optional<std::int64_t> groups, out_maps;
  std::optional<std::string> pooling_type;
  bool operator==(const modelled_layer&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const modelled_layer& l) {
  const auto opt = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string("-"); };
  return out << fmt::format("{} in {} out {} kernel {} window {} pre {} post {} stride {} groups {} maps {} pool {}",
                            l.layer_type, l.inputs, l.outputs, opt(l.kernel), opt(l.window_size),
                            opt(l.pre_padding), opt(l.post_padding), opt(l.stride), opt(l.groups), opt(l.out_maps),
                            opt(l.pooling_type));
}

inline std::vector<modelled_layer> modelled_layers(const io::engine_info& engine) {
  std::vector<modelled_layer> out;
  for (const auto& l : engine.layers) {
    if (!classify_layer_type(l.layer_type)) continue;
    modelled_layer m{l.layer_type, {}, {}, l.kernel, l.window_size, l.pre_padding, l.post_padding, l.stride,
                     l.groups, l.out_maps, l.pooling_type};
    for (const auto& t : l.inputs) m.inputs.push_back(t.dimensions);
    for (const auto& t : l.outputs) m.outputs.push_back(t.dimensions);
    out.push_back(std::move(m));
  }
  return out;
}

/// The layers of `engine` of `layer_type`.
inline std::vector<const io::engine_layer*> layers_of_type(const io::engine_info& engine, std::string_view layer_type) {
  std::vector<const io::engine_layer*> out;
  for (const auto& l : engine.layers)
    if (l.layer_type == layer_type) out.push_back(&l);
  return out;
}

}  // namespace layerwatt::testing
