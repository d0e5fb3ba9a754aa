#pragma once
// An ONNX model as the layer list TensorRT would build for it — what `layerwatt inspect
// model.onnx` and `layerwatt predict model.onnx --models DIR` read, and what a search loop calls
// for each candidate network:
//
//   const auto engine = layerwatt::onnx::read_engine_info("resnet18.onnx", {.precision = io::precision::fp16});
//   const auto cost = layerwatt::predict::predict_network(models, engine);
//
// The steps, one header each: model_file.hpp (parse, check the version and the graph),
// graph_inputs.hpp (weights and data), shape_inference.hpp (ONNX's, with the shape arithmetic
// folded), graph_to_engine.hpp (the layers, through the zoo's network builder). docs/onnx.md
// says what is read and where TensorRT may differ.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/onnx/graph_inputs.hpp"
#include "layerwatt/onnx/graph_to_engine.hpp"
#include "layerwatt/onnx/model_file.hpp"
#include "layerwatt/onnx/read_options.hpp"
#include "layerwatt/onnx/shape_inference.hpp"

namespace layerwatt::onnx {

/// The layers of `model` (a parsed ModelProto, consumed: its shapes are inferred in place);
/// `name` names it in errors and warnings. Errors (layerwatt::error) name the model and, where
/// one is at fault, the node: an unsupported operation (unless options.unsupported is skip), a
/// dynamic input without a shape in options.input_shapes, a failed shape inference.
inline io::engine_info to_engine_info(::ONNX_NAMESPACE::ModelProto model, std::string_view name,
                                      const read_options& options = {}) {
  check_version(model, name);
  check_graph(model.graph(), name);
  const graph_inputs inputs = classify_graph_inputs(model.graph());
  if (inputs.data.empty()) throw error(fmt::format("{}: the graph has no data input", name));
  const shape_map shapes = infer_shapes(model, inputs.data, options.input_shapes, name);
  return graph_to_engine(model.graph(), inputs, shapes, std::string(name), options);
}

/// The layers of the ONNX model in `file` (weights as initializers or, exported with
/// export_params=False, as graph inputs without values).
inline io::engine_info read_engine_info(const std::filesystem::path& file, const read_options& options = {}) {
  return to_engine_info(read_model(file), file.string(), options);
}

}  // namespace layerwatt::onnx
