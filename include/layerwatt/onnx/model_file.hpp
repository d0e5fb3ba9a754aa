#pragma once
// An ONNX model file parsed (ONNX's protobuf ModelProto) and checked before anything reads it:
// a file that does not parse, has no graph, or comes from a newer ONNX than the one linked is an
// error naming the file and saying what to do.
//
// The linked ONNX library bounds what can be read: Debian 12's ONNX 1.12 knows the default
// domain's opsets up to 17 and IR version 8. A model exported at opset 18 or later (PyTorch 2.x's
// dynamo exporter, newer onnx releases) is refused with an error naming its opset: export it at
// `opset_version=17` (docs/onnx.md).

#include <climits>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>
#include <onnx/common/constants.h>
#include <onnx/common/version.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/line_reader.hpp"

namespace layerwatt::onnx {

/// The highest opset of ONNX's default domain the linked ONNX library has operators for (17 for
/// ONNX 1.12).
inline int max_supported_opset() {
  return ::ONNX_NAMESPACE::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(::ONNX_NAMESPACE::ONNX_DOMAIN).second;
}

/// The model's opset of ONNX's default domain ("" or "ai.onnx").
inline int default_opset(const ::ONNX_NAMESPACE::ModelProto& model, std::string_view file) {
  for (const auto& o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") return static_cast<int>(o.version());
  throw error(fmt::format("{}: the model imports no opset of ONNX's default domain (a truncated or corrupt file?)", file));
}

/// Checks that the linked ONNX library can read `model`: its IR version and its default opset
/// are not newer than the library's; `file` names it in errors.
inline void check_version(const ::ONNX_NAMESPACE::ModelProto& model, std::string_view file) {
  if (model.ir_version() > ::ONNX_NAMESPACE::IR_VERSION)
    throw error(fmt::format("{}: IR version {} is newer than the ONNX {} layerwatt was built with reads (up to {}); "
                            "export the model with an older exporter or opset_version={} (docs/onnx.md)",
                            file, model.ir_version(), ::ONNX_NAMESPACE::LAST_RELEASE_VERSION,
                            static_cast<int>(::ONNX_NAMESPACE::IR_VERSION), max_supported_opset()));
  const int opset = default_opset(model, file);
  if (opset > max_supported_opset())
    throw error(fmt::format("{}: opset {} is newer than the ONNX {} layerwatt was built with reads (opsets up to {}); "
                            "export the model with opset_version={} (docs/onnx.md)",
                            file, opset, ::ONNX_NAMESPACE::LAST_RELEASE_VERSION, max_supported_opset(),
                            max_supported_opset()));
}

/// Parses the bytes of an ONNX file (a serialised ModelProto) and checks its version.
inline ::ONNX_NAMESPACE::ModelProto parse_model(std::string_view bytes, std::string_view file) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw error(fmt::format("{}: {} bytes is more than protobuf parses (2 GiB); save the weights as external data "
                            "or export without them (export_params=False)",
                            file, bytes.size()));
  ::ONNX_NAMESPACE::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw error(fmt::format("{}: not an ONNX model: its {} bytes do not parse as one (a truncated or corrupt file?)",
                            file, bytes.size()));
  if (model.ir_version() <= 0 || !model.has_graph())
    throw error(fmt::format("{}: not an ONNX model: it has no {} (a truncated or corrupt file?)", file,
                            model.ir_version() <= 0 ? "IR version" : "graph"));
  check_version(model, file);
  return model;
}

/// Checks that every value a node or the graph's outputs read is defined before: by a graph
/// input, an initializer or an earlier node (ONNX's topological order). A file cut at a field
/// boundary parses, and fails here.
inline void check_graph(const ::ONNX_NAMESPACE::GraphProto& graph, std::string_view file) {
  std::unordered_set<std::string_view> defined;
  for (const auto& v : graph.input()) defined.insert(v.name());
  for (const auto& t : graph.initializer()) defined.insert(t.name());
  for (int n = 0; n < graph.node_size(); ++n) {
    const auto& node = graph.node(n);
    for (const auto& input : node.input())
      if (!input.empty() && !defined.contains(input))
        throw error(fmt::format("{}: node \"{}\" ({}) reads \"{}\", which no earlier node, input or initializer "
                                "defines (a truncated or corrupt file, or nodes out of order?)",
                                file, node.name().empty() ? fmt::format("#{}", n) : node.name(), node.op_type(), input));
    for (const auto& output : node.output()) defined.insert(output);
  }
  if (graph.output_size() == 0) throw error(fmt::format("{}: the graph has no output (a truncated or corrupt file?)", file));
  for (const auto& v : graph.output())
    if (!defined.contains(v.name()))
      throw error(fmt::format("{}: output \"{}\" is written by no node (a truncated or corrupt file?)", file, v.name()));
}

/// Reads and parses an ONNX file.
inline ::ONNX_NAMESPACE::ModelProto read_model(const std::filesystem::path& file) {
  return parse_model(io::input_file(file).read_all(), file.string());
}

}  // namespace layerwatt::onnx
