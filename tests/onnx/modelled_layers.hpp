#pragma once
// What two engines must agree on for their convolution, pooling and dense layers, as
// classify_layers sees them (Myelin's layers rewritten in the inspector's form): the kind, the
// data input's and the output's shapes, and a window's kernel, stride, padding and groups.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/io/engine_info.hpp"

namespace layerwatt::testing {

struct modelled_layer {
  dataset::layer_class kind{};
  std::vector<std::int64_t> input, output;
  std::optional<std::vector<std::int64_t>> window, stride, pre_padding, post_padding;
  std::optional<std::int64_t> groups;
  auto operator<=>(const modelled_layer&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const modelled_layer& l) {
  const auto opt = [](const auto& v) { return v ? fmt::format("{}", *v) : std::string("-"); };
  return out << fmt::format("{} {} -> {} window {} stride {} pad {}/{} groups {}", dataset::to_string(l.kind), l.input,
                            l.output, opt(l.window), opt(l.stride), opt(l.pre_padding), opt(l.post_padding),
                            opt(l.groups));
}

/// The convolution, pooling and dense layers of `engine`, in order; `sorted`, in one order
/// whatever the engine ran first.
inline std::vector<modelled_layer> modelled_layers(const io::engine_info& engine, bool sorted = false) {
  std::vector<modelled_layer> out;
  for (const auto& c : dataset::classify_layers(engine)) {
    using dataset::layer_class;
    if (c.kind != layer_class::convolutional && c.kind != layer_class::pooling && c.kind != layer_class::dense) continue;
    const auto& l = c.features_layer();
    modelled_layer m{c.kind, l.inputs.front().dimensions, l.outputs.front().dimensions, {}, {}, {}, {}, {}};
    if (c.kind != layer_class::dense) {  // a fully connected layer is its shapes
      m.window = l.kernel ? l.kernel : l.window_size;
      m.stride = l.stride;
      m.pre_padding = l.pre_padding;
      m.post_padding = l.post_padding;
      m.groups = l.groups;
    }
    out.push_back(std::move(m));
  }
  if (sorted) std::sort(out.begin(), out.end());
  return out;
}

/// How many layers of `engine` classify as `kind`.
inline std::size_t count_of(const io::engine_info& engine, dataset::layer_class kind) {
  const auto layers = dataset::classify_layers(engine);
  return static_cast<std::size_t>(std::count_if(layers.begin(), layers.end(), [&](const auto& c) { return c.kind == kind; }));
}

}  // namespace layerwatt::testing
