#pragma once
// ONNX graphs written in a test: data inputs, weights (graph inputs without values, as PyTorch's
// export_params=False writes them) or initializers, Constant nodes, and nodes with attributes.
//
//   const auto engine = graph_maker{}.input("x", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3})
//                           .node("Conv", {"x", "w"}, {"y"}, {ints("pads", {1, 1, 1, 1})})
//                           .output("y").engine();

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/onnx/read_engine_info.hpp"

namespace layerwatt::testing {

inline ::ONNX_NAMESPACE::AttributeProto attr(std::string name, std::int64_t value) {
  ::ONNX_NAMESPACE::AttributeProto a;
  a.set_name(std::move(name));
  a.set_type(::ONNX_NAMESPACE::AttributeProto::INT);
  a.set_i(value);
  return a;
}

inline ::ONNX_NAMESPACE::AttributeProto attr(std::string name, float value) {
  ::ONNX_NAMESPACE::AttributeProto a;
  a.set_name(std::move(name));
  a.set_type(::ONNX_NAMESPACE::AttributeProto::FLOAT);
  a.set_f(value);
  return a;
}

inline ::ONNX_NAMESPACE::AttributeProto attr(std::string name, std::string value) {
  ::ONNX_NAMESPACE::AttributeProto a;
  a.set_name(std::move(name));
  a.set_type(::ONNX_NAMESPACE::AttributeProto::STRING);
  a.set_s(std::move(value));
  return a;
}

inline ::ONNX_NAMESPACE::AttributeProto ints(std::string name, const std::vector<std::int64_t>& values) {
  ::ONNX_NAMESPACE::AttributeProto a;
  a.set_name(std::move(name));
  a.set_type(::ONNX_NAMESPACE::AttributeProto::INTS);
  for (const auto v : values) a.add_ints(v);
  return a;
}

class graph_maker {
 public:
  explicit graph_maker(std::int64_t opset = 13) {
    model_.set_ir_version(7);
    model_.set_producer_name("layerwatt tests");
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  /// A float data input; a dimension of 0 is dynamic (named `batch`).
  graph_maker& input(const std::string& name, const std::vector<std::int64_t>& dims) {
    add_value(*graph().add_input(), name, dims);
    return *this;
  }

  /// A weight as export_params=False writes it: a graph input without a value.
  graph_maker& weight(const std::string& name, const std::vector<std::int64_t>& dims) { return input(name, dims); }

  /// A weight saved with the model: an initializer of zeros.
  graph_maker& initializer(const std::string& name, const std::vector<std::int64_t>& dims) {
    auto* t = graph().add_initializer();
    t->set_name(name);
    t->set_data_type(::ONNX_NAMESPACE::TensorProto::FLOAT);
    std::int64_t n = 1;
    for (const auto d : dims) {
      t->add_dims(d);
      n *= d;
    }
    t->mutable_raw_data()->assign(static_cast<std::size_t>(n) * sizeof(float), '\0');
    return *this;
  }

  /// A Constant node of int64 values (a shape, pads, axes): 1-D unless `dims` are given.
  graph_maker& constant(const std::string& name, const std::vector<std::int64_t>& values,
                        std::optional<std::vector<std::int64_t>> dims = std::nullopt) {
    ::ONNX_NAMESPACE::TensorProto t;
    t.set_data_type(::ONNX_NAMESPACE::TensorProto::INT64);
    for (const auto d : dims.value_or(std::vector<std::int64_t>{static_cast<std::int64_t>(values.size())})) t.add_dims(d);
    for (const auto v : values) t.add_int64_data(v);
    return constant_node(name, std::move(t));
  }

  /// A Constant node of float values (Resize's scales), 1-D.
  graph_maker& floats(const std::string& name, const std::vector<float>& values) {
    ::ONNX_NAMESPACE::TensorProto t;
    t.set_data_type(::ONNX_NAMESPACE::TensorProto::FLOAT);
    t.add_dims(static_cast<std::int64_t>(values.size()));
    for (const auto v : values) t.add_float_data(v);
    return constant_node(name, std::move(t));
  }

  /// A Constant node holding one float (a Clip bound, a divisor).
  graph_maker& scalar(const std::string& name, float value) {
    ::ONNX_NAMESPACE::TensorProto t;
    t.set_data_type(::ONNX_NAMESPACE::TensorProto::FLOAT);
    t.add_float_data(value);
    return constant_node(name, std::move(t));
  }

  /// A node; named "/<first output>" unless `name` is given.
  graph_maker& node(const std::string& op, const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                    const std::vector<::ONNX_NAMESPACE::AttributeProto>& attributes = {}, std::string name = {},
                    const std::string& domain = {}) {
    auto* n = graph().add_node();
    n->set_op_type(op);
    n->set_domain(domain);
    n->set_name(name.empty() ? "/" + outputs.front() : std::move(name));
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    for (const auto& a : attributes) *n->add_attribute() = a;
    return *this;
  }

  /// A graph output (its shape left to shape inference).
  graph_maker& output(const std::string& name) {
    graph().add_output()->set_name(name);
    return *this;
  }

  [[nodiscard]] const ::ONNX_NAMESPACE::ModelProto& model() const noexcept { return model_; }
  ::ONNX_NAMESPACE::ModelProto& model() noexcept { return model_; }

  /// The layers the ONNX front end reads from the graph, as from a file "test.onnx".
  [[nodiscard]] io::engine_info engine(const onnx::read_options& options = {}) const {
    return onnx::to_engine_info(model_, "test.onnx", options);
  }

  /// The model written to `file`.
  void save(const std::filesystem::path& file) const {
    std::ofstream out(file, std::ios::binary);
    model_.SerializeToOstream(&out);
  }

 private:
  ::ONNX_NAMESPACE::GraphProto& graph() { return *model_.mutable_graph(); }

  static void add_value(::ONNX_NAMESPACE::ValueInfoProto& v, const std::string& name, const std::vector<std::int64_t>& dims) {
    v.set_name(name);
    auto* tensor = v.mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(::ONNX_NAMESPACE::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    for (const auto d : dims) {
      auto* dim = shape->add_dim();
      if (d > 0) dim->set_dim_value(d);
      else dim->set_dim_param("batch");
    }
  }

  graph_maker& constant_node(const std::string& name, ::ONNX_NAMESPACE::TensorProto value) {
    auto* n = graph().add_node();
    n->set_op_type("Constant");
    n->set_name("/" + name);
    n->add_output(name);
    auto* a = n->add_attribute();
    a->set_name("value");
    a->set_type(::ONNX_NAMESPACE::AttributeProto::TENSOR);
    *a->mutable_t() = std::move(value);
    return *this;
  }

  ::ONNX_NAMESPACE::ModelProto model_;
};

/// The layers of `engine` of `layer_type`.
inline std::vector<const io::engine_layer*> layers_typed(const io::engine_info& engine, std::string_view layer_type) {
  std::vector<const io::engine_layer*> out;
  for (const auto& l : engine.layers)
    if (l.layer_type == layer_type) out.push_back(&l);
  return out;
}

/// The layer types of `engine`, in order.
inline std::vector<std::string> layer_types(const io::engine_info& engine) {
  std::vector<std::string> out;
  for (const auto& l : engine.layers) out.push_back(l.layer_type);
  return out;
}

}  // namespace layerwatt::testing
