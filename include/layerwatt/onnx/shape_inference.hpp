#pragma once
// Every tensor's shape in an ONNX graph, from ONNX's own shape inference (with its data
// propagation, so a Reshape whose target shape is computed resolves) and the folding of the
// shape arithmetic it does not evaluate (shape_arithmetic.hpp), run again until nothing new
// resolves. The data inputs' shapes must be static, or given: a dynamic dimension (a batch
// named `batch_size`) is an error naming the input, unless `input_shapes` gives its shape as
// trtexec's --shapes does.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/onnx/graph_inputs.hpp"
#include "layerwatt/onnx/read_options.hpp"
#include "layerwatt/onnx/shape_arithmetic.hpp"

namespace layerwatt::onnx {

namespace detail {

/// The dimensions of a value's type, "?" or the symbol for the unknown ones, for messages.
inline std::string dims_text(const ::ONNX_NAMESPACE::TensorShapeProto& shape) {
  std::vector<std::string> dims;
  for (const auto& d : shape.dim())
    dims.push_back(d.has_dim_value() && d.dim_value() > 0 ? std::to_string(d.dim_value())
                   : d.has_dim_param()                     ? d.dim_param()
                                                           : "?");
  return fmt::format("[{}]", fmt::join(dims, ", "));
}

/// Records every value of `graph` with a fully static shape.
inline void collect_static_shapes(const ::ONNX_NAMESPACE::GraphProto& graph, shape_map& shapes) {
  const auto add = [&](const ::ONNX_NAMESPACE::ValueInfoProto& v) {
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
    std::vector<std::int64_t> dims;
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() < 1) return;
      dims.push_back(d.dim_value());
    }
    shapes.insert_or_assign(v.name(), std::move(dims));
  };
  for (const auto& v : graph.input()) add(v);
  for (const auto& v : graph.value_info()) add(v);
  for (const auto& v : graph.output()) add(v);
  for (const auto& t : graph.initializer()) shapes.insert_or_assign(t.name(), std::vector<std::int64_t>(t.dims().begin(), t.dims().end()));
}

/// Gives each data input its static shape: its own, or the one in `given`.
inline void set_input_shapes(::ONNX_NAMESPACE::GraphProto& graph, const std::vector<std::string>& data,
                             const input_shape_map& given, std::string_view file) {
  for (const auto& [name, dims] : given)
    if (std::find(data.begin(), data.end(), name) == data.end())
      throw error(fmt::format("{}: a shape is given for \"{}\", which is not a data input of the model; its data "
                              "inputs: {}",
                              file, name, fmt::join(data, ", ")));
  for (auto& input : *graph.mutable_input()) {
    if (std::find(data.begin(), data.end(), input.name()) == data.end()) continue;
    if (!input.type().has_tensor_type())
      throw error(fmt::format("{}: input \"{}\" is not a tensor (a sequence or map input is not read)", file, input.name()));
    auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
    const auto it = given.find(input.name());
    if (it != given.end()) {
      const auto& dims = it->second;
      if (input.type().tensor_type().has_shape() && shape->dim_size() != static_cast<int>(dims.size()))
        throw error(fmt::format("{}: input \"{}\" has {} dimensions {}, but the shape given has {} ([{}])", file,
                                input.name(), shape->dim_size(), dims_text(*shape), dims.size(), fmt::join(dims, "x")));
      for (int i = 0; i < shape->dim_size(); ++i)
        if (shape->dim(i).has_dim_value() && shape->dim(i).dim_value() > 0 &&
            shape->dim(i).dim_value() != dims[static_cast<std::size_t>(i)])
          throw error(fmt::format("{}: input \"{}\" has the static dimension {} at axis {}; the shape given has {}",
                                  file, input.name(), shape->dim(i).dim_value(), i, dims[static_cast<std::size_t>(i)]));
      shape->clear_dim();
      for (const auto d : dims) {
        if (d < 1) throw error(fmt::format("{}: the shape given for \"{}\" has a dimension {} below 1", file, input.name(), d));
        shape->add_dim()->set_dim_value(d);
      }
      continue;
    }
    const bool dynamic = !input.type().tensor_type().has_shape() ||
                         std::any_of(shape->dim().begin(), shape->dim().end(),
                                     [](const auto& d) { return !d.has_dim_value() || d.dim_value() < 1; });
    if (!dynamic) continue;
    std::vector<std::string> example;
    for (const auto& d : shape->dim())
      example.push_back(d.has_dim_value() && d.dim_value() > 0 ? std::to_string(d.dim_value()) : "1");
    throw error(fmt::format("{}: input \"{}\" has dynamic dimensions {}; give its shape, e.g. --input-shape {}:{} "
                            "(as trtexec's --shapes)",
                            file, input.name(), input.type().tensor_type().has_shape() ? dims_text(*shape) : "(none)",
                            input.name(), example.empty() ? "1x3x224x224" : fmt::format("{}", fmt::join(example, "x"))));
  }
}

/// Whether some node reading one of `values` has an output of unknown shape.
inline bool helps(const ::ONNX_NAMESPACE::GraphProto& graph, const std::vector<std::string>& values, const shape_map& shapes) {
  const std::unordered_set<std::string> folded(values.begin(), values.end());
  for (const auto& node : graph.node()) {
    const bool reads = std::any_of(node.input().begin(), node.input().end(), [&](const auto& i) { return folded.contains(i); });
    if (reads && std::any_of(node.output().begin(), node.output().end(),
                             [&](const auto& o) { return !o.empty() && !shapes.contains(o); }))
      return true;
  }
  return false;
}

}  // namespace detail

/// Runs shape inference on `model` (which it changes: the data inputs' shapes set, value_info
/// added, shape arithmetic folded into Constant nodes) and returns every static shape found.
/// `data` are the graph's data inputs (classify_graph_inputs); an error names `file` and, for a
/// shape inference failure, the node.
inline shape_map infer_shapes(::ONNX_NAMESPACE::ModelProto& model, const std::vector<std::string>& data,
                              const input_shape_map& input_shapes, std::string_view file) {
  auto& graph = *model.mutable_graph();
  detail::set_input_shapes(graph, data, input_shapes, file);
  const ::ONNX_NAMESPACE::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/1, /*data_prop=*/true);
  shape_map shapes;
  for (int pass = 0; pass <= graph.node_size(); ++pass) {
    try {
      ::ONNX_NAMESPACE::shape_inference::InferShapes(model, ::ONNX_NAMESPACE::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
      throw error(fmt::format("{}: ONNX shape inference failed: {}", file, e.what()));
    }
    detail::collect_static_shapes(graph, shapes);
    const auto folded = fold_shape_arithmetic(graph, shapes);
    if (!detail::helps(graph, folded, shapes)) break;
  }
  return shapes;
}

}  // namespace layerwatt::onnx
