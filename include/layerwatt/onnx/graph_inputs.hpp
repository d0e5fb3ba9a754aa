#pragma once
// Which inputs of an ONNX graph are the network's data and which are its weights. A model saved
// with its weights holds them as initializers; one exported with `export_params=False` (graph
// only, a few kilobytes) lists every weight as a graph input without a value, beside the data.
//
// A graph input is a weight when it is an initializer, or when every use of it reads it as one:
// a convolution's or transposed convolution's weight or bias (Conv, ConvTranspose slots 1 and 2),
// a GEMM's B or C, a MatMul's second operand, a normalisation's scale, bias, mean or variance, a
// PRelu's slope, an operand added to a MatMul's, Gemm's or convolution's output (a bias the
// exporter wrote as an Add), or an input of an operation that only reshapes, transposes, casts or
// (de)quantises a weight into one of these. Every other input is data: a binding of the engine.
// A parameter used otherwise (a layer scale's Mul) therefore counts as a data input of static
// shape — a binding too many, not a wrong shape.

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

namespace layerwatt::onnx {

struct graph_inputs {
  std::vector<std::string> data;             ///< in graph order: the engine's input bindings
  std::unordered_set<std::string> weights;   ///< graph inputs and initializers holding weights
};

namespace detail {

/// The input slots of `op` that hold weights.
inline bool is_weight_slot(std::string_view op, int slot) {
  if (op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "InstanceNormalization" ||
      op == "LayerNormalization")
    return slot == 1 || slot == 2;
  if (op == "BatchNormalization") return slot >= 1 && slot <= 4;
  if (op == "MatMul" || op == "PRelu") return slot == 1;
  return false;
}

/// Operations that hand a weight on unchanged in what it is (slot 0).
inline bool passes_weight_on(std::string_view op) {
  return op == "Identity" || op == "Cast" || op == "Transpose" || op == "Reshape" || op == "Unsqueeze" ||
         op == "Squeeze" || op == "Flatten" || op == "DequantizeLinear" || op == "QuantizeLinear";
}

inline bool has_weight(std::string_view op) {
  return op == "MatMul" || op == "Gemm" || op == "Conv" || op == "ConvTranspose";
}

class weight_uses {
 public:
  explicit weight_uses(const ::ONNX_NAMESPACE::GraphProto& graph) : graph_(graph) {
    for (int n = 0; n < graph.node_size(); ++n) {
      const auto& node = graph.node(n);
      for (int slot = 0; slot < node.input_size(); ++slot) consumers_[node.input(slot)].emplace_back(n, slot);
      for (const auto& out : node.output()) producer_[out] = n;
    }
  }

  /// Whether every use of `value` reads it as a weight (and it has a use).
  bool only_as_weight(const std::string& value) {
    if (const auto it = memo_.find(value); it != memo_.end()) return it->second;
    memo_[value] = false;  // a cycle (not valid ONNX) is not a weight
    const auto it = consumers_.find(value);
    bool weight = it != consumers_.end();
    if (weight)
      for (const auto& [n, slot] : it->second) {
        const auto& node = graph_.node(n);
        if (node.domain().empty() && (is_weight_slot(node.op_type(), slot) || adds_a_bias(node, slot))) continue;
        if (node.domain().empty() && slot == 0 && passes_weight_on(node.op_type()) && node.output_size() > 0 &&
            std::all_of(node.output().begin(), node.output().end(), [&](const std::string& o) { return only_as_weight(o); }))
          continue;
        weight = false;
        break;
      }
    memo_[value] = weight;
    return weight;
  }

 private:
  /// An Add of this slot's operand to a MatMul's, Gemm's or convolution's output.
  bool adds_a_bias(const ::ONNX_NAMESPACE::NodeProto& node, int slot) const {
    if (node.op_type() != "Add" || node.input_size() != 2) return false;
    const auto producer = producer_.find(node.input(1 - slot));
    return producer != producer_.end() && has_weight(graph_.node(producer->second).op_type());
  }

  const ::ONNX_NAMESPACE::GraphProto& graph_;
  std::unordered_map<std::string, std::vector<std::pair<int, int>>> consumers_;
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, bool> memo_;
};

}  // namespace detail

/// The graph's data inputs and weights (see above). An input nothing reads is neither.
inline graph_inputs classify_graph_inputs(const ::ONNX_NAMESPACE::GraphProto& graph) {
  graph_inputs out;
  for (const auto& t : graph.initializer()) out.weights.insert(t.name());
  std::unordered_set<std::string> read;
  for (const auto& node : graph.node())
    for (const auto& name : node.input()) read.insert(name);
  for (const auto& o : graph.output()) read.insert(o.name());
  detail::weight_uses uses(graph);
  for (const auto& input : graph.input()) {
    const std::string& name = input.name();
    if (out.weights.contains(name) || !read.contains(name)) continue;
    if (uses.only_as_weight(name)) out.weights.insert(name);
    else out.data.push_back(name);
  }
  return out;
}

}  // namespace layerwatt::onnx
