#pragma once
// Shape inference for a CNN written in code, emitted as TensorRT would build it: the layers of
// an `io::engine_info` in execution order, with the engine inspector's fields and fusions.
//
// What TensorRT fuses, and how the builder mirrors it (docs/zoo.md):
//  - convolution + batch norm + ReLU/ReLU6 (+ a residual add before the activation) is one
//    `CaskConvolution` whose name joins the fused operations with " + ";
//  - a linear layer is a `CaskGemmConvolution` (1×1 kernel) on an [N, C, 1, 1] tensor, with
//    `NoOp` reshapes around it and a `Reformat` where a spatial tensor is flattened;
//  - adaptive average pooling is elided when the size already matches, and a `CaskPooling`
//    otherwise; dropout and stochastic depth do not exist at inference;
//  - everything else (hardswish, hardsigmoid, GELU, layer norm, a scaled residual add, a channel
//    GEMM) is a layer of its own type, so it can be counted.
//
// Layer names follow Torch-TensorRT's `[OP]-[aten_ops.x]-[<module path>/<op>_<n>]`, numbered per
// operation like torch.export does; every name in a network is unique.

#include <array>
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

namespace layerwatt::zoo {

/// An activation as TensorRT treats it: ReLU and ReLU6 fuse into the convolution or GEMM before
/// them; the others run as a pointwise layer of their own.
enum class activation { none, relu, relu6, hardswish, hardsigmoid, gelu };

/// An input shape without the batch: channels, height, width.
struct input_shape {
  std::int64_t channels = 3, height = 224, width = 224;
  bool operator==(const input_shape&) const = default;
};

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
  std::int64_t kernel = 1;  ///< square kernels: every zoo network uses them
  std::int64_t stride = 1;
  std::int64_t padding = 0;  ///< on each side
  std::int64_t dilation = 1;
  std::int64_t groups = 1;
  bool batch_norm = true;
  activation act = activation::relu;
  const tensor* residual = nullptr;  ///< added before the activation (a ResNet block's shortcut)
};

class network_builder {
 public:
  /// `network` names the network in errors. Only fp16 and fp32 engines are built.
  network_builder(std::string network, std::int64_t batch, input_shape input, io::precision precision)
      : network_(std::move(network)), precision_(precision) {
    if (batch < 1) throw error(fmt::format("{}: batch size must be at least 1, got {}", network_, batch));
    if (input.channels < 1 || input.height < 1 || input.width < 1)
      throw error(fmt::format("{}: input {}x{}x{} has a dimension below 1", network_, input.channels, input.height,
                              input.width));
    if (precision != io::precision::fp16 && precision != io::precision::fp32)
      throw error(fmt::format("{}: precision {} is not built; use fp16 or fp32", network_, io::to_string(precision)));
    input_ = tensor{"x", {batch, input.channels, input.height, input.width}, format(layout::row_major), {}, {}};
  }

  [[nodiscard]] const tensor& input() const noexcept { return input_; }
  [[nodiscard]] const std::string& network() const noexcept { return network_; }

  /// A convolution with its fused batch norm, residual add and activation.
  tensor conv(const tensor& x, std::string_view path, const conv_spec& spec) {
    require_spatial(x, path);
    if (spec.out_channels < 1 || spec.groups < 1 || x.dims[1] % spec.groups != 0 || spec.out_channels % spec.groups != 0)
      fail(path, fmt::format("groups {} must divide the input channels {} and the output channels {}", spec.groups,
                             x.dims[1], spec.out_channels));
    const auto out_h = window_output(x.dims[2], spec.kernel, spec.stride, spec.padding, spec.dilation, path);
    const auto out_w = window_output(x.dims[3], spec.kernel, spec.stride, spec.padding, spec.dilation, path);
    std::string name = op("CONVOLUTION", "aten_ops.convolution.default", path, "convolution");
    if (spec.batch_norm)
      name += " + " + op("SCALE", "aten_ops._native_batch_norm_legit_no_training.default", path,
                         "_native_batch_norm_legit_no_training");
    if (spec.residual) {
      if (spec.residual->dims != std::vector<std::int64_t>{x.dims[0], spec.out_channels, out_h, out_w})
        fail(path, fmt::format("the shortcut's shape [{}] differs from the output [{}, {}, {}, {}]",
                               fmt::join(spec.residual->dims, ", "), x.dims[0], spec.out_channels, out_h, out_w));
      name += " + " + op("ELEMENTWISE", "aten_ops.add.Tensor", parent(path), "add");
    }
    name += fused_activation(spec.act, path);
    // TensorRT converts a row-major input (the network's) to the channel-major layout convolutions use.
    const tensor in = x.format == format(layout::row_major) && precision_ == io::precision::fp16 ? reformat(x, name) : x;
    std::vector<tensor> inputs{in};
    if (spec.residual) inputs.push_back(*spec.residual);

    io::engine_layer l = layer(std::move(name), "CaskConvolution", inputs);
    l.parameter_type = "Convolution";
    l.kernel = {spec.kernel, spec.kernel};
    l.pre_padding = l.post_padding = std::vector<std::int64_t>{spec.padding, spec.padding};
    l.stride = {spec.stride, spec.stride};
    l.dilation = {spec.dilation, spec.dilation};
    l.out_maps = spec.out_channels;
    l.groups = spec.groups;
    l.extra = {{"PaddingMode", "kEXPLICIT_ROUND_DOWN"},
               {"HasBias", 1},
               {"HasReLU", spec.act == activation::relu ? 1 : 0},
               {"HasResidual", spec.residual ? 1 : 0},
               {"Activation", activation_field(fuses(spec.act) ? spec.act : activation::none)}};
    tensor out = emit(std::move(l), {in.dims[0], spec.out_channels, out_h, out_w}, "Convolution");
    return spec.act == activation::none || fuses(spec.act) ? out : pointwise(out, path, spec.act);
  }

  tensor max_pool(const tensor& x, std::string_view path, std::int64_t window, std::int64_t stride,
                  std::int64_t padding) {
    require_spatial(x, path);
    return pooling(x, "MAX", op("MAX", "aten_ops.max_pool2d.default", path, "max_pool2d_default"), {window, window},
                   {stride, stride}, padding, path);
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
    const std::array<std::int64_t, 2> stride{global ? 1 : h / out_h, global ? 1 : w / out_w};
    const std::array<std::int64_t, 2> window{h - (out_h - 1) * stride[0], w - (out_w - 1) * stride[1]};
    const std::string name = global ? op("REDUCE", "aten_ops.mean.dim", path, "mean")
                                    : op("AVERAGE", "aten_ops.adaptive_avg_pool2d.default", path, "adaptive_avg_pool2d");
    return pooling(x, "AVERAGE", name, window, stride, 0, path);
  }

  /// torch.flatten(x, 1) before a linear layer: free when the tensor is already [N, C, 1, 1];
  /// otherwise a reformat to row-major and a NoOp reshape to [N, C·H·W, 1, 1].
  tensor flatten(const tensor& x, std::string_view path) {
    require_spatial(x, path);
    if (x.dims[2] == 1 && x.dims[3] == 1) return x;
    std::string name = op("SHUFFLE", "aten_ops.reshape.default", path, "reshape_default");
    const tensor in = x.format == format(layout::row_major) ? x : reformat(x, name);
    io::engine_layer l = layer(std::move(name), "NoOp", {in});
    return emit(std::move(l), {x.dims[0], x.dims[1] * x.dims[2] * x.dims[3], 1, 1}, "Shuffle", layout::row_major);
  }

  /// A linear layer: a `CaskGemmConvolution` with a 1×1 kernel from [N, F, 1, 1] to
  /// [N, out_features, 1, 1], as TensorRT runs `addmm`. After another GEMM, Torch-TensorRT's
  /// squeeze and reshape appear as NoOp layers.
  tensor linear(const tensor& x, std::string_view path, std::int64_t out_features, activation act) {
    if (x.dims.size() != 4 || x.dims[2] != 1 || x.dims[3] != 1)
      fail(path, fmt::format("a linear layer needs an [N, F, 1, 1] tensor (flatten first), got [{}]",
                             fmt::join(x.dims, ", ")));
    const std::string mm = op("MATRIX_MULTIPLY", "aten_ops.addmm.default", path, "addmm_mm");
    tensor in = x;
    if (x.producer_type == "CaskGemmConvolution") {
      io::engine_layer squeeze = layer("squeeze_after_" + x.producer_op, "NoOp", {in});
      in = emit(std::move(squeeze), {x.dims[0], x.dims[1]}, "Shuffle", layout::row_major);
      io::engine_layer unsqueeze = layer("reshape_before_" + mm, "NoOp", {in});
      in = emit(std::move(unsqueeze), x.dims, "Shuffle", layout::row_major);
    }
    std::string name = mm + " + " + op("ELEMENTWISE", "aten_ops.addmm.default", path, "addmm_add");
    name += fused_activation(act, path);
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
    return act == activation::none || fuses(act) ? out : pointwise(out, path, act);
  }

  /// A linear layer applied at every position over the channels (ConvNeXt's MLP): a `gemm`
  /// layer, the type TensorRT's Myelin backend gives a matrix multiply it compiles itself, with
  /// its weight [C, out_channels] among the inputs as Myelin lists it (a constant no layer writes).
  tensor channel_linear(const tensor& x, std::string_view path, std::int64_t out_channels) {
    require_spatial(x, path);
    const tensor weight{fmt::format("{}.weight", path), {x.dims[1], out_channels}, x.format, {}, {}};
    io::engine_layer l =
        layer(op("MATRIX_MULTIPLY", "aten_ops.linear.default", path, "linear"), "gemm", {x, weight});
    return emit(std::move(l), {x.dims[0], out_channels, x.dims[2], x.dims[3]}, "Gemm");
  }

  /// An activation TensorRT does not fuse: a `PointWiseV2` layer.
  tensor pointwise(const tensor& x, std::string_view path, activation act) {
    const auto [tag, aten, fn] = activation_op(act);
    io::engine_layer l = layer(op(tag, aten, path, fn), "PointWiseV2", {x});
    l.extra = {{"Activation", activation_field(act)}};
    return emit(std::move(l), x.dims, "PointWise");
  }

  /// An element-wise add of two equal shapes (`scale_first`: ConvNeXt's layer scale multiplies
  /// `a` first, fused into the same layer).
  tensor add(const tensor& a, const tensor& b, std::string_view path, bool scale_first = false) {
    if (a.dims != b.dims)
      fail(path, fmt::format("cannot add [{}] and [{}]", fmt::join(a.dims, ", "), fmt::join(b.dims, ", ")));
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
    return emit(std::move(l), x.dims, "Normalization");
  }

  /// The finished engine: the output squeezed to [N, F] as the binding `output0`.
  io::engine_info finish(const tensor& output) {
    if (output.dims.size() != 4 || output.dims[2] != 1 || output.dims[3] != 1)
      fail("output", fmt::format("the network should end in [N, F, 1, 1], got [{}]", fmt::join(output.dims, ", ")));
    io::engine_layer l = layer("copied_squeeze_after_" + output.producer_op, "NoOp", {output});
    l.outputs = {io::tensor_info{"output0", {output.dims[0], output.dims[1]}, format(layout::row_major), location()}};
    info_.layers.push_back(std::move(l));
    info_.bindings = {input_.name, "output0"};
    return std::move(info_);
  }

 private:
  enum class layout { row_major, channel_major };

  [[nodiscard]] std::string format(layout l, std::int64_t channel_multiple = 8) const {
    const char* type = precision_ == io::precision::fp16 ? "FP16" : "FP32";
    if (l == layout::row_major || precision_ == io::precision::fp32) return fmt::format("Row major linear {} format", type);
    return fmt::format("Channel major {} format where channel % {} == 0", type, channel_multiple);
  }

  static nlohmann::json location() { return {{"Location", "Device"}}; }

  [[noreturn]] void fail(std::string_view path, std::string_view what) const {
    throw error(fmt::format("{}: {}: {}", network_, path, what));
  }

  void require_spatial(const tensor& x, std::string_view path) const {
    if (x.dims.size() != 4) fail(path, fmt::format("expected an NCHW tensor, got [{}]", fmt::join(x.dims, ", ")));
  }

  /// PyTorch's output size of a window sliding over `in` (floor mode).
  std::int64_t window_output(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t padding,
                             std::int64_t dilation, std::string_view path) const {
    const std::int64_t span = dilation * (kernel - 1) + 1;
    if (kernel < 1 || stride < 1 || padding < 0 || in + 2 * padding < span)
      fail(path, fmt::format("a {}-wide window (stride {}, padding {}) does not fit an input of {}; the network's "
                             "input is too small",
                             span, stride, padding, in));
    return (in + 2 * padding - span) / stride + 1;
  }

  /// `[TAG]-[aten]-[path/fn_n]` with n counting earlier uses of `fn`, like torch.export's names.
  std::string op(std::string_view tag, std::string_view aten, std::string_view path, std::string_view fn) {
    const int n = op_counts_[std::string(fn)]++;
    return n == 0 ? fmt::format("[{}]-[{}]-[{}/{}]", tag, aten, path, fn)
                  : fmt::format("[{}]-[{}]-[{}/{}_{}]", tag, aten, path, fn, n);
  }

  static std::string_view parent(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos || slash == 0 ? path : path.substr(0, slash);
  }

  static bool fuses(activation act) noexcept { return act == activation::relu || act == activation::relu6; }

  static std::string_view activation_field(activation act) noexcept {
    constexpr std::string_view names[] = {"NONE", "RELU", "CLIPPED_RELU", "HARD_SWISH", "HARD_SIGMOID", "GELU"};
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

  tensor pooling(const tensor& x, std::string_view type, std::string name, std::array<std::int64_t, 2> window,
                 std::array<std::int64_t, 2> stride, std::int64_t padding, std::string_view path) {
    const auto out_h = window_output(x.dims[2], window[0], stride[0], padding, 1, path);
    const auto out_w = window_output(x.dims[3], window[1], stride[1], padding, 1, path);
    io::engine_layer l = layer(std::move(name), "CaskPooling", {x});
    l.parameter_type = "Pooling";
    l.pooling_type = std::string(type);
    l.window_size = {window[0], window[1]};
    l.pre_padding = l.post_padding = std::vector<std::int64_t>{padding, padding};
    l.stride = {stride[0], stride[1]};
    l.extra = {{"PaddingMode", "kEXPLICIT_ROUND_DOWN"}, {"BlendFactor", 0}, {"AverageCountExcludesPadding", 1}};
    return emit(std::move(l), {x.dims[0], x.dims[1], out_h, out_w}, "Pooling");
  }

  /// A copy of `x` in the layout the next layer wants (TensorRT's inserted reformat).
  tensor reformat(const tensor& x, std::string_view consumer_name) {
    const bool to_row_major = x.format != format(layout::row_major);
    io::engine_layer l =
        layer(fmt::format("Reformatting CopyNode for Input Tensor 0 to {}", consumer_name), "Reformat", {x});
    l.parameter_type = "Reformat";
    l.extra = {{"Origin", "REFORMAT"}};
    return emit(std::move(l), x.dims, "Reformat", to_row_major ? layout::row_major : layout::channel_major,
                x.dims[1] <= 4 ? 4 : 8);
  }

  /// Appends the layer with one output of `dims`, named after its index like TensorRT's
  /// "(Unnamed Layer* 7) [Convolution]_output".
  tensor emit(io::engine_layer l, std::vector<std::int64_t> dims, std::string_view kind,
              layout out_layout = layout::channel_major, std::int64_t channel_multiple = 8) {
    for (const auto d : dims)
      if (d < 1 || d > io::max_dimension) fail(l.name, fmt::format("dimension {} out of range", d));
    if (!names_.insert(l.name).second) fail(l.name, "two layers have this name");
    const auto last_op = l.name.rfind(" + ");
    tensor out{fmt::format("(Unnamed Layer* {}) [{}]_output", info_.layers.size(), kind), std::move(dims),
               format(out_layout, channel_multiple), l.layer_type,
               last_op == std::string::npos ? l.name : l.name.substr(last_op + 3)};
    l.outputs = {io::tensor_info{out.name, out.dims, out.format, location()}};
    info_.layers.push_back(std::move(l));
    return out;
  }

  std::string network_;
  io::precision precision_;
  tensor input_;
  io::engine_info info_;
  std::set<std::string, std::less<>> names_;
  std::map<std::string, int, std::less<>> op_counts_;
};

}  // namespace layerwatt::zoo
