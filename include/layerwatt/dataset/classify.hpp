#pragma once
// What each layer of a TensorRT engine computes — its kind — decided from what the engine
// inspector says the layer *is*, not from the kernel family TensorRT happened to pick:
//
//   const auto layers = dataset::classify_layers(engine);     // one entry per engine layer
//   for (const auto& l : layers)
//     if (const auto kind = l.modelled()) ... features::features_of<...>(l.features_layer()) ...
//
// The rules, in order (docs/classification.md has the whole table, TensorRT's LayerType names
// and every type seen in real engines):
//   1. a layer that reads and writes nothing (Myelin's shape_call), or of type NoOp: no-op;
//   2. its ParameterType — TensorRT's ILayer type (Convolution, Pooling, PointWise, Reduce,
//      MatrixMultiply, ...) — looked up in the table;
//   3. otherwise its LayerType, the kernel family (CaskConvolution, TiledPooling, Reformat, ...);
//   4. a layer Myelin compiled (kgen, gemm, Myelin, ForeignNode) by its origin: the ONNX layers
//      its Metadata names, else the operation in its name (Torch-TensorRT's "[MATRIX_MULTIPLY]",
//      Myelin's "__myl_MulSumAdd"), together with its tensors.
// Shapes refine three cases: a convolution with a 1×1 kernel on a 1×1 input is a dense layer; a
// reduction of the spatial dimensions to 1×1 is global pooling; a matrix multiply is dense only
// with a weight among its inputs (an input no layer produces and no binding names), a 1×1
// convolution when it runs at every position of a feature map, and memory-bound without one. A
// convolution or pooling over other than two spatial dimensions (Conv3d, a 1-d layer built through
// the network API, or a malformed "Kernel") is unclassified: the kinds' features are 2-d.
// Layers Myelin compiled are rewritten in the inspector's own form for the features (see
// classified_layer::features_layer). A type in no table is `unclassified`, reported by name.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/io/engine_info.hpp"

namespace layerwatt::dataset {

/// A layer's class: one of the modelled kinds, a no-op (costs nothing), or unclassified.
enum class layer_class { convolutional, pooling, dense, memory_bound, no_op, unclassified };

constexpr std::string_view to_string(layer_class c) noexcept {
  constexpr std::array<std::string_view, 6> names = {"convolutional", "pooling",      "dense",
                                                     "memory_bound",  "no_op",        "unclassified"};
  return names[static_cast<std::size_t>(c)];
}

/// The modelled kind of a class; none for no-ops and unclassified layers.
constexpr std::optional<layer_kind> modelled_kind(layer_class c) noexcept {
  if (c == layer_class::no_op || c == layer_class::unclassified) return std::nullopt;
  return static_cast<layer_kind>(c);
}

/// semantic: the rules above (the default); reference: the reference's three LayerType names,
/// every other layer unclassified (layer_kind.hpp), for reproducing the reference's results.
enum class classification_rule { semantic, reference };

constexpr std::string_view to_string(classification_rule r) noexcept {
  return r == classification_rule::semantic ? "semantic" : "reference";
}

constexpr std::optional<classification_rule> classification_rule_from_string(std::string_view name) noexcept {
  if (name == "semantic") return classification_rule::semantic;
  if (name == "reference") return classification_rule::reference;
  return std::nullopt;
}

struct classified_layer {
  const io::engine_layer* layer = nullptr;  ///< as read; the engine must outlive this
  layer_class kind = layer_class::unclassified;
  std::string_view reason;  ///< the rule that decided, for `inspect` and the docs (static text)
  /// A layer Myelin compiled, rewritten as the inspector describes the same operation elsewhere:
  /// a dense layer's one data input as [N, K, 1, 1] and its output as [N, M, 1, 1]; a 1×1
  /// convolution's or a global pooling's "Kernel"/"WindowSize", padding and stride.
  std::optional<io::engine_layer> rewritten;

  /// What the kind's feature columns are read from.
  [[nodiscard]] const io::engine_layer& features_layer() const noexcept { return rewritten ? *rewritten : *layer; }
  [[nodiscard]] std::optional<layer_kind> modelled() const noexcept { return modelled_kind(kind); }
};

namespace detail {

/// "MatrixMultiply", "kMATRIX_MULTIPLY", "MATRIX_MULTIPLY" → "matrixmultiply".
inline std::string normalised_type(std::string_view type) {
  if (type.size() > 1 && type[0] == 'k' && std::isupper(static_cast<unsigned char>(type[1]))) type.remove_prefix(1);
  std::string out;
  for (const char c : type)
    if (c != '_' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// How a table entry decides.
enum class decision { fixed, convolution, reduce, matrix_multiply, myelin };

struct type_rule {
  std::string_view type;  ///< normalised
  decision how;
  layer_class fixed;  ///< for decision::fixed
  std::string_view reason;
};

/// TensorRT's ILayer types (nvinfer1::LayerType, 8.x and 10.x) as the inspector's ParameterType
/// writes them, and the inspector's own PointWise and Reformat.
inline constexpr type_rule parameter_types[] = {
    {"convolution", decision::convolution, layer_class::convolutional, "ParameterType Convolution"},
    {"deconvolution", decision::fixed, layer_class::convolutional, "ParameterType Deconvolution (transposed convolution)"},
    {"pooling", decision::fixed, layer_class::pooling, "ParameterType Pooling"},
    {"reduce", decision::reduce, layer_class::memory_bound, "ParameterType Reduce"},
    {"fullyconnected", decision::fixed, layer_class::dense, "ParameterType FullyConnected"},
    {"matrixmultiply", decision::matrix_multiply, layer_class::dense, "ParameterType MatrixMultiply"},
    {"einsum", decision::matrix_multiply, layer_class::dense, "ParameterType Einsum"},
    {"pointwise", decision::fixed, layer_class::memory_bound, "ParameterType PointWise (fused element-wise operations)"},
    {"reformat", decision::fixed, layer_class::memory_bound, "ParameterType Reformat (a layout or type copy)"},
    {"activation", decision::fixed, layer_class::memory_bound, "ParameterType Activation"},
    {"elementwise", decision::fixed, layer_class::memory_bound, "ParameterType ElementWise"},
    {"scale", decision::fixed, layer_class::memory_bound, "ParameterType Scale"},
    {"unary", decision::fixed, layer_class::memory_bound, "ParameterType Unary"},
    {"parametricrelu", decision::fixed, layer_class::memory_bound, "ParameterType ParametricReLU"},
    {"softmax", decision::fixed, layer_class::memory_bound, "ParameterType SoftMax"},
    {"raggedsoftmax", decision::fixed, layer_class::memory_bound, "ParameterType RaggedSoftMax"},
    {"lrn", decision::fixed, layer_class::memory_bound, "ParameterType LRN"},
    {"normalization", decision::fixed, layer_class::memory_bound, "ParameterType Normalization"},
    {"concatenation", decision::fixed, layer_class::memory_bound, "ParameterType Concatenation"},
    {"shuffle", decision::fixed, layer_class::memory_bound, "ParameterType Shuffle"},
    {"slice", decision::fixed, layer_class::memory_bound, "ParameterType Slice"},
    {"padding", decision::fixed, layer_class::memory_bound, "ParameterType Padding"},
    {"resize", decision::fixed, layer_class::memory_bound, "ParameterType Resize"},
    {"gather", decision::fixed, layer_class::memory_bound, "ParameterType Gather"},
    {"scatter", decision::fixed, layer_class::memory_bound, "ParameterType Scatter"},
    {"cast", decision::fixed, layer_class::memory_bound, "ParameterType Cast"},
    {"identity", decision::fixed, layer_class::memory_bound, "ParameterType Identity (a copy)"},
    {"constant", decision::fixed, layer_class::memory_bound, "ParameterType Constant"},
    {"shape", decision::fixed, layer_class::memory_bound, "ParameterType Shape"},
    {"select", decision::fixed, layer_class::memory_bound, "ParameterType Select"},
    {"fill", decision::fixed, layer_class::memory_bound, "ParameterType Fill"},
    {"topk", decision::fixed, layer_class::memory_bound, "ParameterType TopK"},
    {"onehot", decision::fixed, layer_class::memory_bound, "ParameterType OneHot"},
    {"nonzero", decision::fixed, layer_class::memory_bound, "ParameterType NonZero"},
    {"gridsample", decision::fixed, layer_class::memory_bound, "ParameterType GridSample"},
    {"nms", decision::fixed, layer_class::memory_bound, "ParameterType NMS"},
    {"reversesequence", decision::fixed, layer_class::memory_bound, "ParameterType ReverseSequence"},
    {"cumulative", decision::fixed, layer_class::memory_bound, "ParameterType Cumulative"},
    {"quantize", decision::fixed, layer_class::memory_bound, "ParameterType Quantize"},
    {"dequantize", decision::fixed, layer_class::memory_bound, "ParameterType Dequantize"},
    {"dynamicquantize", decision::fixed, layer_class::memory_bound, "ParameterType DynamicQuantize"},
    {"squeeze", decision::fixed, layer_class::memory_bound, "ParameterType Squeeze"},
    {"unsqueeze", decision::fixed, layer_class::memory_bound, "ParameterType Unsqueeze"},
    {"assertion", decision::fixed, layer_class::no_op, "ParameterType Assertion (a check, no work)"},
};

/// The inspector's LayerType: the kernel family TensorRT chose, for layers without a
/// ParameterType the table knows.
inline constexpr type_rule layer_types[] = {
    {"caskconvolution", decision::convolution, layer_class::convolutional, "LayerType CaskConvolution"},
    {"caskgemmconvolution", decision::convolution, layer_class::convolutional, "LayerType CaskGemmConvolution"},
    {"caskflattenconvolution", decision::convolution, layer_class::convolutional, "LayerType CaskFlattenConvolution"},
    {"cudadepthwiseconvolution", decision::convolution, layer_class::convolutional, "LayerType CudaDepthwiseConvolution"},
    {"fusedconvactconvolution", decision::convolution, layer_class::convolutional, "LayerType FusedConvActConvolution"},
    {"cudnnconvolution", decision::convolution, layer_class::convolutional, "LayerType CudnnConvolution"},
    {"caskdeconvolution", decision::fixed, layer_class::convolutional, "LayerType CaskDeconvolution (transposed convolution)"},
    {"cudnndeconvolution", decision::fixed, layer_class::convolutional, "LayerType CudnnDeconvolution (transposed convolution)"},
    {"caskpooling", decision::fixed, layer_class::pooling, "LayerType CaskPooling"},
    {"cudapooling", decision::fixed, layer_class::pooling, "LayerType CudaPooling"},
    {"tiledpooling", decision::fixed, layer_class::pooling, "LayerType TiledPooling"},
    {"cudnnpooling", decision::fixed, layer_class::pooling, "LayerType CudnnPooling"},
    {"reduce", decision::reduce, layer_class::memory_bound, "LayerType Reduce"},
    {"reformat", decision::fixed, layer_class::memory_bound, "LayerType Reformat"},
    {"pointwise", decision::fixed, layer_class::memory_bound, "LayerType PointWise"},
    {"pointwisev2", decision::fixed, layer_class::memory_bound, "LayerType PointWiseV2"},
    {"elementwise", decision::fixed, layer_class::memory_bound, "LayerType ElementWise"},
    {"scale", decision::fixed, layer_class::memory_bound, "LayerType Scale"},
    {"activation", decision::fixed, layer_class::memory_bound, "LayerType Activation"},
    {"shuffle", decision::fixed, layer_class::memory_bound, "LayerType Shuffle"},
    {"slice", decision::fixed, layer_class::memory_bound, "LayerType Slice"},
    {"concatenation", decision::fixed, layer_class::memory_bound, "LayerType Concatenation"},
    {"softmax", decision::fixed, layer_class::memory_bound, "LayerType SoftMax"},
    {"cudasoftmax", decision::fixed, layer_class::memory_bound, "LayerType CudaSoftMax"},
    {"resize", decision::fixed, layer_class::memory_bound, "LayerType Resize"},
    {"normalization", decision::fixed, layer_class::memory_bound, "LayerType Normalization"},
    {"padding", decision::fixed, layer_class::memory_bound, "LayerType Padding"},
    {"gather", decision::fixed, layer_class::memory_bound, "LayerType Gather"},
    {"cast", decision::fixed, layer_class::memory_bound, "LayerType Cast"},
    {"noop", decision::fixed, layer_class::no_op, "LayerType NoOp (TensorRT runs nothing)"},
    {"kgen", decision::myelin, layer_class::memory_bound, "LayerType kgen (a kernel Myelin generated)"},
    {"gemm", decision::myelin, layer_class::memory_bound, "LayerType gemm (a matrix multiply Myelin runs)"},
    {"myelin", decision::myelin, layer_class::memory_bound, "LayerType Myelin"},
    {"foreignnode", decision::myelin, layer_class::memory_bound, "LayerType ForeignNode"},
};

template <std::size_t N>
const type_rule* find_rule(const type_rule (&table)[N], std::string_view type) {
  const std::string key = normalised_type(type);
  for (const auto& rule : table)
    if (rule.type == key) return &rule;
  return nullptr;
}

inline double elements(const io::tensor_info& t) {
  double n = 1;
  for (const auto d : t.dimensions) n *= static_cast<double>(d);
  return n;
}

/// Tensors the engine's layers write, and its bindings: every other input is a constant (a weight).
class engine_tensors {
 public:
  explicit engine_tensors(const io::engine_info& engine) {
    for (const auto& l : engine.layers)
      for (const auto& t : l.outputs) produced_.insert(t.name);
    for (const auto& b : engine.bindings) produced_.insert(b);
  }
  [[nodiscard]] bool is_constant(const io::tensor_info& t) const {
    return !t.name.empty() && !produced_.contains(t.name);
  }

 private:
  std::unordered_set<std::string_view> produced_;
};

/// The layer's first non-constant input (its activation); the first input when all are constant.
inline const io::tensor_info* data_input(const io::engine_layer& l, const engine_tensors& tensors) {
  for (const auto& t : l.inputs)
    if (!tensors.is_constant(t)) return &t;
  return l.inputs.empty() ? nullptr : &l.inputs.front();
}

/// The largest constant input with more elements than the output has per row: a weight matrix
/// (not a bias, a broadcast scalar, or an alpha).
inline const io::tensor_info* weight_input(const io::engine_layer& l, const engine_tensors& tensors) {
  if (l.outputs.empty() || l.outputs.front().dimensions.empty()) return nullptr;
  const double per_row = static_cast<double>(l.outputs.front().dimensions.back());
  const io::tensor_info* best = nullptr;
  for (const auto& t : l.inputs)
    if (tensors.is_constant(t) && elements(t) > per_row && (!best || elements(t) > elements(*best))) best = &t;
  return best;
}

inline bool is_spatial(const io::tensor_info& t) {
  return t.dimensions.size() == 4 && t.dimensions[2] * t.dimensions[3] > 1;
}

/// [N, C, H, W] → [N, C, 1, 1] with H·W > 1.
inline bool reduces_space(const io::engine_layer& l, const io::tensor_info* data) {
  if (!data || !is_spatial(*data) || l.outputs.empty()) return false;
  const auto& out = l.outputs.front().dimensions;
  return out.size() == 4 && out[0] == data->dimensions[0] && out[1] == data->dimensions[1] && out[2] == 1 &&
         out[3] == 1;
}

/// The operation names a Myelin layer's origin gives: the ONNX node types of its Metadata
/// ("[ONNX Layer: /fc/Gemm]" → "Gemm"), else Torch-TensorRT's "[MATRIX_MULTIPLY]..." tag, else
/// the CamelCase operations of a Myelin kernel name ("__myl_MulSumAdd_myl24_1" → Mul, Sum, Add).
inline std::vector<std::string> origin_operations(const io::engine_layer& l) {
  std::vector<std::string> ops;
  if (const auto m = l.extra.find("Metadata"); m != l.extra.end() && m->is_string()) {
    const std::string& text = m->get_ref<const std::string&>();
    constexpr std::string_view marker = "[ONNX Layer: ";
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
      const auto start = at + marker.size(), end = text.find(']', start);
      std::string_view node = std::string_view(text).substr(start, end == std::string::npos ? end : end - start);
      if (const auto slash = node.rfind('/'); slash != std::string_view::npos) node.remove_prefix(slash + 1);
      while (!node.empty() && (std::isdigit(static_cast<unsigned char>(node.back())) || node.back() == '_'))
        node.remove_suffix(1);  // "/Relu_1" → "Relu"
      if (!node.empty()) ops.emplace_back(node);
    }
  }
  if (!ops.empty()) return ops;
  const std::string_view name = l.name;
  if (name.starts_with('[')) {
    const auto end = name.find(']');
    if (end != std::string_view::npos) ops.emplace_back(name.substr(1, end - 1));
    return ops;
  }
  constexpr std::string_view myelin = "__myl_";
  if (name.starts_with(myelin)) {
    const auto end = name.find('_', myelin.size());
    const std::string_view word = name.substr(myelin.size(), end == std::string_view::npos ? end : end - myelin.size());
    std::size_t start = 0;
    for (std::size_t i = 1; i <= word.size(); ++i)
      if (i == word.size() || std::isupper(static_cast<unsigned char>(word[i]))) {
        ops.emplace_back(word.substr(start, i - start));
        start = i;
      }
  }
  return ops;
}

inline bool names_any(const std::vector<std::string>& ops, std::initializer_list<std::string_view> names) {
  return std::any_of(ops.begin(), ops.end(), [&](const std::string& op) {
    const std::string key = normalised_type(op);
    return std::any_of(names.begin(), names.end(), [&](std::string_view n) { return key == normalised_type(n); });
  });
}

inline std::vector<std::int64_t> without_trailing_ones(std::vector<std::int64_t> dims) {
  while (dims.size() > 2 && dims.back() == 1) dims.pop_back();
  return dims;
}

/// A matrix multiply with a weight as the inspector writes a fully connected layer: one data
/// input [N, K, 1, 1] and the output [N, M, 1, 1] (N the rows: every output dimension but the last).
inline io::engine_layer as_dense(const io::engine_layer& l, const io::tensor_info& data) {
  io::engine_layer out = l;
  const auto dims = without_trailing_ones(l.outputs.front().dimensions);
  std::int64_t rows = 1;
  for (std::size_t i = 0; i + 1 < dims.size(); ++i) rows *= dims[i];
  const auto k = static_cast<std::int64_t>(elements(data) / static_cast<double>(rows));
  out.inputs = {data};
  out.inputs.front().dimensions = {rows, k, 1, 1};
  out.outputs.front().dimensions = {rows, dims.back(), 1, 1};
  return out;
}

/// A matrix multiply with a weight at every position of a feature map: a 1×1 convolution.
inline io::engine_layer as_pointwise_convolution(const io::engine_layer& l, const io::tensor_info& data) {
  io::engine_layer out = l;
  out.inputs = {data};
  out.kernel = {1, 1};
  out.stride = {1, 1};
  out.dilation = {1, 1};
  out.pre_padding = out.post_padding = std::vector<std::int64_t>{0, 0};
  out.groups = 1;
  out.out_maps = out.outputs.front().dimensions[1];
  return out;
}

/// A reduction of H×W to 1×1 as the inspector writes a global pooling layer.
inline io::engine_layer as_global_pooling(const io::engine_layer& l, const io::tensor_info& data, bool max) {
  io::engine_layer out = l;
  out.inputs = {data};
  out.window_size = {data.dimensions[2], data.dimensions[3]};
  out.stride = {1, 1};
  out.pre_padding = out.post_padding = std::vector<std::int64_t>{0, 0};
  out.pooling_type = max ? "MAX" : "AVERAGE";
  return out;
}

inline classified_layer decide(const io::engine_layer& l, const type_rule& rule, const engine_tensors& tensors) {
  classified_layer c{&l, rule.fixed, rule.reason, std::nullopt};
  const io::tensor_info* data = data_input(l, tensors);
  switch (rule.how) {
    case decision::fixed:
      return c;
    case decision::convolution: {
      const bool unit_kernel = !l.kernel || std::all_of(l.kernel->begin(), l.kernel->end(), [](auto k) { return k == 1; });
      if (unit_kernel && data && data->dimensions.size() == 4 && !is_spatial(*data)) {
        c.kind = layer_class::dense;
        c.reason = "a 1x1 convolution on a 1x1 input: a fully connected layer";
      }
      return c;
    }
    case decision::reduce:
      if (reduces_space(l, data)) {
        c.kind = layer_class::pooling;
        c.reason = "a reduction of H×W to 1×1: global pooling";
        c.rewritten = as_global_pooling(l, *data, names_any(origin_operations(l), {"ReduceMax", "Max", "GlobalMaxPool"}));
      }
      return c;
    case decision::matrix_multiply:
    case decision::myelin:
      break;
  }
  // A matrix multiply, or a layer Myelin compiled: what it came from, and its tensors.
  const auto ops = origin_operations(l);
  const bool multiply = rule.how == decision::matrix_multiply || normalised_type(l.layer_type) == "gemm" ||
                        names_any(ops, {"Gemm", "MatMul", "MATRIX_MULTIPLY", "Linear", "Sum", "FullyConnected"});
  if (const io::tensor_info* weight = multiply && data ? weight_input(l, tensors) : nullptr; weight) {
    if (is_spatial(*data) && l.outputs.front().dimensions.size() == 4) {
      c.kind = layer_class::convolutional;
      c.reason = "a matrix multiply with a weight at every position: a 1x1 convolution";
      c.rewritten = as_pointwise_convolution(l, *data);
    } else {
      c.kind = layer_class::dense;
      c.reason = "a matrix multiply with a weight: a fully connected layer";
      c.rewritten = as_dense(l, *data);
    }
    return c;
  }
  if (reduces_space(l, data) &&
      names_any(ops, {"GlobalAveragePool", "AveragePool", "ReduceMean", "Mean", "Mea", "Avg", "GlobalMaxPool", "ReduceMax"})) {
    const bool max = names_any(ops, {"GlobalMaxPool", "ReduceMax"});
    c.kind = layer_class::pooling;
    c.reason = "a spatial mean or maximum to 1×1: global pooling";
    c.rewritten = as_global_pooling(l, *data, max);
    return c;
  }
  c.kind = layer_class::memory_bound;
  c.reason = rule.how == decision::matrix_multiply ? "a matrix multiply of two activations (no weight)"
                                                  : "a Myelin kernel without a weight reduction";
  return c;
}

/// Whether a layer has the two spatial dimensions the convolutional and pooling features read
/// (layer_features.hpp): its first input and output NCHW, and each of "Kernel", "WindowSize",
/// "Stride", "PrePadding", "PostPadding" and "Dilation" of two entries, where given. (One that
/// lacks an input or output is malformed, not of other dimensions: its features name it.)
inline bool is_two_dimensional(const io::engine_layer& l) {
  const auto pair = [](const std::optional<std::vector<std::int64_t>>& v) { return !v || v->size() == 2; };
  const auto nchw = [](const std::vector<io::tensor_info>& t) { return t.empty() || t.front().dimensions.size() == 4; };
  return nchw(l.inputs) && nchw(l.outputs) && pair(l.kernel) && pair(l.window_size) && pair(l.stride) &&
         pair(l.pre_padding) && pair(l.post_padding) && pair(l.dilation);
}

inline classified_layer classify_semantic(const io::engine_layer& l, const engine_tensors& tensors) {
  if (l.inputs.empty() && l.outputs.empty()) return {&l, layer_class::no_op, "reads and writes no tensor", std::nullopt};
  const type_rule* rule = l.parameter_type ? find_rule(parameter_types, *l.parameter_type) : nullptr;
  if (!rule) rule = find_rule(layer_types, l.layer_type);
  if (!rule) return {&l, layer_class::unclassified, "a type in no table", std::nullopt};
  auto c = decide(l, *rule, tensors);
  if ((c.kind == layer_class::convolutional || c.kind == layer_class::pooling) && !is_two_dimensional(c.features_layer()))
    return {&l, layer_class::unclassified,
            "a convolution or pooling not over two spatial dimensions (1-d, 3-d, or a malformed shape): the kinds' "
            "features are 2-d",
            std::nullopt};
  return c;
}

}  // namespace detail

/// Every layer of `engine` classified, in engine order. The result points into `engine`.
inline std::vector<classified_layer> classify_layers(const io::engine_info& engine,
                                                     classification_rule rule = classification_rule::semantic) {
  std::vector<classified_layer> out;
  out.reserve(engine.layers.size());
  if (rule == classification_rule::reference) {
    for (const auto& l : engine.layers) {
      const auto kind = classify_layer_type(l.layer_type);
      out.push_back({&l, kind ? static_cast<layer_class>(*kind) : layer_class::unclassified,
                     kind ? "the reference's rule: its LayerType" : "the reference's rule models three types only",
                     std::nullopt});
    }
    return out;
  }
  const detail::engine_tensors tensors(engine);
  for (const auto& l : engine.layers) out.push_back(detail::classify_semantic(l, tensors));
  return out;
}

/// The names of `engine`'s layers of a modelled kind under `rule`.
inline std::unordered_set<std::string> modelled_layer_names(const io::engine_info& engine,
                                                            classification_rule rule = classification_rule::semantic) {
  std::unordered_set<std::string> out;
  for (const auto& c : classify_layers(engine, rule))
    if (c.modelled()) out.insert(c.layer->name);
  return out;
}

}  // namespace layerwatt::dataset
