#include "layerwatt/zoo/network_builder.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/temp_dir.hpp"

namespace layerwatt::zoo {
namespace network_builder_test {

using dims = std::vector<std::int64_t>;

network_builder builder(input_shape input = {3, 32, 32}, io::precision p = io::precision::fp16) {
  return network_builder("net", 2, input, p);
}

TEST(NetworkBuilder, ConvolutionOutputFollowsPyTorch) {
  auto b = builder({3, 33, 33});
  // ⌊(33 + 2·3 − 2·(7 − 1) − 1) / 2⌋ + 1 = 14 with dilation 2.
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 16, .kernel = 7, .stride = 2, .padding = 3, .dilation = 2});
  EXPECT_EQ(x.dims, (dims{2, 16, 14, 14}));
  const auto engine = b.finish(b.linear(b.flatten(x, "/f"), "/fc", 10, activation::none));
  const auto& conv = engine.layers[1];
  EXPECT_EQ(conv.layer_type, "CaskConvolution");
  EXPECT_EQ(*conv.dilation, (dims{2, 2}));
  EXPECT_EQ(*conv.pre_padding, (dims{3, 3}));
  EXPECT_EQ(*conv.post_padding, (dims{3, 3}));
  EXPECT_EQ(*conv.out_maps, 16);
  EXPECT_EQ(*conv.groups, 1);
}

TEST(NetworkBuilder, TheNetworkInputIsReformattedForTheFirstConvolutionInFp16Only) {
  auto half = builder();
  half.conv(half.input(), "/c", {.out_channels = 8});
  const auto h = half.finish(half.adaptive_avg_pool(half.conv(half.input(), "/d", {.out_channels = 8}), "/p", 1, 1));
  EXPECT_EQ(h.layers[0].layer_type, "Reformat");
  EXPECT_EQ(h.layers[0].inputs[0].format, "Row major linear FP16 format");
  EXPECT_EQ(h.layers[0].outputs[0].format, "Channel major FP16 format where channel % 4 == 0");
  EXPECT_EQ(h.layers[1].inputs[0].precision(), io::precision::fp16);

  auto full = builder({3, 32, 32}, io::precision::fp32);
  const auto f = full.finish(full.adaptive_avg_pool(full.conv(full.input(), "/c", {.out_channels = 8}), "/p", 1, 1));
  EXPECT_EQ(f.layers[0].layer_type, "CaskConvolution");
  for (const auto& l : f.layers) EXPECT_EQ(l.inputs[0].precision(), io::precision::fp32) << l.name;
  EXPECT_ERROR_MENTIONS(network_builder("net", 1, {}, io::precision::bf16), "net", "bf16", "fp16, fp32 or int8");
}

TEST(NetworkBuilder, Int8EnginesTakeFp32AndRunChannelMajorInt8) {
  auto b = builder({3, 32, 32}, io::precision::int8);
  const auto engine = b.finish(b.adaptive_avg_pool(b.conv(b.conv(b.input(), "/c", {.out_channels = 8}), "/d",
                                                          {.out_channels = 8}), "/p", 1, 1));
  EXPECT_EQ(engine.layers[0].inputs[0].format, "Row major linear FP32 format");
  EXPECT_EQ(engine.layers[0].outputs[0].format, "Channel major INT8 format where channel % 4 == 0");
  EXPECT_EQ(engine.layers[2].inputs[0].format, "Channel major INT8 format where channel % 32 == 0");
  EXPECT_EQ(engine.layers[2].inputs[0].precision(), io::precision::int8);
  EXPECT_EQ(engine.layers.back().outputs[0].format, "Row major linear FP32 format");
}

TEST(NetworkBuilder, RectangularWindowsAndAsymmetricPadding) {
  auto b = builder({4, 10, 12});
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 8, .kernel = {3, 1}, .stride = {2, 1},
                                           .padding = {{1, 0}, {2, 0}}, .dilation = {2, 1}});
  EXPECT_EQ(x.dims, (dims{2, 8, 5, 12}));  // ⌊(10 + 3 − 5) / 2⌋ + 1, 12
  const tensor p = b.pool(x, "/p", {.type = "AVERAGE", .window = {2, 3}, .stride = {2, 2}, .ceil_mode = true,
                                    .exclude_padding = false});
  EXPECT_EQ(p.dims, (dims{2, 8, 3, 6}));  // ⌈(5 − 2) / 2⌉ + 1, ⌈(12 − 3) / 2⌉ + 1
  const auto engine = b.finish(b.adaptive_avg_pool(p, "/g", 1, 1));
  const auto& conv = engine.layers[1];
  EXPECT_EQ(*conv.kernel, (dims{3, 1}));
  EXPECT_EQ(*conv.pre_padding, (dims{1, 0}));
  EXPECT_EQ(*conv.post_padding, (dims{2, 0}));
  EXPECT_EQ(*conv.dilation, (dims{2, 1}));
  const auto& pool = engine.layers[2];
  EXPECT_EQ(*pool.window_size, (dims{2, 3}));
  EXPECT_EQ(pool.extra.at("PaddingMode"), "kEXPLICIT_ROUND_UP");
  EXPECT_EQ(pool.extra.at("AverageCountExcludesPadding"), 0);
  EXPECT_NE(pool.name.find("avg_pool2d"), std::string::npos);
}

TEST(NetworkBuilder, APoolingThatCopiesItsInputIsNoLayer) {
  auto b = builder();
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 8});
  EXPECT_EQ(b.pool(x, "/same", {.type = "AVERAGE"}).name, x.name);
  EXPECT_ERROR_MENTIONS(b.pool(x, "/odd", {.type = "L2"}), "/odd", "neither MAX nor AVERAGE");
}

TEST(NetworkBuilder, TransposedConvolution) {
  auto b = builder({8, 4, 4});
  const tensor y = b.deconv(b.input(), "/up", {.out_channels = 6, .kernel = 3, .stride = 2, .padding = 1, .groups = 2,
                                              .batch_norm = false, .act = activation::none},
                            1);
  EXPECT_EQ(y.dims, (dims{2, 6, 8, 8}));  // (4 − 1)·2 − 2 + 3 + 1
  const auto engine = b.finish(b.adaptive_avg_pool(y, "/p", 1, 1));
  EXPECT_EQ(engine.layers[1].layer_type, "CaskDeconvolution");
  EXPECT_EQ(*engine.layers[1].parameter_type, "Deconvolution");
  const tensor shortcut = b.input();
  EXPECT_ERROR_MENTIONS(b.deconv(b.input(), "/r", {.out_channels = 8, .residual = &shortcut}), "/r", "residual");
}

TEST(NetworkBuilder, ReshapesAreNoOpsAfterARowMajorReformatAndFreeForTrailingOnes) {
  auto b = builder({8, 4, 4});
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 8});
  const tensor r = b.reshape(x, "/r", {2, 2, 4, 16});
  EXPECT_EQ(r.dims, (dims{2, 2, 4, 16}));
  EXPECT_EQ(r.format, "Row major linear FP16 format");
  const tensor pooled = b.adaptive_avg_pool(x, "/p", 1, 1);
  const tensor flat = b.reshape(pooled, "/flat", {2, 8});
  EXPECT_EQ(flat.name, pooled.name);  // only trailing 1s differ: the same tensor
  EXPECT_EQ(flat.dims, (dims{2, 8, 1, 1}));
  EXPECT_ERROR_MENTIONS(b.reshape(x, "/bad", {2, 7}), "/bad", "cannot reshape");
  const auto engine = b.finish(b.linear(flat, "/fc", 3, activation::none));
  std::vector<std::string> types;
  for (const auto& l : engine.layers) types.push_back(l.layer_type);
  EXPECT_EQ(types, (std::vector<std::string>{"Reformat", "CaskConvolution", "Reformat", "NoOp", "CaskPooling",
                                             "CaskGemmConvolution", "NoOp"}));
}

TEST(NetworkBuilder, OnnxParserNamesAndOutputs) {
  network_builder b("model.onnx", io::precision::fp16, tensorrt_frontend::onnx_parser);
  const tensor in = b.add_input("input", {1, 16});
  const tensor h = b.linear(in, "/fc1/Gemm", 32, activation::relu, "/relu/Relu");
  const tensor y = b.linear(h, "/fc2/Gemm", 4, activation::none);
  const tensor s = b.custom("/softmax/Softmax", "SoftMax", {y}, {1, 4}, {}, false, "SoftMax");
  b.mark_output(s, "probabilities", {1, 4});
  b.mark_output(h, "hidden", {1, 32});
  const auto engine = b.finish();
  std::vector<std::string> names;
  for (const auto& l : engine.layers) names.push_back(l.name);
  // TensorRT's reshape before a fully connected layer on [N, F]; no squeeze between the two.
  EXPECT_EQ(names, (std::vector<std::string>{"reshape_before_/fc1/Gemm", "/fc1/Gemm + /relu/Relu", "/fc2/Gemm",
                                             "/softmax/Softmax", "reshape_after_/relu/Relu"}));
  EXPECT_EQ(engine.layers[3].outputs[0].name, "probabilities");  // the same shape: the layer writes the binding
  EXPECT_EQ(*engine.layers[3].parameter_type, "SoftMax");
  EXPECT_EQ(engine.layers[4].outputs[0].name, "hidden");
  EXPECT_EQ(engine.layers[4].outputs[0].dimensions, (dims{1, 32}));
  EXPECT_EQ(engine.bindings, (std::vector<std::string>{"input", "probabilities", "hidden"}));
  EXPECT_TRUE(network_builder::fuses(activation::relu6));
  EXPECT_FALSE(network_builder::fuses(activation::silu));
}

TEST(NetworkBuilder, OutputsAndInputsAreChecked) {
  network_builder b("model.onnx", io::precision::fp32, tensorrt_frontend::onnx_parser);
  EXPECT_ERROR_MENTIONS(b.finish(), "model.onnx", "no output");
  EXPECT_ERROR_MENTIONS(b.add_input("x", {1, 0}), "model.onnx", "x", "out of range");
  const tensor x = b.add_input("in", {1, 3});
  EXPECT_ERROR_MENTIONS(b.add_input("in", {1, 3}), "in", "two inputs");
  EXPECT_ERROR_MENTIONS(b.mark_output(x, "out", {1, 3}), "out", "the input in");
}

TEST(NetworkBuilder, FusedOperationsAreNamedAndFlagged) {
  auto b = builder();
  const tensor x = b.conv(b.input(), "/block/conv1", {.out_channels = 8});
  const tensor y = b.conv(x, "/block/conv2", {.out_channels = 8, .kernel = 3, .padding = 1, .residual = &x});
  const tensor z = b.conv(y, "/block/conv3", {.out_channels = 8, .act = activation::hardswish});
  const auto engine = b.finish(b.adaptive_avg_pool(z, "/pool", 1, 1));
  const auto& fused = engine.layers[2];
  EXPECT_NE(fused.name.find("[SCALE]"), std::string::npos);
  EXPECT_NE(fused.name.find("[ELEMENTWISE]-[aten_ops.add.Tensor]-[/block/add]"), std::string::npos);
  EXPECT_NE(fused.name.find("[RELU]"), std::string::npos);
  EXPECT_EQ(fused.inputs.size(), 2u);
  EXPECT_EQ(fused.extra.at("HasResidual"), 1);
  EXPECT_EQ(fused.extra.at("Activation"), "RELU");
  // Hardswish does not fuse: the convolution reports no activation and a pointwise layer follows.
  EXPECT_EQ(engine.layers[3].extra.at("Activation"), "NONE");
  EXPECT_EQ(engine.layers[4].layer_type, "PointWiseV2");
  EXPECT_EQ(engine.layers[4].extra.at("Activation"), "HARD_SWISH");
}

TEST(NetworkBuilder, NamesAreUniqueAndNumberedLikeTorchExport) {
  auto b = builder();
  tensor x = b.input();
  for (int i = 0; i < 3; ++i) x = b.conv(x, "/same", {.out_channels = 8, .batch_norm = false});
  const auto engine = b.finish(b.adaptive_avg_pool(x, "/pool", 1, 1));
  EXPECT_EQ(engine.layers[1].name, "[CONVOLUTION]-[aten_ops.convolution.default]-[/same/convolution] + "
                                   "[RELU]-[aten_ops.relu.default]-[/same/relu]");
  EXPECT_NE(engine.layers[3].name.find("/same/convolution_2]"), std::string::npos);
  std::set<std::string> names;
  for (const auto& l : engine.layers) EXPECT_TRUE(names.insert(l.name).second) << l.name;
}

TEST(NetworkBuilder, AdaptiveAveragePooling) {
  auto b = builder({8, 10, 10});
  const tensor x = b.input();
  EXPECT_EQ(b.adaptive_avg_pool(x, "/same", 10, 10).name, x.name);  // already the size: no layer
  const tensor half = b.adaptive_avg_pool(x, "/half", 5, 5);        // divisible: window = stride = 2
  const tensor odd = b.adaptive_avg_pool(x, "/odd", 7, 7);          // stride ⌊10/7⌋ = 1, window 4
  const tensor global = b.adaptive_avg_pool(x, "/global", 1, 1);
  const tensor up = b.adaptive_avg_pool(half, "/up", 6, 6);
  EXPECT_EQ(half.dims, (dims{2, 8, 5, 5}));
  EXPECT_EQ(odd.dims, (dims{2, 8, 7, 7}));
  EXPECT_EQ(up.dims, (dims{2, 8, 6, 6}));
  const auto engine = b.finish(global);
  ASSERT_EQ(engine.layers.size(), 5u);
  EXPECT_EQ(*engine.layers[0].window_size, (dims{2, 2}));
  EXPECT_EQ(*engine.layers[0].stride, (dims{2, 2}));
  EXPECT_EQ(*engine.layers[1].window_size, (dims{4, 4}));
  EXPECT_EQ(*engine.layers[1].stride, (dims{1, 1}));
  EXPECT_EQ(*engine.layers[2].window_size, (dims{10, 10}));
  EXPECT_NE(engine.layers[2].name.find("[REDUCE]-[aten_ops.mean.dim]"), std::string::npos);
  EXPECT_EQ(*engine.layers[2].pooling_type, "AVERAGE");
  EXPECT_EQ(engine.layers[3].layer_type, "Resize");
}

TEST(NetworkBuilder, LinearLayersAreGemmConvolutionsOnNcOneOne) {
  auto b = builder({4, 3, 3});
  tensor x = b.conv(b.input(), "/conv", {.out_channels = 8, .kernel = 3, .padding = 1});
  x = b.flatten(x, "/flatten");
  EXPECT_EQ(x.dims, (dims{2, 72, 1, 1}));
  x = b.linear(x, "/fc1", 20, activation::relu);
  x = b.linear(x, "/fc2", 5, activation::none);
  const auto engine = b.finish(x);
  std::vector<std::string> types;
  for (const auto& l : engine.layers) types.push_back(l.layer_type);
  // The flatten's reformat to row-major and reshape; between the GEMMs Torch-TensorRT's squeeze and unsqueeze.
  EXPECT_EQ(types, (std::vector<std::string>{"Reformat", "CaskConvolution", "Reformat", "NoOp", "CaskGemmConvolution",
                                             "NoOp", "NoOp", "CaskGemmConvolution", "NoOp"}));
  const auto& fc2 = engine.layers[7];
  EXPECT_EQ(*fc2.kernel, (dims{1, 1}));
  EXPECT_EQ(*fc2.out_maps, 5);
  EXPECT_EQ(fc2.inputs[0].dimensions, (dims{2, 20, 1, 1}));
  EXPECT_EQ(engine.layers[5].name, "squeeze_after_[RELU]-[aten_ops.relu.default]-[/fc1/relu_1]");
  EXPECT_EQ(engine.layers.back().outputs[0].name, "output0");
  EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (dims{2, 5}));
  EXPECT_EQ(engine.bindings, (std::vector<std::string>{"x", "output0"}));
}

TEST(NetworkBuilder, SplitConcatenateAndShuffleChannels) {
  auto b = builder({8, 6, 6});
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 8});
  const tensor first = b.channel_slice(x, "/unit", 0, 4), second = b.channel_slice(x, "/unit", 4, 4);
  EXPECT_EQ(second.dims, (dims{2, 4, 6, 6}));
  const tensor joined = b.concat({first, b.conv(second, "/unit/branch", {.out_channels = 4})}, "/unit");
  EXPECT_EQ(joined.dims, (dims{2, 8, 6, 6}));
  const tensor grouped = b.reshape(joined, "/unit", {2, 2, 4, 6, 6});
  const tensor swapped = b.transpose(grouped, "/unit", {0, 2, 1, 3, 4});
  EXPECT_EQ(swapped.dims, (dims{2, 4, 2, 6, 6}));
  // Moving only axes of size 1 keeps the order of the data: a reshape.
  auto one = builder({1, 5, 7});
  const tensor moved = one.transpose(one.input(), "/t", {0, 2, 1, 3});
  EXPECT_EQ(moved.dims, (dims{2, 5, 1, 7}));
  EXPECT_EQ(moved.producer_type, "NoOp");
  const auto engine = b.finish(b.adaptive_avg_pool(b.reshape(swapped, "/unit", {2, 8, 6, 6}), "/pool", 1, 1));
  std::vector<std::string> types;
  for (const auto& l : engine.layers) types.push_back(l.layer_type);
  // The view of the channel-major concatenation is a reformat to row-major and a NoOp.
  EXPECT_EQ(types, (std::vector<std::string>{"Reformat", "CaskConvolution", "Slice", "Slice", "CaskConvolution", "NoOp",
                                             "Reformat", "NoOp", "Shuffle", "NoOp", "CaskPooling", "NoOp"}));
  const auto& slice = engine.layers[3];
  EXPECT_EQ(*slice.parameter_type, "Slice");
  EXPECT_EQ(slice.outputs[0].format, "Channel major FP16 format where channel % 8 == 0") << "the input's format";
  const auto& concatenation = engine.layers[5];
  ASSERT_EQ(concatenation.inputs.size(), 2u);
  EXPECT_EQ(concatenation.name, "[CONCATENATION]-[aten_ops.cat.default]-[/unit/cat]");
  EXPECT_EQ(concatenation.outputs[0].format, slice.outputs[0].format) << "the first input's format";
  EXPECT_EQ(engine.layers[8].name, "[SHUFFLE]-[aten_ops.permute.default]-[/unit/permute]");
  EXPECT_EQ(engine.layers[8].outputs[0].format, "Row major linear FP16 format");
  EXPECT_ERROR_MENTIONS(b.channel_slice(x, "/s", 6, 4), "/s", "channels [6, 10)", "8");
  EXPECT_ERROR_MENTIONS(b.concat({x, b.max_pool(x, "/p", 2, 2, 0)}, "/cat"), "/cat", "cannot concatenate");
  EXPECT_ERROR_MENTIONS(b.transpose(x, "/t", {0, 1, 1, 3}), "/t", "no permutation");
}

TEST(NetworkBuilder, ZeroPaddingAndASegmentationOutput) {
  auto b = builder({8, 5, 5});
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 4});
  EXPECT_EQ(b.pad(x, "/none", 0).name, x.name);
  const tensor padded = b.pad(x, "/p", padding2d({0, 1}, {1, 2}));
  EXPECT_EQ(padded.dims, (dims{2, 4, 6, 8}));
  EXPECT_ERROR_MENTIONS(b.pad(x, "/crop", padding2d({-1, 0}, {0, 0})), "/crop", "negative");
  const tensor map = b.conv(padded, "/out", {.out_channels = 2, .batch_norm = false, .act = activation::none});
  const auto engine = b.finish(map);  // not [N, F, 1, 1]: the binding keeps the map's shape
  EXPECT_EQ(engine.layers[2].layer_type, "Padding");
  EXPECT_EQ(engine.layers.back().outputs[0].name, "output0");
  EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (dims{2, 2, 6, 8}));
  EXPECT_EQ(engine.bindings, (std::vector<std::string>{"x", "output0"}));
}

TEST(NetworkBuilder, AConvolutionWithNeitherBiasNorBatchNormSaysSo) {
  auto b = builder();
  const tensor x = b.conv(b.input(), "/dw", {.out_channels = 3, .groups = 3, .batch_norm = false, .bias = false,
                                            .act = activation::none});
  const tensor y = b.conv(x, "/bn", {.out_channels = 8});
  const auto engine = b.finish(b.adaptive_avg_pool(b.conv(y, "/bias", {.out_channels = 8, .batch_norm = false}), "/p", 1, 1));
  EXPECT_EQ(engine.layers[1].extra.at("HasBias"), 0);
  EXPECT_EQ(engine.layers[2].extra.at("HasBias"), 1);  // the folded batch norm
  EXPECT_EQ(engine.layers[3].extra.at("HasBias"), 1);
}

TEST(NetworkBuilder, ShapeErrorsNameTheNetworkAndTheLayer) {
  auto b = builder();
  EXPECT_ERROR_MENTIONS(b.conv(b.input(), "/g", {.out_channels = 8, .groups = 2}), "net", "/g", "groups 2");
  const tensor x = b.conv(b.input(), "/c", {.out_channels = 8});
  const tensor y = b.conv(x, "/d", {.out_channels = 16});
  EXPECT_ERROR_MENTIONS(b.conv(x, "/e", {.out_channels = 8, .stride = 2, .residual = &x}), "/e", "shortcut");
  EXPECT_ERROR_MENTIONS(b.add(x, y, "/add"), "/add", "cannot add");
  EXPECT_ERROR_MENTIONS(b.multiply(x, y, "/mul"), "/mul", "cannot scale");
  EXPECT_ERROR_MENTIONS(b.linear(x, "/fc", 10, activation::none), "/fc", "flatten first");
  EXPECT_ERROR_MENTIONS(b.max_pool(x, "/p", 64, 1, 0), "/p", "too small");
  EXPECT_ERROR_MENTIONS(b.finish(b.input()), "output0", "no layer writes it");
  EXPECT_ERROR_MENTIONS(network_builder("net", 0, {}, io::precision::fp16), "batch size");
}

}  // namespace network_builder_test
}  // namespace layerwatt::zoo
