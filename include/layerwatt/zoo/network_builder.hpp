#pragma once
// Shape inference for a CNN, emitted as TensorRT would build it: the layers of an
// `io::engine_info` in execution order, with the engine inspector's fields and fusions. The zoo's
// networks are written against it in code; the ONNX front end (onnx/) calls it for the nodes of
// a graph, so what runs as one layer is decided here for both.
//
// What TensorRT fuses, and how the builder mirrors it (docs/zoo.md):
//  - convolution + batch norm + ReLU/ReLU6 (+ a residual add before the activation) is one
//    `CaskConvolution` whose name joins the fused operations with " + ";
//  - a linear layer is a `CaskGemmConvolution` (1×1 kernel) on an [N, C, 1, 1] tensor, with
//    `NoOp` reshapes around it and a `Reformat` where a spatial tensor is flattened;
//  - adaptive average pooling is elided when the size already matches, and a `CaskPooling`
//    otherwise; dropout and stochastic depth do not exist at inference;
//  - a concatenation is a NoOp (TensorRT writes its inputs into the output), a reshape a NoOp
//    after a reformat to row-major, a channel slice, a transpose and a padding memory-bound layers;
//  - everything else (hardswish, hardsigmoid, GELU, layer norm, a scaled residual add, a channel
//    GEMM, and through `custom` any other operation) is a layer of its own type, so it can be
//    counted.
// It also counts, as it builds, the parameters and MACs of the framework modules behind the
// layers as torchinfo counts them (model_size.hpp).
//
// Layer names follow the front end that built the engine (tensorrt_frontend): Torch-TensorRT's
// `[OP]-[aten_ops.x]-[<module path>/<op>_<n>]`, numbered per operation like torch.export does, or
// the ONNX parser's node names joined by " + "; every name in a network is unique.

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "layerwatt/core/error.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/zoo/model_size.hpp"

namespace layerwatt::zoo {

/// An activation as TensorRT treats it: ReLU and ReLU6 fuse into the convolution or GEMM before
/// them; the others run as a pointwise layer of their own.
enum class activation { none, relu, relu6, hardswish, hardsigmoid, gelu, sigmoid, silu, tanh, leaky_relu };

/// Which TensorRT front end built the engine. Torch-TensorRT (the zoo, the reference's engines)
/// names a layer after the aten operations in it and wraps fully connected layers in squeeze and
/// unsqueeze NoOps; TensorRT's ONNX parser (trtexec) names it after the ONNX nodes in it, each
/// call's `path` (and a conv_spec's fused paths) being a node's name.
enum class tensorrt_frontend { torch_tensorrt, onnx_parser };

/// A 2-D size, height × width; one number for a square one.
struct extent {
  std::int64_t h = 0, w = 0;
  constexpr extent(std::int64_t both = 0) noexcept : h(both), w(both) {}  // NOLINT: square sizes read as one number
  constexpr extent(std::int64_t height, std::int64_t width) noexcept : h(height), w(width) {}
  bool operator==(const extent&) const = default;
};

/// Padding before (top, left) and after (bottom, right) a window's input; one number for the
/// same on every side.
struct padding2d {
  extent pre, post;
  constexpr padding2d(std::int64_t all = 0) noexcept : pre(all), post(all) {}  // NOLINT: symmetric padding
  constexpr padding2d(extent before, extent after) noexcept : pre(before), post(after) {}
  bool operator==(const padding2d&) const = default;
};

/// An input shape without the batch: channels, height, width.
struct input_shape {
  std::int64_t channels = 3, height = 224, width = 224;
  bool operator==(const input_shape&) const = default;
};

/// `dims` without the 1s after its second dimension: [N, F, 1, 1] → [N, F], one tensor to
/// TensorRT's fully connected layers.
inline std::vector<std::int64_t> without_trailing_ones(std::vector<std::int64_t> dims) {
  while (dims.size() > 2 && dims.back() == 1) dims.pop_back();
  return dims;
}

/// A tensor of the network being built. `dims` is NCHW, or [N, F] after a squeeze.
struct tensor {
  std::string name;
  std::vector<std::int64_t> dims;
  std::string format;         ///< TensorRT's "Format/Datatype" text
  std::string producer_type;  ///< LayerType of the layer that wrote it; empty for the input
  std::string producer_op;    ///< the last operation fused into that layer, for Torch-TensorRT's reshape names
};

/// A convolution and what TensorRT fuses into it.
struct conv_spec {
  std::int64_t out_channels = 0;
  extent kernel = 1;
  extent stride = 1;
  padding2d padding = 0;
  extent dilation = 1;
  std::int64_t groups = 1;
  bool batch_norm = true;
  /// Whether the convolution has a bias of its own where no batch norm follows it: torchvision's
  /// do, timm's separable convolutions do not. (Before a batch norm a convolution has none; the
  /// engine's bias is the folded norm's.)
  bool bias = true;
  activation act = activation::relu;
  const tensor* residual = nullptr;  ///< added before the activation (a ResNet block's shortcut)
  /// Where the fused batch norm, add and activation come from when not the convolution's own
  /// path (the add: its parent) — under the ONNX parser, their nodes' names.
  std::string_view batch_norm_path{}, add_path{}, activation_path{};
};

/// A pooling window.
struct pool_spec {
  std::string_view type = "MAX";  ///< TensorRT's PoolingType: MAX or AVERAGE
  extent window = 1;
  extent stride = 1;
  padding2d padding = 0;
  bool ceil_mode = false;        ///< the output size rounds up (TensorRT's kEXPLICIT_ROUND_UP)
  bool exclude_padding = true;   ///< an average leaves padded positions out of its count
};

class network_builder {
 public:
  /// An engine with inputs still to add (add_input). `network` names the network in errors.
  /// Only fp16, fp32 and int8 engines are built.
  network_builder(std::string network, io::precision precision, tensorrt_frontend frontend)
      : network_(std::move(network)), precision_(precision), frontend_(frontend) {
    if (precision != io::precision::fp16 && precision != io::precision::fp32 && precision != io::precision::int8)
      throw error(fmt::format("{}: precision {} is not built; use fp16, fp32 or int8", network_,
                              io::to_string(precision)));
  }

  /// The zoo's engine: Torch-TensorRT's, with one NCHW input `x` of [batch, input].
  network_builder(std::string network, std::int64_t batch, input_shape input, io::precision precision)
      : network_builder(std::move(network), precision, tensorrt_frontend::torch_tensorrt) {
    if (batch < 1) throw error(fmt::format("{}: batch size must be at least 1, got {}", network_, batch));
    if (input.channels < 1 || input.height < 1 || input.width < 1)
      throw error(fmt::format("{}: input {}x{}x{} has a dimension below 1", network_, input.channels, input.height,
                              input.width));
    add_input("x", {batch, input.channels, input.height, input.width});
  }

  /// A network input (a binding) of `dims`, each in [1, io::max_dimension]; row-major, in the
  /// engine's precision (FP32 in an int8 engine, which quantises after its first reformat).
  tensor add_input(std::string name, std::vector<std::int64_t> dims) {
    for (const auto d : dims)
      if (d < 1 || d > io::max_dimension)
        fail(name, fmt::format("input dimension {} out of range [1, {}]", d, io::max_dimension));
    if (!names_.insert(name).second) fail(name, "two inputs or layers have this name");
    inputs_.push_back(tensor{std::move(name), std::move(dims), binding_format(), {}, {}});
    return inputs_.back();
  }

  /// The first input.
  [[nodiscard]] const tensor& input() const {
    if (inputs_.empty()) fail("input", "the network has no input");
    return inputs_.front();
  }
  [[nodiscard]] const std::string& network() const noexcept { return network_; }
  [[nodiscard]] io::precision precision() const noexcept { return precision_; }

  /// Whether TensorRT runs `act` inside the convolution or GEMM before it (ReLU, ReLU6) rather
  /// than as a layer of its own.
  static constexpr bool fuses(activation act) noexcept { return act == activation::relu || act == activation::relu6; }

  /// A convolution with its fused batch norm, residual add and activation.
  tensor conv(const tensor& x, std::string_view path, const conv_spec& spec) {
    return convolution(x, path, spec, false, 0);
  }

  /// A transposed convolution (ONNX's ConvTranspose): a `CaskDeconvolution`, its output
  /// (in − 1)·stride − padding + dilation·(kernel − 1) + 1 + `output_padding` on each axis. A
  /// residual add does not fuse into it.
  tensor deconv(const tensor& x, std::string_view path, const conv_spec& spec, extent output_padding = 0) {
    if (spec.residual) fail(path, "a residual add does not fuse into a transposed convolution");
    return convolution(x, path, spec, true, output_padding);
  }

  tensor max_pool(const tensor& x, std::string_view path, std::int64_t window, std::int64_t stride,
                  std::int64_t padding) {
    return pool(x, path, {.type = "MAX", .window = window, .stride = stride, .padding = padding});
  }

  /// A max or average pooling window: a `CaskPooling`; none for a 1×1 window with stride 1 and
  /// no padding, which copies its input (TensorRT drops it, as PyTorch's adaptive pooling to the
  /// size it already has exports to one).
  tensor pool(const tensor& x, std::string_view path, const pool_spec& spec) {
    require_spatial(x, path);
    const bool max = spec.type == "MAX";
    if (!max && spec.type != "AVERAGE") fail(path, fmt::format("pooling type {} is neither MAX nor AVERAGE", spec.type));
    if (spec.window == extent(1) && spec.stride == extent(1) && spec.padding == padding2d(0)) return x;
    return pooling(x,
                   max ? op("MAX", "aten_ops.max_pool2d.default", path, "max_pool2d_default")
                       : op("AVERAGE", "aten_ops.avg_pool2d.default", path, "avg_pool2d_default"),
                   spec, path);
  }

  /// PyTorch's adaptive average pooling. Elided when the input already has the output size; a
  /// global pool (TensorRT's reduce) when the output is 1×1; a fixed window otherwise, exact when
  /// the sizes divide and the closest fixed window (stride ⌊in/out⌋) when they do not. An output
  /// larger than the input replicates values: a `Resize` layer.
  tensor adaptive_avg_pool(const tensor& x, std::string_view path, std::int64_t out_h, std::int64_t out_w) {
    require_spatial(x, path);
    const auto h = x.dims[2], w = x.dims[3];
    if (h == out_h && w == out_w) return x;
    if (h < out_h || w < out_w) {
      io::engine_layer l = layer(op("RESIZE", "aten_ops.adaptive_avg_pool2d.default", path, "adaptive_avg_pool2d"),
                                 "Resize", {x});
      return emit(std::move(l), {x.dims[0], x.dims[1], out_h, out_w}, "Resize");
    }
    const bool global = out_h == 1 && out_w == 1;
    const extent stride{global ? 1 : h / out_h, global ? 1 : w / out_w};
    const extent window{h - (out_h - 1) * stride.h, w - (out_w - 1) * stride.w};
    const std::string name = global ? op("REDUCE", "aten_ops.mean.dim", path, "mean")
                                    : op("AVERAGE", "aten_ops.adaptive_avg_pool2d.default", path, "adaptive_avg_pool2d");
    return pooling(x, name, {.type = "AVERAGE", .window = window, .stride = stride}, path);
  }

  /// torch.flatten(x, 1) before a linear layer: free when the tensor is already [N, C, 1, 1];
  /// otherwise a reformat to row-major and a NoOp reshape to [N, C·H·W, 1, 1].
  tensor flatten(const tensor& x, std::string_view path) {
    require_spatial(x, path);
    if (x.dims[2] == 1 && x.dims[3] == 1) return x;
    return reshape(x, path, {x.dims[0], x.dims[1] * x.dims[2] * x.dims[3], 1, 1});
  }

  /// A reshape (a view, squeeze, unsqueeze, flatten): a NoOp layer with a row-major output,
  /// after a reformat to row-major when the data is channel-major. Free — the same tensor, in
  /// the form with more dimensions — when the shapes differ only in trailing 1s ([N, F] and
  /// [N, F, 1, 1]: TensorRT runs fully connected layers on the latter).
  tensor reshape(const tensor& x, std::string_view path, std::vector<std::int64_t> dims) {
    if (element_count(x.dims) != element_count(dims))
      fail(path, fmt::format("cannot reshape [{}] to [{}]", fmt::join(x.dims, ", "), fmt::join(dims, ", ")));
    if (without_trailing_ones(x.dims) == without_trailing_ones(dims)) {
      tensor same = x;
      if (dims.size() > x.dims.size()) same.dims = std::move(dims);
      return same;
    }
    std::string name = op("SHUFFLE", "aten_ops.reshape.default", path, "reshape_default");
    const tensor in = is_row_major(x.format) ? x : reformat(x, name);
    io::engine_layer l = layer(std::move(name), "NoOp", {in});
    return emit(std::move(l), std::move(dims), "Shuffle", layout::row_major);
  }

  /// A linear layer: a `CaskGemmConvolution` with a 1×1 kernel from [N, F, 1, 1] (or [N, F],
  /// reshaped by a NoOp) to [N, out_features, 1, 1], as TensorRT runs `addmm`. After another GEMM,
  /// Torch-TensorRT's squeeze and reshape appear as NoOp layers.
  tensor linear(const tensor& x, std::string_view path, std::int64_t out_features, activation act,
                std::string_view activation_path = {}) {
    const bool flat = x.dims.size() == 2;
    if (!flat && (x.dims.size() != 4 || x.dims[2] != 1 || x.dims[3] != 1))
      fail(path, fmt::format("a linear layer needs an [N, F, 1, 1] or [N, F] tensor (flatten first), got [{}]",
                             fmt::join(x.dims, ", ")));
    if (out_features < 1) fail(path, fmt::format("a linear layer needs at least one output feature, got {}", out_features));
    const std::string mm = op("MATRIX_MULTIPLY", "aten_ops.addmm.default", path, "addmm_mm");
    const std::vector<std::int64_t> dims{x.dims[0], x.dims[1], 1, 1};
    tensor in = x;
    if (frontend_ == tensorrt_frontend::torch_tensorrt && x.producer_type == "CaskGemmConvolution") {
      io::engine_layer squeeze = layer("squeeze_after_" + x.producer_op, "NoOp", {in});
      in = emit(std::move(squeeze), {x.dims[0], x.dims[1]}, "Shuffle", layout::row_major);
    }
    if (in.dims != dims) {
      io::engine_layer unsqueeze = layer("reshape_before_" + mm, "NoOp", {in});
      in = emit(std::move(unsqueeze), dims, "Shuffle", layout::row_major);
    }
    std::string name = mm;
    if (frontend_ == tensorrt_frontend::torch_tensorrt)
      name += " + " + op("ELEMENTWISE", "aten_ops.addmm.default", path, "addmm_add");
    name += fused_activation(act, activation_path.empty() ? path : activation_path);
    io::engine_layer l = layer(std::move(name), "CaskGemmConvolution", {in});
    l.parameter_type = "Convolution";
    l.kernel = {1, 1};
    l.pre_padding = l.post_padding = std::vector<std::int64_t>{0, 0};
    l.stride = {1, 1};
    l.dilation = {1, 1};
    l.out_maps = out_features;
    l.groups = 1;
    l.extra = {{"PaddingMode", "kEXPLICIT_ROUND_DOWN"}, {"HasResidual", 0},
               {"Activation", activation_field(fuses(act) ? act : activation::none)}};
    tensor out = emit(std::move(l), {x.dims[0], out_features, 1, 1}, "Gemm");
    size_ += per_position((x.dims[1] + 1) * out_features, x.dims[0]);
    return act == activation::none || fuses(act) ? out : pointwise(out, activation_path.empty() ? path : activation_path, act);
  }

  /// A linear layer applied at every position over the channels (ConvNeXt's MLP): a `gemm`
  /// layer, the type TensorRT's Myelin backend gives a matrix multiply it compiles itself, with
  /// its weight [C, out_channels] among the inputs as Myelin lists it (a constant no layer writes).
  tensor channel_linear(const tensor& x, std::string_view path, std::int64_t out_channels) {
    require_spatial(x, path);
    const tensor weight{fmt::format("{}.weight", path), {x.dims[1], out_channels}, x.format, {}, {}};
    io::engine_layer l =
        layer(op("MATRIX_MULTIPLY", "aten_ops.linear.default", path, "linear"), "gemm", {x, weight});
    size_ += per_position((x.dims[1] + 1) * out_channels, x.dims[0] * x.dims[2] * x.dims[3]);
    return emit(std::move(l), {x.dims[0], out_channels, x.dims[2], x.dims[3]}, "Gemm");
  }

  /// An activation TensorRT does not fuse: a `PointWiseV2` layer.
  tensor pointwise(const tensor& x, std::string_view path, activation act) {
    const auto [tag, aten, fn] = activation_op(act);
    io::engine_layer l = layer(op(tag, aten, path, fn), "PointWiseV2", {x});
    l.extra = {{"Activation", activation_field(act)}};
    return emit(std::move(l), x.dims, "PointWise");
  }

  /// An element-wise add of two equal shapes (`scale_first`: ConvNeXt's layer scale, a parameter
  /// per channel, multiplies `a` first, fused into the same layer).
  tensor add(const tensor& a, const tensor& b, std::string_view path, bool scale_first = false) {
    if (a.dims != b.dims)
      fail(path, fmt::format("cannot add [{}] and [{}]", fmt::join(a.dims, ", "), fmt::join(b.dims, ", ")));
    if (scale_first) size_.parameters += a.dims[1];
    std::string name = scale_first ? op("ELEMENTWISE", "aten_ops.mul.Tensor", path, "mul") + " + " : std::string{};
    name += op("ELEMENTWISE", "aten_ops.add.Tensor", path, "add");
    io::engine_layer l = layer(std::move(name), "ElementWise", {a, b});
    l.extra = {{"Operation", scale_first ? "PROD+SUM" : "SUM"}};
    return emit(std::move(l), a.dims, "ElementWise");
  }

  /// x × s with s of shape [N, C, 1, 1] broadcast over the positions (a squeeze-and-excitation scale).
  tensor multiply(const tensor& x, const tensor& s, std::string_view path) {
    require_spatial(x, path);
    if (s.dims != std::vector<std::int64_t>{x.dims[0], x.dims[1], 1, 1})
      fail(path, fmt::format("cannot scale [{}] by [{}]", fmt::join(x.dims, ", "), fmt::join(s.dims, ", ")));
    io::engine_layer l = layer(op("ELEMENTWISE", "aten_ops.mul.Tensor", path, "mul"), "ElementWise", {x, s});
    l.extra = {{"Operation", "PROD"}};
    return emit(std::move(l), x.dims, "ElementWise");
  }

  /// Layer normalisation over the channels at each position: a `Normalization` layer.
  tensor layer_norm(const tensor& x, std::string_view path) {
    require_spatial(x, path);
    io::engine_layer l = layer(op("NORMALIZATION", "aten_ops.native_layer_norm.default", path, "native_layer_norm"),
                               "Normalization", {x});
    size_ += normalization(x.dims[1], x.dims[0]);
    return emit(std::move(l), x.dims, "Normalization");
  }

  /// torch.cat along the channels of NCHW tensors of one batch and size: a `NoOp`, as TensorRT
  /// writes the inputs into the output's memory (the ONNX front end's Concat). The output keeps
  /// the first input's format.
  tensor concat(const std::vector<tensor>& inputs, std::string_view path) {
    if (inputs.empty()) fail(path, "nothing to concatenate");
    std::vector<std::int64_t> dims = inputs.front().dims;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto& d = inputs[i].dims;
      require_spatial(inputs[i], path);
      if (d[0] != dims[0] || d[2] != dims[2] || d[3] != dims[3])
        fail(path, fmt::format("cannot concatenate [{}] and [{}] along the channels",
                               fmt::join(inputs.front().dims, ", "), fmt::join(d, ", ")));
      if (i > 0) dims[1] += d[1];
    }
    io::engine_layer l = layer(op("CONCATENATION", "aten_ops.cat.default", path, "cat"), "NoOp", inputs);
    return emit_as(std::move(l), std::move(dims), "Concatenation", inputs.front().format);
  }

  /// Channels [first, first + count) of an NCHW tensor (torch.chunk, narrow): a `Slice` layer
  /// keeping the input's format (the ONNX front end's Slice).
  tensor channel_slice(const tensor& x, std::string_view path, std::int64_t first, std::int64_t count) {
    require_spatial(x, path);
    if (first < 0 || count < 1 || first + count > x.dims[1])
      fail(path, fmt::format("channels [{}, {}) are not within the {} of [{}]", first, first + count, x.dims[1],
                             fmt::join(x.dims, ", ")));
    io::engine_layer l = layer(op("SLICE", "aten_ops.slice.Tensor", path, "slice"), "Slice", {x});
    l.parameter_type = "Slice";
    l.extra = nlohmann::json::object();
    return emit_as(std::move(l), {x.dims[0], count, x.dims[2], x.dims[3]}, "Slice", x.format);
  }

  /// A permutation of the axes (`perm`: the input axis each output axis takes, as torch.permute
  /// and ONNX's Transpose): a reshape (reshape()) when only axes of size 1 move; otherwise a
  /// `Shuffle` layer with a row-major output.
  tensor transpose(const tensor& x, std::string_view path, const std::vector<std::int64_t>& perm) {
    const auto rank = static_cast<std::int64_t>(x.dims.size());
    if (perm.size() != x.dims.size() || std::any_of(perm.begin(), perm.end(), [&](std::int64_t p) {
          return p < 0 || p >= rank || std::count(perm.begin(), perm.end(), p) != 1;
        }))
      fail(path, fmt::format("[{}] is no permutation of the axes of [{}]", fmt::join(perm, ", "), fmt::join(x.dims, ", ")));
    std::vector<std::int64_t> dims, moved;
    for (const auto p : perm) {
      dims.push_back(x.dims[static_cast<std::size_t>(p)]);
      if (dims.back() != 1) moved.push_back(p);
    }
    if (std::is_sorted(moved.begin(), moved.end())) return reshape(x, path, std::move(dims));
    io::engine_layer l = layer(op("SHUFFLE", "aten_ops.permute.default", path, "permute"), "Shuffle", {x});
    l.parameter_type = "Shuffle";
    l.extra = nlohmann::json::object();
    return emit(std::move(l), std::move(dims), "Shuffle", layout::row_major);
  }

  /// Zero padding of the height and width (F.pad): a `Padding` layer; none when `padding` is 0.
  tensor pad(const tensor& x, std::string_view path, const padding2d& padding) {
    require_spatial(x, path);
    if (padding == padding2d(0)) return x;
    if (padding.pre.h < 0 || padding.pre.w < 0 || padding.post.h < 0 || padding.post.w < 0)
      fail(path, "a negative padding crops; only zero padding is built");
    io::engine_layer l = layer(op("PADDING", "aten_ops.constant_pad_nd.default", path, "constant_pad_nd"), "Padding", {x});
    l.extra = {{"Mode", "constant"}};
    return emit_as(std::move(l),
                   {x.dims[0], x.dims[1], x.dims[2] + padding.pre.h + padding.post.h,
                    x.dims[3] + padding.pre.w + padding.post.w},
                   "Padding", x.format);
  }

  /// A layer no rule above covers, named `name` as given: TensorRT's `layer_type` (ElementWise,
  /// PointWiseV2, Shuffle, Slice, SoftMax, Resize, Padding, Scale, Reduce, NoOp, ...) reading
  /// `inputs` and writing one tensor of `dims`, with TensorRT's `parameter_type` (its ILayer
  /// type; none when empty) and the inspector's other `fields`. Its output keeps the first
  /// input's format, or is row-major when `row_major_output`.
  tensor custom(std::string name, std::string_view layer_type, const std::vector<tensor>& inputs,
                std::vector<std::int64_t> dims, nlohmann::json fields = nlohmann::json::object(),
                bool row_major_output = false, std::string_view parameter_type = {}) {
    if (inputs.empty()) fail(name, "a layer needs an input");
    std::string out_format = row_major_output ? format(layout::row_major) : inputs.front().format;
    io::engine_layer l = layer(std::move(name), std::string(layer_type), inputs);
    if (!parameter_type.empty()) l.parameter_type = std::string(parameter_type);
    l.extra = std::move(fields);
    return emit_as(std::move(l), std::move(dims), layer_type, std::move(out_format));
  }

  /// Makes `x` the network output `binding`, of `dims` as the framework shapes it (a classifier's
  /// [N, F] for TensorRT's [N, F, 1, 1]): a NoOp reshape writes the binding when the shapes
  /// differ; otherwise — or when a reshape wrote `x` and only trailing 1s differ — the layer that
  /// wrote `x` writes it.
  void mark_output(const tensor& x, std::string binding, std::vector<std::int64_t> dims) {
    if (x.producer_type.empty()) fail(binding, fmt::format("the output is the input {}: no layer writes it", x.name));
    if (!names_.insert(binding).second) fail(binding, "two outputs, inputs or layers have this name");
    const auto producer = std::find_if(info_.layers.rbegin(), info_.layers.rend(), [&](const io::engine_layer& l) {
      return !l.outputs.empty() && l.outputs.front().name == x.name;
    });
    const bool reshaped = producer != info_.layers.rend() && producer->layer_type == "NoOp" &&
                          without_trailing_ones(x.dims) == without_trailing_ones(dims);
    if (x.dims != dims && !reshaped) {
      if (element_count(x.dims) != element_count(dims))
        fail(binding, fmt::format("the output [{}] cannot be reshaped to [{}]", fmt::join(x.dims, ", "),
                                  fmt::join(dims, ", ")));
      std::string name = (frontend_ == tensorrt_frontend::torch_tensorrt ? "copied_squeeze_after_" : "reshape_after_") +
                         x.producer_op;
      if (!names_.insert(name).second) fail(name, "two layers have this name");
      io::engine_layer l = layer(std::move(name), "NoOp", {x});
      l.outputs = {io::tensor_info{binding, std::move(dims), binding_format(), location()}};
      info_.layers.push_back(std::move(l));
    } else {
      if (reshaped) producer->outputs.front().dimensions = dims;
      for (auto& l : info_.layers)
        for (auto* tensors : {&l.inputs, &l.outputs})
          for (auto& t : *tensors)
            if (t.name == x.name) t.name = binding;
    }
    outputs_.push_back(std::move(binding));
  }

  /// The finished engine: its layers and bindings (the inputs, then the outputs marked).
  io::engine_info finish() {
    if (outputs_.empty()) fail("output", "no output was marked");
    info_.bindings.clear();
    for (const auto& t : inputs_) info_.bindings.push_back(t.name);
    info_.bindings.insert(info_.bindings.end(), outputs_.begin(), outputs_.end());
    return std::move(info_);
  }

  /// The zoo's finished engine with `output` as the binding `output0`: a classifier's
  /// [N, F, 1, 1] squeezed to [N, F], as the framework shapes it; any other tensor (a
  /// segmentation map) as it is.
  io::engine_info finish(const tensor& output) {
    const bool classifier = output.dims.size() == 4 && output.dims[2] == 1 && output.dims[3] == 1;
    mark_output(output, "output0", classifier ? std::vector<std::int64_t>{output.dims[0], output.dims[1]} : output.dims);
    return finish();
  }

  /// The parameters and MACs of the modules built so far, as torchinfo counts them
  /// (model_size.hpp): convolutions (their bias only where no batch norm follows), batch norms
  /// fused into them, linear layers, layer norms and layer scales. Layers made by `custom` add
  /// nothing.
  [[nodiscard]] const model_size& size() const noexcept { return size_; }

 private:
  enum class layout { row_major, channel_major };

  /// TensorRT's "Format/Datatype" text in the engine's precision. `channel_multiple`: the
  /// vectorisation of a channel-major layout; 0 for the engine's own (8 halves, 32 int8 values).
  [[nodiscard]] std::string format(layout l, std::int64_t channel_multiple = 0) const {
    const char* type = precision_ == io::precision::fp16 ? "FP16" : precision_ == io::precision::int8 ? "INT8" : "FP32";
    if (l == layout::row_major || precision_ == io::precision::fp32) return fmt::format("Row major linear {} format", type);
    if (channel_multiple == 0) channel_multiple = precision_ == io::precision::int8 ? 32 : 8;
    return fmt::format("Channel major {} format where channel % {} == 0", type, channel_multiple);
  }

  /// The bindings' format: an int8 engine takes and gives FP32.
  [[nodiscard]] std::string binding_format() const {
    return precision_ == io::precision::int8 ? "Row major linear FP32 format" : format(layout::row_major);
  }

  static bool is_row_major(std::string_view format) noexcept { return format.starts_with("Row major"); }

  static std::int64_t element_count(const std::vector<std::int64_t>& dims) noexcept {
    std::int64_t n = 1;
    for (const auto d : dims) n *= d;
    return n;
  }

  static nlohmann::json location() { return {{"Location", "Device"}}; }

  [[noreturn]] void fail(std::string_view path, std::string_view what) const {
    throw error(fmt::format("{}: {}: {}", network_, path, what));
  }

  void require_spatial(const tensor& x, std::string_view path) const {
    if (x.dims.size() != 4) fail(path, fmt::format("expected an NCHW tensor, got [{}]", fmt::join(x.dims, ", ")));
  }

  /// The output size of a window sliding over `in` padded by `pre` and `post`, rounded down
  /// (PyTorch's default, TensorRT's kEXPLICIT_ROUND_DOWN) or up (`ceil`).
  std::int64_t window_output(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pre,
                             std::int64_t post, std::int64_t dilation, bool ceil, std::string_view path) const {
    const std::int64_t span = dilation * (kernel - 1) + 1;
    if (kernel < 1 || stride < 1 || dilation < 1 || pre < 0 || post < 0 || in + pre + post < span)
      fail(path, fmt::format("a {}-wide window (stride {}, padding {}) does not fit an input of {}; the network's "
                             "input is too small",
                             span, stride, pre == post ? fmt::format("{}", pre) : fmt::format("{}+{}", pre, post), in));
    return (in + pre + post - span + (ceil ? stride - 1 : 0)) / stride + 1;
  }

  /// Torch-TensorRT's `[TAG]-[aten]-[path/fn_n]` with n counting earlier uses of `fn`, like
  /// torch.export's names; under the ONNX parser, `path` (the node's name).
  std::string op(std::string_view tag, std::string_view aten, std::string_view path, std::string_view fn) {
    if (frontend_ == tensorrt_frontend::onnx_parser) return std::string(path);
    const int n = op_counts_[std::string(fn)]++;
    return n == 0 ? fmt::format("[{}]-[{}]-[{}/{}]", tag, aten, path, fn)
                  : fmt::format("[{}]-[{}]-[{}/{}_{}]", tag, aten, path, fn, n);
  }

  static std::string_view parent(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos || slash == 0 ? path : path.substr(0, slash);
  }

  static std::string_view activation_field(activation act) noexcept {
    constexpr std::string_view names[] = {"NONE", "RELU",    "CLIPPED_RELU", "HARD_SWISH", "HARD_SIGMOID",
                                          "GELU", "SIGMOID", "SILU",         "TANH",       "LEAKY_RELU"};
    return names[static_cast<int>(act)];
  }

  struct op_text {
    std::string_view tag, aten, fn;
  };
  static op_text activation_op(activation act) noexcept {
    switch (act) {
      case activation::relu: return {"RELU", "aten_ops.relu.default", "relu"};
      case activation::relu6: return {"CLIP", "aten_ops.hardtanh.default", "hardtanh"};
      case activation::hardswish: return {"HARDSWISH", "aten_ops.hardswish.default", "hardswish"};
      case activation::hardsigmoid: return {"HARDSIGMOID", "aten_ops.hardsigmoid.default", "hardsigmoid"};
      case activation::gelu: return {"GELU", "aten_ops.gelu.default", "gelu"};
      case activation::sigmoid: return {"SIGMOID", "aten_ops.sigmoid.default", "sigmoid"};
      case activation::silu: return {"SILU", "aten_ops.silu.default", "silu"};
      case activation::tanh: return {"TANH", "aten_ops.tanh.default", "tanh"};
      case activation::leaky_relu: return {"LEAKY_RELU", "aten_ops.leaky_relu.default", "leaky_relu"};
      case activation::none: break;
    }
    return {"IDENTITY", "aten_ops.clone.default", "clone"};
  }

  /// " + [RELU]-..." for an activation fused into the layer before it; empty otherwise.
  std::string fused_activation(activation act, std::string_view path) {
    if (!fuses(act)) return {};
    const auto [tag, aten, fn] = activation_op(act);
    return " + " + op(tag, aten, path, fn);
  }

  io::engine_layer layer(std::string name, std::string type, const std::vector<tensor>& inputs) const {
    io::engine_layer l;
    l.name = std::move(name);
    l.layer_type = std::move(type);
    for (const auto& t : inputs) l.inputs.push_back(io::tensor_info{t.name, t.dims, t.format, location()});
    return l;
  }

  tensor pooling(const tensor& x, std::string name, const pool_spec& spec, std::string_view path) {
    const auto out_h =
        window_output(x.dims[2], spec.window.h, spec.stride.h, spec.padding.pre.h, spec.padding.post.h, 1, spec.ceil_mode, path);
    const auto out_w =
        window_output(x.dims[3], spec.window.w, spec.stride.w, spec.padding.pre.w, spec.padding.post.w, 1, spec.ceil_mode, path);
    io::engine_layer l = layer(std::move(name), "CaskPooling", {x});
    l.parameter_type = "Pooling";
    l.pooling_type = std::string(spec.type);
    l.window_size = {spec.window.h, spec.window.w};
    l.pre_padding = {spec.padding.pre.h, spec.padding.pre.w};
    l.post_padding = {spec.padding.post.h, spec.padding.post.w};
    l.stride = {spec.stride.h, spec.stride.w};
    l.extra = {{"PaddingMode", spec.ceil_mode ? "kEXPLICIT_ROUND_UP" : "kEXPLICIT_ROUND_DOWN"},
               {"BlendFactor", 0},
               {"AverageCountExcludesPadding", spec.exclude_padding ? 1 : 0}};
    return emit(std::move(l), {x.dims[0], x.dims[1], out_h, out_w}, "Pooling");
  }

  /// A convolution or, `transposed`, a deconvolution, with what fuses into it.
  tensor convolution(const tensor& x, std::string_view path, const conv_spec& spec, bool transposed,
                     extent output_padding) {
    require_spatial(x, path);
    if (spec.out_channels < 1 || spec.groups < 1 || x.dims[1] % spec.groups != 0 || spec.out_channels % spec.groups != 0)
      fail(path, fmt::format("groups {} must divide the input channels {} and the output channels {}", spec.groups,
                             x.dims[1], spec.out_channels));
    const extent &kernel = spec.kernel, &stride = spec.stride, &dilation = spec.dilation;
    const padding2d& padding = spec.padding;
    const auto out_size = [&](std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t pre, std::int64_t post,
                              std::int64_t d, std::int64_t extra) {
      if (!transposed) return window_output(in, k, s, pre, post, d, false, path);
      const std::int64_t out = (in - 1) * s - pre - post + d * (k - 1) + 1 + extra;
      if (k < 1 || s < 1 || d < 1 || pre < 0 || post < 0 || extra < 0 || out < 1)
        fail(path, fmt::format("a transposed convolution (kernel {}, stride {}, padding {}+{}) of an input of {} "
                               "leaves no output",
                               k, s, pre, post, in));
      return out;
    };
    const auto out_h = out_size(x.dims[2], kernel.h, stride.h, padding.pre.h, padding.post.h, dilation.h, output_padding.h);
    const auto out_w = out_size(x.dims[3], kernel.w, stride.w, padding.pre.w, padding.post.w, dilation.w, output_padding.w);
    std::string name = transposed ? op("DECONVOLUTION", "aten_ops.convolution.default", path, "convolution")
                                  : op("CONVOLUTION", "aten_ops.convolution.default", path, "convolution");
    if (spec.batch_norm)
      name += " + " + op("SCALE", "aten_ops._native_batch_norm_legit_no_training.default",
                         spec.batch_norm_path.empty() ? path : spec.batch_norm_path, "_native_batch_norm_legit_no_training");
    if (spec.residual) {
      if (spec.residual->dims != std::vector<std::int64_t>{x.dims[0], spec.out_channels, out_h, out_w})
        fail(path, fmt::format("the shortcut's shape [{}] differs from the output [{}, {}, {}, {}]",
                               fmt::join(spec.residual->dims, ", "), x.dims[0], spec.out_channels, out_h, out_w));
      name += " + " + op("ELEMENTWISE", "aten_ops.add.Tensor", spec.add_path.empty() ? parent(path) : spec.add_path, "add");
    }
    const std::string_view activation_path = spec.activation_path.empty() ? path : spec.activation_path;
    name += fused_activation(spec.act, activation_path);
    // TensorRT converts a row-major input (the network's) to the channel-major layout convolutions use.
    const tensor in = precision_ != io::precision::fp32 && is_row_major(x.format) ? reformat(x, name) : x;
    std::vector<tensor> inputs{in};
    if (spec.residual) inputs.push_back(*spec.residual);

    io::engine_layer l = layer(std::move(name), transposed ? "CaskDeconvolution" : "CaskConvolution", inputs);
    l.parameter_type = transposed ? "Deconvolution" : "Convolution";
    l.kernel = {kernel.h, kernel.w};
    l.pre_padding = {padding.pre.h, padding.pre.w};
    l.post_padding = {padding.post.h, padding.post.w};
    l.stride = {stride.h, stride.w};
    l.dilation = {dilation.h, dilation.w};
    l.out_maps = spec.out_channels;
    l.groups = spec.groups;
    l.extra = {{"PaddingMode", "kEXPLICIT_ROUND_DOWN"},
               {"HasBias", spec.batch_norm || spec.bias ? 1 : 0},
               {"HasReLU", spec.act == activation::relu ? 1 : 0},
               {"HasResidual", spec.residual ? 1 : 0},
               {"Activation", activation_field(fuses(spec.act) ? spec.act : activation::none)}};
    tensor out = emit(std::move(l), {in.dims[0], spec.out_channels, out_h, out_w}, transposed ? "Deconvolution" : "Convolution");
    // PyTorch's weight: [C_out, C_in/G, k_h, k_w], or [C_in, C_out/G, k_h, k_w] transposed — as many.
    const std::int64_t weights = x.dims[1] / spec.groups * spec.out_channels * kernel.h * kernel.w;
    const std::int64_t bias = !spec.batch_norm && spec.bias ? spec.out_channels : 0;
    size_ += per_position(weights + bias, x.dims[0] * out_h * out_w);
    if (spec.batch_norm) size_ += normalization(spec.out_channels, x.dims[0]);
    return spec.act == activation::none || fuses(spec.act) ? out : pointwise(out, activation_path, spec.act);
  }

  /// A copy of `x` in the layout the next layer wants (TensorRT's inserted reformat), made once
  /// for all of `x`'s readers.
  tensor reformat(const tensor& x, std::string_view consumer_name) {
    if (const auto done = reformatted_.find(x.name); done != reformatted_.end() && done->second.dims == x.dims)
      return done->second;
    const bool to_row_major = !is_row_major(x.format);
    io::engine_layer l =
        layer(fmt::format("Reformatting CopyNode for Input Tensor 0 to {}", consumer_name), "Reformat", {x});
    l.parameter_type = "Reformat";
    l.extra = {{"Origin", "REFORMAT"}};
    tensor out = emit(std::move(l), x.dims, "Reformat", to_row_major ? layout::row_major : layout::channel_major,
                      x.dims.size() > 1 && x.dims[1] <= 4 ? 4 : 0);
    reformatted_.insert_or_assign(x.name, out);
    return out;
  }

  /// Appends the layer with one output of `dims`, named after its index like TensorRT's
  /// "(Unnamed Layer* 7) [Convolution]_output".
  tensor emit(io::engine_layer l, std::vector<std::int64_t> dims, std::string_view kind,
              layout out_layout = layout::channel_major, std::int64_t channel_multiple = 0) {
    std::string out_format = format(out_layout, channel_multiple);
    return emit_as(std::move(l), std::move(dims), kind, std::move(out_format));
  }

  tensor emit_as(io::engine_layer l, std::vector<std::int64_t> dims, std::string_view kind, std::string out_format) {
    for (const auto d : dims)
      if (d < 1 || d > io::max_dimension) fail(l.name, fmt::format("dimension {} out of range", d));
    if (!names_.insert(l.name).second) fail(l.name, "two layers have this name");
    const auto last_op = l.name.rfind(" + ");
    tensor out{fmt::format("(Unnamed Layer* {}) [{}]_output", info_.layers.size(), kind), std::move(dims),
               std::move(out_format), l.layer_type,
               last_op == std::string::npos ? l.name : l.name.substr(last_op + 3)};
    l.outputs = {io::tensor_info{out.name, out.dims, out.format, location()}};
    info_.layers.push_back(std::move(l));
    return out;
  }

  std::string network_;
  io::precision precision_;
  tensorrt_frontend frontend_;
  std::vector<tensor> inputs_;
  std::vector<std::string> outputs_;
  io::engine_info info_;
  std::set<std::string, std::less<>> names_;
  std::map<std::string, int, std::less<>> op_counts_;
  std::map<std::string, tensor, std::less<>> reformatted_;  ///< by the name of the tensor copied
  model_size size_;
};

}  // namespace layerwatt::zoo
