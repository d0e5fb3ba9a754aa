#pragma once
// The layers TensorRT's ONNX parser would build for a graph whose shapes are known
// (shape_inference.hpp), through the zoo's network_builder: the builder decides what runs as one
// layer, and this file only finds, in the graph, the chains the builder fuses.
//
// Walking the nodes in graph order (ONNX's topological order):
//  - a node whose inputs are all constants (weights, Constant nodes, shapes) makes a constant:
//    no layer, as TensorRT folds it at build time;
//  - Conv (+ BatchNormalization) (+ Add of an earlier tensor of its shape: the residual, or of a
//    per-channel constant: a bias) (+ an activation the builder fuses) is one convolution, each
//    step taken only where the value before it has no other reader. The residual add fuses into
//    the later of its two producers, as TensorRT does (ResNet's projection shortcut, run after
//    the block's second convolution, takes the add);
//  - Gemm, and MatMul with a weight (+ an Add of a bias), (+ an activation the builder fuses) is
//    a fully connected layer;
//  - x·σ(x) and x·hardsigmoid(x) (SiLU and, below opset 14, hardswish) are the one activation
//    they compute;
//  - pooling windows, global pooling (GlobalAveragePool, GlobalMaxPool, ReduceMean or ReduceMax
//    over H and W) and transposed convolutions are layers of their kinds; reshapes are NoOps (or
//    nothing, where only trailing 1s change), concatenations NoOps (TensorRT writes the inputs
//    into the output), Identity and Dropout nothing;
//  - other element-wise operations, activations, normalisations, softmax, slices, transposes,
//    padding, resizing are memory-bound layers of TensorRT's types;
//  - any other operation is unsupported: an error naming the node, or, with
//    unsupported_ops::skip, a warning and an unclassified layer "ONNX:<op>" in its place.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/onnx/attributes.hpp"
#include "layerwatt/onnx/graph_inputs.hpp"
#include "layerwatt/onnx/read_options.hpp"
#include "layerwatt/onnx/shape_arithmetic.hpp"
#include "layerwatt/zoo/network_builder.hpp"

namespace layerwatt::onnx {

namespace detail {

using ::ONNX_NAMESPACE::GraphProto;
using ::ONNX_NAMESPACE::NodeProto;
using ::ONNX_NAMESPACE::TensorProto;

/// Unary element-wise operations with no activation of their own in the builder.
inline bool is_unary_pointwise(std::string_view op) {
  constexpr std::string_view ops[] = {"Abs",     "Neg",      "Exp",      "Log",      "Sqrt",     "Reciprocal",
                                      "Erf",     "Floor",    "Ceil",     "Round",    "Sign",     "Sin",
                                      "Cos",     "Not",      "Softplus", "Softsign", "Elu",      "Selu",
                                      "Celu",    "ThresholdedRelu",      "PRelu",    "IsNaN",    "IsInf"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

/// Binary (or n-ary) element-wise operations, with TensorRT's ElementWiseOperation names.
inline std::optional<std::string_view> elementwise_operation(std::string_view op) {
  constexpr std::pair<std::string_view, std::string_view> ops[] = {
      {"Add", "SUM"},   {"Sum", "SUM"},     {"Sub", "SUB"},         {"Mul", "PROD"},   {"Div", "DIV"},
      {"Pow", "POW"},   {"Max", "MAX"},     {"Min", "MIN"},         {"Mean", "SUM"},   {"And", "AND"},
      {"Or", "OR"},     {"Xor", "XOR"},     {"Equal", "EQUAL"},     {"Less", "LESS"},  {"Greater", "GREATER"},
      {"Mod", "MOD"},   {"Where", "SELECT"}};
  for (const auto& [onnx, tensorrt] : ops)
    if (onnx == op) return tensorrt;
  return std::nullopt;
}

struct use {
  int node = 0, slot = 0;
};

/// The lowering of one graph; see the file's comment.
class graph_to_engine {
 public:
  graph_to_engine(const GraphProto& graph, const graph_inputs& inputs, const shape_map& shapes, std::string file,
                  const read_options& options)
      : graph_(graph),
        shapes_(shapes),
        file_(std::move(file)),
        options_(options),
        b_(file_, options.precision, zoo::tensorrt_frontend::onnx_parser),
        fused_(static_cast<std::size_t>(graph.node_size()), false) {
    for (const auto& name : inputs.weights) constants_.insert(name);
    for (const auto& o : graph.output()) graph_outputs_.insert(o.name());
    for (const auto& t : graph.initializer()) constant_tensors_.emplace(t.name(), &t);
    std::unordered_map<std::string, int> seen;
    for (int n = 0; n < graph.node_size(); ++n) {
      const auto& node = graph.node(n);
      for (int slot = 0; slot < node.input_size(); ++slot)
        if (!node.input(slot).empty()) consumers_[node.input(slot)].push_back({n, slot});
      if (node.op_type() == "Constant" && node.domain().empty())
        if (const auto* value = attribute(node, "value")) constant_tensors_.emplace(node.output(0), &value->t());
      // TensorRT's ONNX parser names a layer after its node, or after the node's first output.
      std::string name = !node.name().empty() ? node.name()
                         : node.output_size() > 0 ? "node_of_" + node.output(0)
                                                  : fmt::format("node_{}", n);
      if (const int earlier = seen[name]++; earlier > 0) name += fmt::format("_{}", earlier);
      names_.push_back(std::move(name));
    }
    for (const auto& name : inputs.data) tensors_.emplace(name, b_.add_input(name, shape_of(name, -1)));
  }

  io::engine_info run() {
    for (int n = 0; n < graph_.node_size(); ++n) {
      if (fused_[static_cast<std::size_t>(n)]) continue;
      if (makes_constant(node(n))) {
        for (const auto& out : node(n).output()) constants_.insert(out);
        continue;
      }
      lower(n);
    }
    for (const auto& o : graph_.output()) {
      const auto it = tensors_.find(o.name());
      if (it == tensors_.end())
        throw error(fmt::format("{}: output \"{}\" is a constant (no layer computes it)", file_, o.name()));
      b_.mark_output(it->second, o.name(), shape_of(o.name(), -1));
    }
    return b_.finish();
  }

 private:
  // ---- the graph ---------------------------------------------------------------------------
  [[nodiscard]] const NodeProto& node(int n) const { return graph_.node(n); }
  [[nodiscard]] const std::string& name(int n) const { return names_[static_cast<std::size_t>(n)]; }
  [[nodiscard]] const std::string& op(int n) const { return node(n).op_type(); }

  [[noreturn]] void fail(int n, std::string_view what) const {
    throw error(fmt::format("{}: node \"{}\" ({}): {}", file_, name(n), op(n), what));
  }

  /// The static shape of `value`; `n` (the node reading it, −1 for none) names it in the error.
  const std::vector<std::int64_t>& shape_of(const std::string& value, int n) const {
    const auto it = shapes_.find(value);
    if (it != shapes_.end()) return it->second;
    const std::string what = fmt::format("the shape of \"{}\" is not known after shape inference (computed from the "
                                         "data, or a dynamic dimension left)",
                                         value);
    if (n >= 0) fail(n, what);
    throw error(fmt::format("{}: {}", file_, what));
  }

  [[nodiscard]] bool is_constant(const std::string& value) const { return value.empty() || constants_.contains(value); }

  bool makes_constant(const NodeProto& n) const {
    if (!n.domain().empty() && n.domain() != "ai.onnx") return false;
    if (n.op_type() == "Shape" || n.op_type() == "Size") return true;  // the shapes are static
    return std::all_of(n.input().begin(), n.input().end(), [&](const std::string& i) { return is_constant(i); });
  }

  /// The one reader of `value`, when it has exactly one and is not a graph output.
  [[nodiscard]] std::optional<use> sole_use(const std::string& value) const {
    const auto it = consumers_.find(value);
    if (it == consumers_.end() || it->second.size() != 1 || graph_outputs_.contains(value)) return std::nullopt;
    return it->second.front();
  }

  /// The tensor a data input of node `n` holds.
  const zoo::tensor& data(int n, int slot) const {
    const std::string& value = node(n).input(slot);
    const auto it = tensors_.find(value);
    if (it != tensors_.end()) return it->second;
    fail(n, fmt::format("input {} (\"{}\") is {} where data is expected", slot, value,
                        is_constant(value) ? "a constant" : "not computed"));
  }

  /// The tensors of node `n`'s data inputs, constants left out.
  std::vector<zoo::tensor> data_inputs(int n) const {
    std::vector<zoo::tensor> out;
    for (int slot = 0; slot < node(n).input_size(); ++slot)
      if (!is_constant(node(n).input(slot))) out.push_back(data(n, slot));
    return out;
  }

  /// A scalar constant's value (a Clip bound, a padding); none when it is not in the file.
  [[nodiscard]] std::optional<double> scalar(const std::string& value) const {
    const auto it = constant_tensors_.find(value);
    if (it == constant_tensors_.end()) return std::nullopt;
    const TensorProto& t = *it->second;
    if (t.data_type() == TensorProto::FLOAT) {
      if (t.float_data_size() == 1) return t.float_data(0);
      if (t.raw_data().size() == sizeof(float)) {
        float f = 0;
        std::memcpy(&f, t.raw_data().data(), sizeof f);
        return f;
      }
      return std::nullopt;
    }
    const auto ints = integer_values(t);
    if (!ints || ints->values.size() != 1) return std::nullopt;
    return static_cast<double>(ints->values[0]);
  }

  /// A constant integer tensor's values (Pad's pads); none when not in the file.
  [[nodiscard]] std::optional<std::vector<std::int64_t>> integers(const std::string& value) const {
    const auto it = constant_tensors_.find(value);
    if (it == constant_tensors_.end()) return std::nullopt;
    auto t = integer_values(*it->second);
    if (!t) return std::nullopt;
    return std::move(t->values);
  }

  void set(const std::string& value, zoo::tensor t) { tensors_.insert_or_assign(value, std::move(t)); }

  /// Checks the builder's shape against shape inference's for `value` (up to trailing 1s).
  void set_checked(int n, const std::string& value, zoo::tensor t) {
    const auto& expected = shape_of(value, n);
    if (zoo::without_trailing_ones(t.dims) != zoo::without_trailing_ones(expected))
      fail(n, fmt::format("TensorRT's rule gives \"{}\" the shape [{}], ONNX shape inference [{}]", value,
                          fmt::join(t.dims, ", "), fmt::join(expected, ", ")));
    set(value, std::move(t));
  }

  void unsupported(int n, std::string_view why) {
    if (options_.unsupported == unsupported_ops::fail)
      fail(n, fmt::format("not supported: {} (docs/onnx.md lists what is read; skip unsupported nodes with a warning: "
                          "--unsupported skip)",
                          why));
    options_.warn(fmt::format("{}: node \"{}\" ({}) skipped: {}; it is an unclassified layer \"ONNX:{}\", left out "
                              "of the predicted totals",
                              file_, name(n), op(n), why, op(n)));
    custom_per_output(n, "ONNX:" + op(n));
  }

  /// One layer of `layer_type` per output of node `n` (a Split's slices, a skipped node's results).
  void custom_per_output(int n, const std::string& layer_type) {
    auto inputs = data_inputs(n);
    for (int k = 0; k < node(n).output_size(); ++k) {
      const std::string& out = node(n).output(k);
      if (out.empty()) continue;
      const auto& dims = shape_of(out, n);
      set(out, b_.custom(k == 0 ? name(n) : fmt::format("{}_{}", name(n), k), layer_type, inputs, dims));
    }
  }

  /// A memory-bound layer of `layer_type` for node `n` (one output), `fields` the inspector's.
  void custom(int n, std::string_view layer_type, nlohmann::json fields = nlohmann::json::object(),
              bool row_major = false, std::string_view parameter_type = {}) {
    const std::string& out = node(n).output(0);
    set(out, b_.custom(name(n), layer_type, data_inputs(n), shape_of(out, n), std::move(fields), row_major,
                       parameter_type));
  }

  // ---- fusion chains ------------------------------------------------------------------------
  /// Clip's bounds (attributes before opset 11, inputs from it) as an activation: ReLU6 for
  /// [0, 6], ReLU for [0, ∞); none for others.
  std::optional<zoo::activation> clip_activation(int n) const {
    const NodeProto& c = node(n);
    std::optional<double> low, high;
    if (c.input_size() > 1 || attribute(c, "min") == nullptr) {
      low = c.input_size() > 1 && !c.input(1).empty() ? scalar(c.input(1)) : -std::numeric_limits<double>::infinity();
      high = c.input_size() > 2 && !c.input(2).empty() ? scalar(c.input(2)) : std::numeric_limits<double>::infinity();
    } else {
      low = float_attribute(c, "min", -std::numeric_limits<float>::infinity());
      high = float_attribute(c, "max", std::numeric_limits<float>::infinity());
    }
    if (!low || !high || *low != 0) return std::nullopt;
    if (*high == 6) return zoo::activation::relu6;
    if (std::isinf(*high)) return zoo::activation::relu;
    return std::nullopt;
  }

  /// The activation node `n` applies, if it is one the builder knows.
  std::optional<zoo::activation> activation_of(int n) const {
    const std::string& o = op(n);
    if (!node(n).domain().empty()) return std::nullopt;
    if (o == "Relu") return zoo::activation::relu;
    if (o == "Clip") return clip_activation(n);
    if (o == "Sigmoid") return zoo::activation::sigmoid;
    if (o == "HardSigmoid") return zoo::activation::hardsigmoid;
    if (o == "HardSwish") return zoo::activation::hardswish;
    if (o == "Tanh") return zoo::activation::tanh;
    if (o == "LeakyRelu") return zoo::activation::leaky_relu;
    return std::nullopt;
  }

  /// The activation after `value` the builder fuses into the layer that writes it: marks its
  /// node fused and moves `value` to its output.
  std::optional<zoo::activation> take_fused_activation(std::string& value, std::string_view& path) {
    const auto u = sole_use(value);
    if (!u) return std::nullopt;
    const auto act = activation_of(u->node);
    if (!act || !zoo::network_builder::fuses(*act)) return std::nullopt;
    take(*u, value);
    path = name(u->node);
    return act;
  }

  /// Marks the node of `u` fused and moves `value` to its output.
  void take(const use& u, std::string& value) {
    fused_[static_cast<std::size_t>(u.node)] = true;
    value = node(u.node).output(0);
  }

  /// An Add of a constant to `value` with one value per channel (or feature) — a bias the
  /// exporter wrote apart — taken into the layer that writes `value`.
  bool take_bias(std::string& value, std::int64_t channels) {
    const auto u = sole_use(value);
    if (!u || op(u->node) != "Add" || node(u->node).input_size() != 2) return false;
    const std::string& other = node(u->node).input(1 - u->slot);
    if (!constants_.contains(other)) return false;
    const auto it = shapes_.find(other);
    if (it == shapes_.end()) return false;
    std::int64_t count = 1;
    for (const auto d : it->second) count *= d;
    if (count != channels) return false;
    take(*u, value);
    return true;
  }

  // ---- operations ---------------------------------------------------------------------------
  /// ONNX's pads [x1_begin, x2_begin, x1_end, x2_end] of a 2-D window, or auto_pad's.
  zoo::padding2d window_padding(int n, const std::vector<std::int64_t>& in, const zoo::extent& kernel,
                                const zoo::extent& stride, const zoo::extent& dilation) const {
    const std::string auto_pad = string_attribute(node(n), "auto_pad", "NOTSET");
    if (auto_pad == "NOTSET") {
      const auto pads = ints_attribute(node(n), "pads").value_or(std::vector<std::int64_t>(4, 0));
      if (pads.size() != 4) fail(n, fmt::format("pads has {} values; a 2-D window has 4", pads.size()));
      return {{pads[0], pads[1]}, {pads[2], pads[3]}};
    }
    if (auto_pad == "VALID") return 0;
    if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER") fail(n, fmt::format("auto_pad {} is not ONNX's", auto_pad));
    // SAME: the output is ⌈in / stride⌉; the padding it takes goes after (SAME_UPPER) or before.
    const auto same = [&](std::int64_t size, std::int64_t k, std::int64_t s, std::int64_t d) {
      const std::int64_t out = (size + s - 1) / s;
      const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + d * (k - 1) + 1 - size);
      return auto_pad == "SAME_UPPER" ? std::pair{total / 2, total - total / 2} : std::pair{total - total / 2, total / 2};
    };
    const auto [top, bottom] = same(in[2], kernel.h, stride.h, dilation.h);
    const auto [left, right] = same(in[3], kernel.w, stride.w, dilation.w);
    return {{top, left}, {bottom, right}};
  }

  /// A 2-D attribute (kernel_shape, strides, dilations), `fallback` where absent.
  zoo::extent pair_attribute(int n, std::string_view attr, zoo::extent fallback) const {
    const auto values = ints_attribute(node(n), attr);
    if (!values) return fallback;
    if (values->size() != 2) fail(n, fmt::format("{} has {} values; a 2-D window has 2", attr, values->size()));
    return {(*values)[0], (*values)[1]};
  }

  /// The shape of node `n`'s weight (input 1): a constant of 4 dimensions, its data of 4 too;
  /// none — the node handled as unsupported — otherwise. `what` names the operation.
  const std::vector<std::int64_t>* window_weight(int n, std::string_view what) {
    const std::size_t rank = data(n, 0).dims.size();
    if (!is_constant(node(n).input(1))) {
      unsupported(n, fmt::format("a {} whose weight is computed from data", what));
      return nullptr;
    }
    const auto& w = shape_of(node(n).input(1), n);
    if (rank == 4 && w.size() == 4) return &w;
    unsupported(n, fmt::format("a {}-D {} (2-D ones are read)", rank - 2, what));
    return nullptr;
  }

  /// Node `n`'s convolution window — kernel (from its weight `w` where kernel_shape is absent),
  /// strides, dilations, padding — with nothing fused yet.
  zoo::conv_spec convolution_window(int n, std::int64_t out_channels, std::int64_t groups,
                                    const std::vector<std::int64_t>& w) const {
    zoo::conv_spec spec{.out_channels = out_channels,
                        .kernel = pair_attribute(n, "kernel_shape", {w[2], w[3]}),
                        .stride = pair_attribute(n, "strides", 1),
                        .dilation = pair_attribute(n, "dilations", 1),
                        .groups = groups,
                        .batch_norm = false,
                        .act = zoo::activation::none};
    spec.padding = window_padding(n, data(n, 0).dims, spec.kernel, spec.stride, spec.dilation);
    return spec;
  }

  void conv(int n) {
    const auto* weight = window_weight(n, "convolution");
    if (!weight) return;
    const auto& w = *weight;
    const zoo::tensor& x = data(n, 0);
    const auto groups = int_attribute(node(n), "group", 1);
    if (w[1] * groups != x.dims[1])  // ONNX 1.12's shape inference does not check it
      fail(n, fmt::format("the weight [{}] takes {} input channels in {} group(s); the input has {}", fmt::join(w, ", "),
                          w[1] * groups, groups, x.dims[1]));
    zoo::conv_spec spec = convolution_window(n, w[0], groups, w);
    std::string value = node(n).output(0);
    if (const auto u = sole_use(value); u && op(u->node) == "BatchNormalization" && u->slot == 0 &&
                                        int_attribute(node(u->node), "training_mode", 0) == 0 &&
                                        node(u->node).output_size() == 1) {
      take(*u, value);
      spec.batch_norm = true;
      spec.batch_norm_path = name(u->node);
    }
    zoo::tensor residual;
    if (const auto u = sole_use(value); u && op(u->node) == "Add" && node(u->node).input_size() == 2) {
      const std::string& other = node(u->node).input(1 - u->slot);
      const auto computed = tensors_.find(other);
      if (computed != tensors_.end() && shapes_.contains(value) && shapes_.contains(other) &&
          shapes_.at(other) == shapes_.at(value)) {
        residual = computed->second;
        take(*u, value);
        spec.residual = &residual;
        spec.add_path = name(u->node);
      }
    }
    if (!spec.residual) take_bias(value, spec.out_channels);
    if (const auto act = take_fused_activation(value, spec.activation_path)) spec.act = *act;
    set_checked(n, value, b_.conv(x, name(n), spec));
  }

  void deconv(int n) {
    const auto* weight = window_weight(n, "transposed convolution");
    if (!weight) return;
    const auto& w = *weight;
    if (attribute(node(n), "output_shape") || string_attribute(node(n), "auto_pad", "NOTSET") != "NOTSET")
      return unsupported(n, "a transposed convolution sized by output_shape or auto_pad (give pads instead)");
    const auto groups = int_attribute(node(n), "group", 1);
    const zoo::conv_spec spec = convolution_window(n, w[1] * groups, groups, w);
    set_checked(n, node(n).output(0), b_.deconv(data(n, 0), name(n), spec, pair_attribute(n, "output_padding", 0)));
  }

  void pool(int n) {
    const zoo::tensor& x = data(n, 0);
    if (x.dims.size() != 4) return unsupported(n, fmt::format("a {}-D pooling (2-D ones are read)", x.dims.size() - 2));
    if (node(n).output_size() > 1 && !node(n).output(1).empty())
      return unsupported(n, "a max pooling whose indices are read");
    if (pair_attribute(n, "dilations", 1) != zoo::extent(1)) return unsupported(n, "a dilated pooling window");
    const bool max = op(n) == "MaxPool";
    zoo::pool_spec spec{.type = max ? "MAX" : "AVERAGE",
                        .window = pair_attribute(n, "kernel_shape", 0),
                        .stride = pair_attribute(n, "strides", 1),
                        .ceil_mode = int_attribute(node(n), "ceil_mode", 0) != 0,
                        .exclude_padding = int_attribute(node(n), "count_include_pad", 0) == 0};
    spec.padding = window_padding(n, x.dims, spec.window, spec.stride, 1);
    set_checked(n, node(n).output(0), b_.pool(x, name(n), spec));
  }

  /// A pooling of all of H×W: TensorRT's global pooling.
  void global_pool(int n, bool max) {
    const zoo::tensor& x = data(n, 0);
    if (x.dims.size() != 4) return unsupported(n, fmt::format("a global pooling of a {}-D tensor", x.dims.size()));
    set_checked(n, node(n).output(0),
                max ? b_.pool(x, name(n), {.type = "MAX", .window = {x.dims[2], x.dims[3]}})
                    : b_.adaptive_avg_pool(x, name(n), 1, 1));
  }

  void reduce(int n) {
    const zoo::tensor& x = data(n, 0);
    auto axes = ints_attribute(node(n), "axes").value_or(std::vector<std::int64_t>{});
    for (auto& a : axes)
      if (a < 0) a += static_cast<std::int64_t>(x.dims.size());
    std::sort(axes.begin(), axes.end());
    if ((op(n) == "ReduceMean" || op(n) == "ReduceMax") && x.dims.size() == 4 && axes == std::vector<std::int64_t>{2, 3})
      return global_pool(n, op(n) == "ReduceMax");
    custom(n, "Reduce", {{"Operation", op(n)}});
  }

  /// A fully connected layer: Gemm, or MatMul by a weight [K, M].
  void dense(int n) {
    const NodeProto& g = node(n);
    const bool gemm = op(n) == "Gemm";
    if (!is_constant(g.input(1)) || !tensors_.contains(g.input(0))) {
      // A product of two activations (attention): a matrix multiply Myelin runs, no weight.
      if (gemm) return unsupported(n, "a Gemm whose B is computed from data");
      return custom(n, "gemm", {}, false, "MatrixMultiply");
    }
    if (gemm && int_attribute(g, "transA", 0) != 0) return unsupported(n, "a Gemm with transA");
    const auto& w = shape_of(g.input(1), n);
    if (w.size() != 2) return custom(n, "gemm", {}, false, "MatrixMultiply");
    const std::int64_t k = gemm && int_attribute(g, "transB", 0) != 0 ? w[1] : w[0];
    const std::int64_t m = gemm && int_attribute(g, "transB", 0) != 0 ? w[0] : w[1];
    zoo::tensor x = data(n, 0);
    const bool rows_only = x.dims.size() == 2 || (x.dims.size() == 4 && x.dims[2] == 1 && x.dims[3] == 1);
    if (x.dims[1] != k || !rows_only) {
      // A MatMul over the last axis of an N-D tensor: a fully connected layer over its rows.
      if (x.dims.back() != k) fail(n, fmt::format("the data's last dimension is not the weight's {}", k));
      std::int64_t rows = 1;
      for (std::size_t i = 0; i + 1 < x.dims.size(); ++i) rows *= x.dims[i];
      x = b_.reshape(x, "reshape_before_" + name(n), {rows, k, 1, 1});
    }
    std::string value = g.output(0);
    if (!gemm) take_bias(value, m);
    std::string_view activation_path;
    const auto act = take_fused_activation(value, activation_path).value_or(zoo::activation::none);
    zoo::tensor y = b_.linear(x, name(n), m, act, activation_path);
    const auto& expected = shape_of(value, n);
    if (zoo::without_trailing_ones(expected).size() > 2) y = b_.reshape(y, "reshape_after_" + name(n), expected);
    set_checked(n, value, std::move(y));
  }

  /// Sigmoid, HardSigmoid: x·f(x) is SiLU or hardswish, one activation; alone, an activation.
  void gate(int n, zoo::activation alone, zoo::activation times_input) {
    const std::string& x = node(n).input(0);
    if (const auto u = sole_use(node(n).output(0)); u && op(u->node) == "Mul" && node(u->node).input_size() == 2 &&
                                                    node(u->node).input(1 - u->slot) == x) {
      fused_[static_cast<std::size_t>(u->node)] = true;
      return set(node(u->node).output(0),
                 b_.pointwise(data(n, 0), fmt::format("PWN({}, {})", name(n), name(u->node)), times_input));
    }
    set(node(n).output(0), b_.pointwise(data(n, 0), name(n), alone));
  }

  void activation(int n) {
    if (const auto act = activation_of(n)) return set(node(n).output(0), b_.pointwise(data(n, 0), name(n), *act));
    custom(n, "PointWiseV2", {{"Operation", op(n)}});  // a Clip to other bounds
  }

  void elementwise(int n, std::string_view operation) {
    const auto inputs = data_inputs(n);
    const auto& out = shape_of(node(n).output(0), n);
    if (op(n) == "Add" && inputs.size() == 2 && inputs[0].dims == inputs[1].dims && inputs[0].dims == out)
      return set(node(n).output(0), b_.add(inputs[0], inputs[1], name(n)));
    if (op(n) == "Mul" && inputs.size() == 2 && out.size() == 4) {
      const bool first_scales = inputs[0].dims == std::vector<std::int64_t>{out[0], out[1], 1, 1};
      const zoo::tensor& x = first_scales ? inputs[1] : inputs[0];
      const zoo::tensor& s = first_scales ? inputs[0] : inputs[1];
      if (x.dims == out && s.dims == std::vector<std::int64_t>{out[0], out[1], 1, 1})
        return set(node(n).output(0), b_.multiply(x, s, name(n)));
    }
    custom(n, "ElementWise", {{"Operation", operation}});
  }

  /// Reshape, Flatten, Squeeze, Unsqueeze: [N, C, H, W] to [N, C·H·W] is a flatten.
  void reshape(int n) {
    const zoo::tensor& x = data(n, 0);
    const auto& out = shape_of(node(n).output(0), n);
    if (x.dims.size() == 4 && out.size() == 2 && out[0] == x.dims[0] && out[1] == x.dims[1] * x.dims[2] * x.dims[3])
      return set(node(n).output(0), b_.flatten(x, name(n)));
    set(node(n).output(0), b_.reshape(x, name(n), out));
  }

  /// The builder's transpose: a reshape when only axes of size 1 move, a Shuffle otherwise.
  void transpose(int n) {
    zoo::tensor x = data(n, 0);
    x.dims = shape_of(node(n).input(0), n);  // the graph's rank ([N, F], where the builder may keep [N, F, 1, 1])
    auto perm = ints_attribute(node(n), "perm").value_or(std::vector<std::int64_t>{});
    if (perm.empty())
      for (std::size_t i = x.dims.size(); i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
    set_checked(n, node(n).output(0), b_.transpose(x, name(n), perm));
  }

  void pad(int n) {
    const std::string mode = string_attribute(node(n), "mode", "constant");
    std::optional<std::vector<std::int64_t>> pads = node(n).input_size() > 1 ? integers(node(n).input(1))
                                                                            : ints_attribute(node(n), "pads");
    if (pads && std::all_of(pads->begin(), pads->end(), [](auto p) { return p == 0; }))
      return set(node(n).output(0), data(n, 0));  // nothing to pad: TensorRT drops it
    custom(n, "Padding", {{"Mode", mode}});
  }

  void lower(int n) {
    const std::string& o = op(n);
    if (!node(n).domain().empty() && node(n).domain() != "ai.onnx")
      return unsupported(n, fmt::format("an operation of domain \"{}\"", node(n).domain()));
    if (o == "Conv") return conv(n);
    if (o == "ConvTranspose") return deconv(n);
    if (o == "MaxPool" || o == "AveragePool") return pool(n);
    if (o == "GlobalAveragePool" || o == "GlobalMaxPool") return global_pool(n, o == "GlobalMaxPool");
    if (o.starts_with("Reduce")) return reduce(n);
    if (o == "Gemm" || o == "MatMul") return dense(n);
    if (o == "Sigmoid") return gate(n, zoo::activation::sigmoid, zoo::activation::silu);
    if (o == "HardSigmoid") return gate(n, zoo::activation::hardsigmoid, zoo::activation::hardswish);
    if (o == "Relu" || o == "Clip" || o == "HardSwish" || o == "Tanh" || o == "LeakyRelu") return activation(n);
    if (const auto operation = elementwise_operation(o)) return elementwise(n, *operation);
    if (is_unary_pointwise(o)) return custom(n, "PointWiseV2", {{"Operation", o}});
    if (o == "Identity" || o == "Dropout") {
      if (node(n).output_size() > 1 && !node(n).output(1).empty() && consumers_.contains(node(n).output(1)))
        return unsupported(n, "a Dropout whose mask is read");
      return set(node(n).output(0), data(n, 0));
    }
    if (o == "Reshape" || o == "Flatten" || o == "Squeeze" || o == "Unsqueeze") return reshape(n);
    if (o == "Transpose") return transpose(n);
    if (o == "Concat") return custom(n, "NoOp");
    if (o == "Split") return custom_per_output(n, "Slice");
    if (o == "Slice") return custom(n, "Slice", {}, false, "Slice");
    if (o == "Pad") return pad(n);
    if (o == "Resize" || o == "Upsample") return custom(n, "Resize", {}, false, "Resize");
    if (o == "BatchNormalization") {
      if (node(n).output_size() > 1) return unsupported(n, "a batch normalisation in training mode");
      return custom(n, "Scale", {}, false, "Scale");
    }
    if (o == "InstanceNormalization" || o == "LayerNormalization" || o == "LpNormalization" ||
        o == "MeanVarianceNormalization")
      return custom(n, "Normalization", {}, false, "Normalization");
    if (o == "LRN") return custom(n, "LRN", {}, false, "LRN");
    if (o == "Softmax" || o == "LogSoftmax" || o == "Hardmax") return custom(n, "SoftMax", {}, false, "SoftMax");
    if (o == "Gather") return custom(n, "Gather", {}, false, "Gather");
    if (o == "Cast") return custom(n, "Cast", {}, false, "Cast");
    unsupported(n, fmt::format("no rule for {}", o));
  }

  const GraphProto& graph_;
  const shape_map& shapes_;
  std::string file_;
  const read_options& options_;
  zoo::network_builder b_;
  std::vector<std::string> names_;
  std::vector<bool> fused_;
  std::unordered_set<std::string> constants_, graph_outputs_;
  std::unordered_map<std::string, const TensorProto*> constant_tensors_;
  std::unordered_map<std::string, std::vector<use>> consumers_;
  std::unordered_map<std::string, zoo::tensor> tensors_;
};

}  // namespace detail

/// The engine TensorRT's ONNX parser would build for `graph`, its shapes inferred (`shapes`) and
/// its inputs told apart (`inputs`); `file` names it in errors and warnings.
inline io::engine_info graph_to_engine(const ::ONNX_NAMESPACE::GraphProto& graph, const graph_inputs& inputs,
                                       const shape_map& shapes, std::string file, const read_options& options) {
  return detail::graph_to_engine(graph, inputs, shapes, std::move(file), options).run();
}

}  // namespace layerwatt::onnx
