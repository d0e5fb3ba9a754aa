// One test per operation family the ONNX front end reads (docs/onnx.md), on small graphs: the
// layer it becomes, its inspector fields, and the kind classify_layers gives it.

#include <gtest/gtest.h>

#include "graph_maker.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::onnx {
namespace op_families_test {

using dataset::layer_class;
using testing::attr;
using testing::graph_maker;
using testing::ints;
using testing::layer_types;
using types = std::vector<std::string>;
using dims = std::vector<std::int64_t>;

/// The class of every layer of `engine`.
std::vector<layer_class> classes(const io::engine_info& engine) {
  std::vector<layer_class> out;
  for (const auto& c : dataset::classify_layers(engine)) out.push_back(c.kind);
  return out;
}

/// A graph x [1, 8, 9, 9] → `op` → y.
io::engine_info one_node(const std::string& op, const std::vector<::ONNX_NAMESPACE::AttributeProto>& attributes = {},
                         const read_options& options = {}) {
  return graph_maker{}.input("x", {1, 8, 9, 9}).node(op, {"x"}, {"y"}, attributes, "/op").output("y").engine(options);
}

TEST(OnnxOps, ConvolutionAttributes) {
  graph_maker g;
  g.input("x", {1, 4, 10, 12}).weight("w", {8, 2, 3, 1});
  g.node("Conv", {"x", "w"}, {"y"},
         {ints("strides", {2, 1}), ints("pads", {1, 0, 2, 0}), ints("dilations", {2, 1}), attr("group", std::int64_t{2})},
         "/conv");
  const auto engine = g.output("y").engine();
  const auto& conv = engine.layers[1];
  EXPECT_EQ(*conv.kernel, (dims{3, 1}));  // from the weight when kernel_shape is absent
  EXPECT_EQ(*conv.stride, (dims{2, 1}));
  EXPECT_EQ(*conv.pre_padding, (dims{1, 0}));
  EXPECT_EQ(*conv.post_padding, (dims{2, 0}));
  EXPECT_EQ(*conv.dilation, (dims{2, 1}));
  EXPECT_EQ(*conv.groups, 2);
  EXPECT_EQ(*conv.out_maps, 8);
  EXPECT_EQ(conv.outputs[0].dimensions, (dims{1, 8, 5, 12}));  // ⌊(10 + 1 + 2 − 5) / 2⌋ + 1 = 5 high
}

TEST(OnnxOps, AutoPadSameSplitsThePaddingAsOnnxSays) {
  for (const auto& [mode, pre, post] : {std::tuple{"SAME_UPPER", 0, 1}, {"SAME_LOWER", 1, 0}}) {
    graph_maker g;
    g.input("x", {1, 4, 8, 8}).weight("w", {4, 4, 2, 2});
    g.node("Conv", {"x", "w"}, {"y"}, {attr("auto_pad", std::string(mode))}, "/conv").output("y");
    const auto engine = g.engine();
    EXPECT_EQ(*engine.layers[1].pre_padding, (dims{pre, pre})) << mode;
    EXPECT_EQ(*engine.layers[1].post_padding, (dims{post, post})) << mode;
    EXPECT_EQ(engine.layers[1].outputs[0].dimensions, (dims{1, 4, 8, 8}));
  }
}

TEST(OnnxOps, TransposedConvolution) {
  graph_maker g;
  g.input("x", {1, 8, 4, 4}).weight("w", {8, 3, 3, 3});
  g.node("ConvTranspose", {"x", "w"}, {"y"},
         {ints("strides", {2, 2}), ints("pads", {1, 1, 1, 1}), ints("output_padding", {1, 1}),
          attr("group", std::int64_t{2})},
         "/up");
  const auto engine = g.output("y").engine();
  ASSERT_EQ(layer_types(engine), (types{"Reformat", "CaskDeconvolution"}));
  const auto& up = engine.layers[1];
  EXPECT_EQ(*up.out_maps, 6);  // 3 per group
  EXPECT_EQ(up.outputs[0].dimensions, (dims{1, 6, 8, 8}));  // (4 − 1)·2 − 2 + 3 + 1
  EXPECT_EQ(classes(engine)[1], layer_class::convolutional);
}

TEST(OnnxOps, PoolingWindows) {
  const auto max = one_node("MaxPool", {ints("kernel_shape", {3, 3}), ints("strides", {2, 2}), attr("ceil_mode", std::int64_t{1})});
  ASSERT_EQ(layer_types(max), (types{"CaskPooling"}));
  EXPECT_EQ(*max.layers[0].pooling_type, "MAX");
  EXPECT_EQ(max.layers[0].outputs[0].dimensions, (dims{1, 8, 4, 4}));  // ⌈(9 − 3) / 2⌉ + 1
  EXPECT_EQ(max.layers[0].extra.at("PaddingMode"), "kEXPLICIT_ROUND_UP");

  const auto average = one_node("AveragePool", {ints("kernel_shape", {3, 2}), ints("pads", {1, 0, 1, 1}),
                                                attr("count_include_pad", std::int64_t{1})});
  const auto& a = average.layers[0];
  EXPECT_EQ(*a.pooling_type, "AVERAGE");
  EXPECT_EQ(*a.window_size, (dims{3, 2}));
  EXPECT_EQ(*a.pre_padding, (dims{1, 0}));
  EXPECT_EQ(*a.post_padding, (dims{1, 1}));
  EXPECT_EQ(a.extra.at("AverageCountExcludesPadding"), 0);
  EXPECT_EQ(classes(average), (std::vector{layer_class::pooling}));
}

TEST(OnnxOps, AOneByOnePoolingWithStrideOneIsDropped) {
  // PyTorch exports adaptive pooling to the size a tensor already has as this (AlexNet's 6×6).
  graph_maker g;
  g.input("x", {1, 8, 6, 6}).node("AveragePool", {"x"}, {"p"}, {ints("kernel_shape", {1, 1})}, "/same");
  g.node("Relu", {"p"}, {"y"}, {}, "/relu").output("y");
  EXPECT_EQ(layer_types(g.engine()), (types{"PointWiseV2"}));
}

TEST(OnnxOps, GlobalPoolingAndSpatialReductions) {
  for (const auto& [op, keep, type] : {std::tuple{"GlobalAveragePool", -1, "AVERAGE"}, {"GlobalMaxPool", -1, "MAX"},
                                       {"ReduceMean", 0, "AVERAGE"}, {"ReduceMax", 1, "MAX"}}) {
    const auto engine = keep < 0 ? one_node(op) : one_node(op, {ints("axes", {-2, -1}), attr("keepdims", std::int64_t{keep})});
    // Without the kept dimensions, TensorRT's [N, C, 1, 1] is reshaped to the output's [N, C].
    ASSERT_EQ(layer_types(engine), (keep == 0 ? types{"CaskPooling", "NoOp"} : types{"CaskPooling"})) << op;
    EXPECT_EQ(*engine.layers[0].window_size, (dims{9, 9})) << op;
    EXPECT_EQ(*engine.layers[0].pooling_type, type) << op;
    EXPECT_EQ(classes(engine)[0], layer_class::pooling) << op;
  }
  // Over the channels: not a pooling, a reduction TensorRT runs as one.
  const auto channels = one_node("ReduceMean", {ints("axes", {1})});
  EXPECT_EQ(layer_types(channels), (types{"Reduce"}));
  EXPECT_EQ(classes(channels)[0], layer_class::memory_bound);
}

TEST(OnnxOps, ElementWiseOperationsAndActivationsAreMemoryBound) {
  graph_maker g;
  g.input("a", {1, 8, 4, 4}).input("b", {1, 1, 4, 4}).scalar("two", 2);
  g.node("Sub", {"a", "b"}, {"s"}, {}, "/sub").node("Div", {"s", "two"}, {"d"}, {}, "/div");
  g.node("Exp", {"d"}, {"e"}, {}, "/exp").node("LeakyRelu", {"e"}, {"y"}, {attr("alpha", 0.1F)}, "/leaky").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"ElementWise", "ElementWise", "PointWiseV2", "PointWiseV2"}));
  EXPECT_EQ(engine.layers[0].extra.at("Operation"), "SUB");
  EXPECT_EQ(engine.layers[0].inputs.size(), 2u);
  EXPECT_EQ(engine.layers[1].inputs.size(), 1u);  // the constant divisor is no input
  EXPECT_EQ(engine.layers[2].extra.at("Operation"), "Exp");
  EXPECT_EQ(engine.layers[3].extra.at("Activation"), "LEAKY_RELU");
  for (const auto c : classes(engine)) EXPECT_EQ(c, layer_class::memory_bound);
}

TEST(OnnxOps, AnAddOfTwoEqualTensorsIsTheBuildersSum) {
  graph_maker g;
  g.input("a", {1, 8, 4, 4}).input("b", {1, 8, 4, 4}).node("Add", {"a", "b"}, {"y"}, {}, "/add").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"ElementWise"}));
  EXPECT_EQ(engine.layers[0].extra.at("Operation"), "SUM");
}

TEST(OnnxOps, NormalisationSoftmaxResizeAndCast) {
  const auto softmax = one_node("Softmax", {attr("axis", std::int64_t{1})});
  EXPECT_EQ(layer_types(softmax), (types{"SoftMax"}));
  EXPECT_EQ(*softmax.layers[0].parameter_type, "SoftMax");

  graph_maker bn;
  bn.input("x", {1, 8, 4, 4});
  for (const char* p : {"s", "b", "m", "v"}) bn.weight(p, {8});
  bn.node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"}, {}, "/bn").output("y");
  EXPECT_EQ(layer_types(bn.engine()), (types{"Scale"}));  // no convolution before it to fuse into

  graph_maker lrn;
  lrn.input("x", {1, 8, 4, 4}).node("LRN", {"x"}, {"y"}, {attr("size", std::int64_t{3})}, "/lrn").output("y");
  const auto l = lrn.engine();
  EXPECT_EQ(*l.layers[0].parameter_type, "LRN");
  EXPECT_EQ(classes(l)[0], layer_class::memory_bound);

  graph_maker resize;
  resize.input("x", {1, 8, 4, 4}).floats("scales", {1, 1, 2, 2});
  resize.node("Resize", {"x", "", "scales"}, {"y"}, {attr("mode", std::string("nearest"))}, "/resize");
  const auto r = resize.output("y").engine();
  ASSERT_EQ(layer_types(r), (types{"Resize"}));
  EXPECT_EQ(r.layers[0].outputs[0].dimensions, (dims{1, 8, 8, 8}));
}

TEST(OnnxOps, ReshapesAreNoOpsOrNothing) {
  graph_maker g;
  g.input("x", {1, 8, 4, 4}).weight("w", {8, 8, 1, 1}).constant("shape", {1, 2, 4, 16});
  g.node("Conv", {"x", "w"}, {"c"}, {}, "/conv");
  g.node("Reshape", {"c", "shape"}, {"r"}, {}, "/reshape").output("r");
  const auto engine = g.engine();
  // The convolution writes channel-major: a reformat to row-major comes first.
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "Reformat", "NoOp"}));
  EXPECT_EQ(classes(engine).back(), layer_class::no_op);

  graph_maker free;
  free.input("x", {1, 8, 1, 1}).constant("axes", {2, 3}).weight("w", {4, 8});
  free.node("Squeeze", {"x", "axes"}, {"s"}, {}, "/squeeze");
  free.node("Gemm", {"s", "w"}, {"y"}, {attr("transB", std::int64_t{1})}, "/fc").output("y");
  EXPECT_EQ(layer_types(free.engine()), (types{"CaskGemmConvolution", "NoOp"}));  // [N, C, 1, 1] is [N, C]
}

TEST(OnnxOps, FlatteningASpatialTensorIsAReformatAndANoOp) {
  graph_maker g;
  g.input("x", {2, 8, 3, 3}).weight("w", {8, 8, 1, 1}).weight("fc", {10, 72});
  g.node("Conv", {"x", "w"}, {"c"}, {}, "/conv").node("Flatten", {"c"}, {"f"}, {attr("axis", std::int64_t{1})}, "/flatten");
  g.node("Gemm", {"f", "fc"}, {"y"}, {attr("transB", std::int64_t{1})}, "/fc").output("y");
  const auto engine = g.engine();
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "Reformat", "NoOp", "CaskGemmConvolution", "NoOp"}));
  EXPECT_EQ(engine.layers[3].outputs[0].dimensions, (dims{2, 72, 1, 1}));
}

TEST(OnnxOps, ConcatenationIsANoOpAndSplitsAreSlices) {
  graph_maker g;
  g.input("a", {1, 4, 5, 5}).input("b", {1, 6, 5, 5}).constant("sizes", {3, 7});
  g.node("Concat", {"a", "b"}, {"c"}, {attr("axis", std::int64_t{1})}, "/concat");
  g.node("Split", {"c", "sizes"}, {"p", "q"}, {attr("axis", std::int64_t{1})}, "/split").output("p").output("q");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"NoOp", "Slice", "Slice"}));
  EXPECT_EQ(engine.layers[0].inputs.size(), 2u);
  EXPECT_EQ(engine.layers[0].outputs[0].dimensions, (dims{1, 10, 5, 5}));
  EXPECT_EQ(engine.layers[2].name, "/split_1");
  EXPECT_EQ(engine.layers[2].outputs[0].dimensions, (dims{1, 7, 5, 5}));
  EXPECT_EQ(engine.bindings, (types{"a", "b", "p", "q"}));
}

TEST(OnnxOps, TransposesAreShufflesUnlessOnlyOnesMove) {
  const auto shuffle = one_node("Transpose", {ints("perm", {0, 2, 3, 1})});
  EXPECT_EQ(layer_types(shuffle), (types{"Shuffle"}));
  EXPECT_EQ(shuffle.layers[0].outputs[0].dimensions, (dims{1, 9, 9, 8}));
  EXPECT_EQ(classes(shuffle)[0], layer_class::memory_bound);

  graph_maker ones;
  ones.input("x", {1, 8, 1, 5}).node("Transpose", {"x"}, {"t"}, {ints("perm", {0, 2, 1, 3})}, "/t");
  ones.node("Relu", {"t"}, {"y"}, {}, "/relu").output("y");
  EXPECT_EQ(layer_types(ones.engine()), (types{"NoOp", "PointWiseV2"}));
}

TEST(OnnxOps, PaddingOfNothingIsDroppedOtherPaddingIsALayer) {
  for (const auto& [pads, expected] :
       {std::pair{dims{0, 0, 0, 0, 0, 0, 0, 0}, types{"PointWiseV2"}},
        {dims{0, 0, 1, 0, 0, 0, 0, 1}, types{"Padding", "PointWiseV2"}}}) {
    graph_maker g;
    g.input("x", {1, 8, 4, 4}).constant("pads", pads);
    g.node("Pad", {"x", "pads"}, {"p"}, {}, "/pad").node("Relu", {"p"}, {"y"}, {}, "/relu").output("y");
    EXPECT_EQ(layer_types(g.engine()), expected);
  }
}

TEST(OnnxOps, IdentityAndDropoutAreNothing) {
  graph_maker g;
  g.input("x", {1, 8, 4, 4}).node("Identity", {"x"}, {"i"}, {}, "/id").node("Dropout", {"i"}, {"d"}, {}, "/drop");
  g.node("Relu", {"d"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"PointWiseV2"}));
  EXPECT_EQ(engine.layers[0].inputs[0].name, "x");
}

TEST(OnnxOps, ConstantSubgraphsAndShapeArithmeticMakeNoLayer) {
  // The shape of a Reshape computed from the data's shape: Shape → Gather → Unsqueeze → Concat
  // (Gather of a scalar index gives a scalar).
  graph_maker g;
  g.input("x", {2, 8, 4, 4}).constant("zero", {0}, dims{}).constant("minus_one", {-1});
  g.node("Shape", {"x"}, {"shape"}, {}, "/shape").node("Gather", {"shape", "zero"}, {"n"}, {}, "/gather");
  g.constant("axes", {0}).node("Unsqueeze", {"n", "axes"}, {"n1"}, {}, "/unsqueeze");
  g.node("Concat", {"n1", "minus_one"}, {"target"}, {attr("axis", std::int64_t{0})}, "/concat");
  g.node("Reshape", {"x", "target"}, {"y"}, {}, "/reshape").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"NoOp"}));
  EXPECT_EQ(engine.layers[0].outputs[0].dimensions, (dims{2, 128}));
}

TEST(OnnxOps, PrecisionSetsTheFormats) {
  const auto make = [](io::precision p) {
    graph_maker g;
    g.input("x", {1, 3, 8, 8}).weight("w", {16, 3, 3, 3}).weight("v", {16, 16, 1, 1});
    g.node("Conv", {"x", "w"}, {"c"}, {}, "/conv").node("Conv", {"c", "v"}, {"y"}, {}, "/conv2").output("y");
    return g.engine({.precision = p});
  };
  const auto half = make(io::precision::fp16), full = make(io::precision::fp32), int8 = make(io::precision::int8);
  EXPECT_EQ(half.layers[0].inputs[0].format, "Row major linear FP16 format");
  EXPECT_EQ(half.layers[2].inputs[0].format, "Channel major FP16 format where channel % 8 == 0");
  EXPECT_EQ(layer_types(full), (types{"CaskConvolution", "CaskConvolution"}));  // no reformat in FP32
  EXPECT_EQ(full.layers[1].inputs[0].precision(), io::precision::fp32);
  EXPECT_EQ(int8.layers[0].inputs[0].format, "Row major linear FP32 format");  // int8 engines take FP32
  EXPECT_EQ(int8.layers[0].outputs[0].format, "Channel major INT8 format where channel % 4 == 0");
  EXPECT_EQ(int8.layers[2].inputs[0].format, "Channel major INT8 format where channel % 32 == 0");
  EXPECT_EQ(int8.layers[2].inputs[0].precision(), io::precision::int8);
  EXPECT_ERROR_MENTIONS(make(io::precision::bf16), "test.onnx", "bf16", "fp16, fp32 or int8");
}

TEST(OnnxOps, AnUnsupportedOperationIsAnErrorNamingItsNodeOrSkippedWithAWarning) {
  graph_maker g;
  g.input("x", {1, 8, 4, 4}).constant("axis", {1}, dims{}).node("CumSum", {"x", "axis"}, {"e"}, {}, "/odd");
  g.node("Relu", {"e"}, {"y"}, {}, "/relu").output("y");
  EXPECT_ERROR_MENTIONS(g.engine(), "test.onnx", "/odd", "CumSum", "not supported", "--unsupported skip");

  std::vector<std::string> warnings;
  const auto engine = g.engine({.unsupported = unsupported_ops::skip,
                                .warn = [&](std::string_view w) { warnings.emplace_back(w); }});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/odd"), std::string::npos);
  ASSERT_EQ(layer_types(engine), (types{"ONNX:CumSum", "PointWiseV2"}));
  EXPECT_EQ(engine.layers[0].outputs[0].dimensions, (dims{1, 8, 4, 4}));
  EXPECT_EQ(classes(engine)[0], layer_class::unclassified);

  // An operation of another domain is unsupported too (shape inference cannot size it: an error).
  graph_maker custom;
  custom.input("x", {1, 8, 4, 4}).node("FusedConv", {"x"}, {"y"}, {}, "/vendor", "com.example").output("y");
  custom.model().add_opset_import()->set_domain("com.example");
  EXPECT_ERROR_MENTIONS(custom.engine(), "test.onnx", "/vendor");
}

TEST(OnnxOps, ASkippedLayerIsCountedAsNotModelled) {
  graph_maker g;
  g.input("x", {1, 8, 4, 4}).weight("w", {8, 8, 3, 3});
  g.node("Conv", {"x", "w"}, {"c"}, {ints("pads", {1, 1, 1, 1})}, "/conv");
  g.constant("axis", {1}, dims{}).node("CumSum", {"c", "axis"}, {"y"}, {}, "/odd").output("y");
  const auto engine = g.engine({.unsupported = unsupported_ops::skip, .warn = [](std::string_view) {}});
  predict::model_set no_models;
  const auto prediction = predict::predict_network(no_models, engine);
  EXPECT_EQ(prediction.not_modelled.at("ONNX:CumSum"), 1u);
}

}  // namespace op_families_test
}  // namespace layerwatt::onnx
