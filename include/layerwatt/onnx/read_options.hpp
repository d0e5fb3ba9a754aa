#pragma once
// How an ONNX model is read into an engine's layer list: the precision of the engine the user
// will build, the shapes of dynamic inputs, what to do with an operation without a rule.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "layerwatt/core/warning.hpp"
#include "layerwatt/io/precision.hpp"

namespace layerwatt::onnx {

/// Shapes given for data inputs, by input name: [N, C, H, W] for `--input-shape input:1x3x224x224`.
using input_shape_map = std::map<std::string, std::vector<std::int64_t>, std::less<>>;

/// What to do with a node of an operation the front end has no rule for.
enum class unsupported_ops {
  fail,  ///< an error naming the file and the node
  skip,  ///< a warning, and an unclassified layer of type "ONNX:<op>" in its place (predict leaves it out, named)
};

struct read_options {
  /// The engine's precision: ONNX holds FP32, TensorRT builds what trtexec's --fp16 or --int8
  /// asks for. fp16 (as the reference's engines), fp32 or int8.
  io::precision precision = io::precision::fp16;
  input_shape_map input_shapes{};  ///< for inputs with dynamic dimensions (trtexec's --shapes)
  unsupported_ops unsupported = unsupported_ops::fail;
  warning_sink warn = print_warning;
};

}  // namespace layerwatt::onnx
