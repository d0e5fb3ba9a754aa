#pragma once
// `trt_engine_info.json`, TensorRT's engine inspector output (LayerInformationFormat::kJSON), which
// is also what trtexec --exportLayerInfo writes (with --profilingVerbosity=detailed):
// {"Layers": [{"Name", "LayerType", "Inputs": [{"Name", "Dimensions", "Format/Datatype"}],
//              "Outputs": [...], "Kernel", "WindowSize", "PrePadding", "PostPadding", "Stride",
//              "Dilation", "Groups", "OutMaps", "PoolingType", "ParameterType", "TacticName", ...}],
//  "Bindings": [...]}
// Keys this library does not model are kept in `extra` and written back.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "layerwatt/io/json_document.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::io {

inline constexpr std::int64_t max_dimension = (std::int64_t{1} << 31) - 1;

struct tensor_info {
  std::string name;
  std::vector<std::int64_t> dimensions;  ///< each in [1, max_dimension]; NCHW for 4-d tensors
  std::string format;                    ///< "Format/Datatype"; may be empty
  nlohmann::json extra = nlohmann::json::object();
  [[nodiscard]] io::precision precision() const noexcept { return precision_of_format(format); }
  bool operator==(const tensor_info&) const = default;
};

struct engine_layer {
  std::string name;
  std::string layer_type;  ///< "CaskConvolution", "CaskPooling", "CaskGemmConvolution", "Reformat", ...
  std::vector<tensor_info> inputs, outputs;
  std::optional<std::vector<std::int64_t>> kernel, window_size, pre_padding, post_padding, stride, dilation;
  std::optional<std::int64_t> groups, out_maps;
  std::optional<std::string> pooling_type, parameter_type, tactic_name;
  nlohmann::json extra = nlohmann::json::object();
  bool operator==(const engine_layer&) const = default;
};

struct engine_info {
  std::vector<engine_layer> layers;
  std::vector<std::string> bindings;
  bool operator==(const engine_info&) const = default;
};

namespace detail {

inline constexpr std::string_view tensor_keys[] = {"Name", "Dimensions", "Format/Datatype"};
inline constexpr std::string_view layer_keys[] = {
    "Name",     "LayerType", "Inputs",   "Outputs", "Kernel",      "WindowSize",    "PrePadding",
    "PostPadding", "Stride", "Dilation", "Groups",  "OutMaps",     "PoolingType",   "ParameterType",
    "TacticName"};

template <std::size_t N>
nlohmann::json extra_keys(const nlohmann::json& object, const std::string_view (&known)[N]) {
  nlohmann::json extra = nlohmann::json::object();
  for (const auto& [key, value] : object.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known)) extra[key] = value;
  return extra;
}

inline tensor_info read_tensor(const json_node& node) {
  tensor_info t;
  t.name = node.find("Name") ? node.object_member("Name").as_string() : std::string{};
  const json_node dims = node.object_member("Dimensions");
  for (std::size_t i = 0; i < dims.array_size(); ++i)
    if (dims.element(i).value() == -1)
      dims.element(i).fail(
          "a fixed size, got -1 (a dynamic dimension): build the engine for one shape, e.g. trtexec "
          "--shapes=input:1x3x224x224, or export the model with a fixed input size");
  t.dimensions = dims.as_integers<std::int64_t>(1, max_dimension);
  if (const auto f = node.find("Format/Datatype")) t.format = f->as_string();
  t.extra = extra_keys(node.value(), tensor_keys);
  return t;
}

inline std::vector<tensor_info> read_tensors(const json_node& layer, std::string_view key) {
  std::vector<tensor_info> tensors;
  if (const auto list = layer.find(key))
    for (std::size_t i = 0; i < list->array_size(); ++i) tensors.push_back(read_tensor(list->element(i)));
  return tensors;
}

inline std::optional<std::vector<std::int64_t>> read_ints(const json_node& layer, std::string_view key,
                                                          std::int64_t min) {
  if (const auto node = layer.find(key)) return node->as_integers<std::int64_t>(min, max_dimension);
  return std::nullopt;
}

inline std::optional<std::string> read_text(const json_node& layer, std::string_view key) {
  if (const auto node = layer.find(key)) return node->as_string();
  return std::nullopt;
}

inline engine_layer read_layer(const json_node& node) {
  engine_layer l;
  l.name = node.object_member("Name").as_string();
  l.layer_type = node.object_member("LayerType").as_string();
  l.inputs = read_tensors(node, "Inputs");
  l.outputs = read_tensors(node, "Outputs");
  l.kernel = read_ints(node, "Kernel", 1);
  l.window_size = read_ints(node, "WindowSize", 1);
  l.pre_padding = read_ints(node, "PrePadding", 0);
  l.post_padding = read_ints(node, "PostPadding", 0);
  l.stride = read_ints(node, "Stride", 1);
  l.dilation = read_ints(node, "Dilation", 1);
  if (const auto g = node.find("Groups")) l.groups = g->as_integer<std::int64_t>(1, max_dimension);
  if (const auto m = node.find("OutMaps")) l.out_maps = m->as_integer<std::int64_t>(1, max_dimension);
  l.pooling_type = read_text(node, "PoolingType");
  l.parameter_type = read_text(node, "ParameterType");
  l.tactic_name = read_text(node, "TacticName");
  l.extra = extra_keys(node.value(), layer_keys);
  return l;
}

inline nlohmann::ordered_json to_json(const tensor_info& t) {
  nlohmann::ordered_json j;
  if (!t.name.empty()) j["Name"] = t.name;
  j["Dimensions"] = t.dimensions;
  if (!t.format.empty()) j["Format/Datatype"] = t.format;
  for (const auto& [key, value] : t.extra.items()) j[key] = value;
  return j;
}

inline nlohmann::ordered_json to_json(const engine_layer& l) {
  nlohmann::ordered_json j;
  j["Name"] = l.name;
  j["LayerType"] = l.layer_type;
  const auto tensors = [](const std::vector<tensor_info>& list) {
    auto array = nlohmann::ordered_json::array();
    for (const auto& t : list) array.push_back(to_json(t));
    return array;
  };
  j["Inputs"] = tensors(l.inputs);
  j["Outputs"] = tensors(l.outputs);
  const auto put = [&j](const char* key, const auto& optional) {
    if (optional) j[key] = *optional;
  };
  put("ParameterType", l.parameter_type);
  put("PoolingType", l.pooling_type);
  put("Kernel", l.kernel);
  put("WindowSize", l.window_size);
  put("PrePadding", l.pre_padding);
  put("PostPadding", l.post_padding);
  put("Stride", l.stride);
  put("Dilation", l.dilation);
  put("OutMaps", l.out_maps);
  put("Groups", l.groups);
  put("TacticName", l.tactic_name);
  for (const auto& [key, value] : l.extra.items()) j[key] = value;
  return j;
}

}  // namespace detail

/// Parses an engine-inspector document; `file` names it in errors.
inline engine_info parse_engine_info(const json_node& root) {
  engine_info info;
  const json_node layers = root.object_member("Layers");
  if (layers.array_size() == 0) layers.fail("at least one layer (TensorRT writes every layer of an engine)");
  for (std::size_t i = 0; i < layers.array_size(); ++i) {
    const json_node layer = layers.element(i);
    if (layer.value().is_string())
      layer.fail(
          "a layer described in full, got its name only: the engine was built without detailed profiling; "
          "rebuild it with trtexec --profilingVerbosity=detailed --exportLayerInfo=FILE (or set "
          "IBuilderConfig::setProfilingVerbosity(ProfilingVerbosity::kDETAILED))");
    info.layers.push_back(detail::read_layer(layer));
  }
  if (const auto bindings = root.find("Bindings")) info.bindings = bindings->as_strings();
  return info;
}

inline engine_info read_engine_info(const std::filesystem::path& path) {
  const json_document doc(path);
  return parse_engine_info(doc.root());
}

inline nlohmann::ordered_json to_json(const engine_info& info) {
  nlohmann::ordered_json j;
  auto layers = nlohmann::ordered_json::array();
  for (const auto& l : info.layers) layers.push_back(detail::to_json(l));
  j["Layers"] = std::move(layers);
  j["Bindings"] = info.bindings;
  return j;
}

inline void write_engine_info(const std::filesystem::path& path, const engine_info& info) {
  write_file_atomically(path, to_json(info).dump(4) + "\n");
}

}  // namespace layerwatt::io
