// One test per fusion rule: which ONNX nodes the front end hands the network builder as one
// layer, on graphs small enough to read.

#include <gtest/gtest.h>

#include "graph_maker.hpp"
#include "layerwatt/dataset/classify.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::onnx {
namespace fusion_test {

using testing::attr;
using testing::graph_maker;
using testing::ints;
using testing::layer_types;
using types = std::vector<std::string>;
using dims = std::vector<std::int64_t>;

/// x [1, 8, 8, 8] → a 3×3 convolution "/conv" to `out` [1, 8, 8, 8].
graph_maker conv_graph(const std::string& out = "c") {
  graph_maker g;
  g.input("x", {1, 8, 8, 8}).weight("w", {8, 8, 3, 3}).weight("b", {8});
  g.node("Conv", {"x", "w", "b"}, {out}, {ints("kernel_shape", {3, 3}), ints("pads", {1, 1, 1, 1})}, "/conv");
  return g;
}

TEST(OnnxFusion, ConvolutionAndReluAreOneLayerNamedAfterBothNodes) {
  auto g = conv_graph();
  g.node("Relu", {"c"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution"}));
  const auto& conv = engine.layers[1];
  EXPECT_EQ(conv.name, "/conv + /relu");
  EXPECT_EQ(conv.extra.at("Activation"), "RELU");
  EXPECT_EQ(conv.extra.at("HasReLU"), 1);
  EXPECT_EQ(conv.outputs[0].name, "y");  // the layer writes the binding
  EXPECT_EQ(engine.bindings, (types{"x", "y"}));
}

TEST(OnnxFusion, BatchNormalizationFusesIntoTheConvolution) {
  auto g = conv_graph();
  for (const char* p : {"s", "bias", "mean", "var"}) g.weight(p, {8});
  g.node("BatchNormalization", {"c", "s", "bias", "mean", "var"}, {"n"}, {}, "/bn");
  g.node("Relu", {"n"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution"}));
  EXPECT_EQ(engine.layers[1].name, "/conv + /bn + /relu");
}

TEST(OnnxFusion, ClipToSixIsReluSixAndOtherBoundsRunApart) {
  auto six = conv_graph();
  six.scalar("lo", 0).scalar("hi", 6).node("Clip", {"c", "lo", "hi"}, {"y"}, {}, "/clip").output("y");
  const auto fused = six.engine();
  ASSERT_EQ(layer_types(fused), (types{"Reformat", "CaskConvolution"}));
  EXPECT_EQ(fused.layers[1].extra.at("Activation"), "CLIPPED_RELU");

  auto other = conv_graph();
  other.scalar("lo", -1).scalar("hi", 1).node("Clip", {"c", "lo", "hi"}, {"y"}, {}, "/clip").output("y");
  const auto apart = other.engine();
  EXPECT_EQ(layer_types(apart), (types{"Reformat", "CaskConvolution", "PointWiseV2"}));
  EXPECT_EQ(apart.layers[2].extra.at("Operation"), "Clip");
}

TEST(OnnxFusion, OpsetTenClipBoundsAreAttributes) {
  graph_maker g(10);
  g.input("x", {1, 8, 8, 8}).weight("w", {8, 8, 1, 1});
  g.node("Conv", {"x", "w"}, {"c"}, {}, "/conv");
  g.node("Clip", {"c"}, {"y"}, {attr("min", 0.0F), attr("max", 6.0F)}, "/clip").output("y");
  EXPECT_EQ(g.engine().layers[1].extra.at("Activation"), "CLIPPED_RELU");
}

TEST(OnnxFusion, ResidualAddAndReluJoinTheConvolution) {
  auto g = conv_graph();
  g.node("Add", {"c", "x"}, {"s"}, {}, "/add").node("Relu", {"s"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution"}));
  const auto& conv = engine.layers[1];
  EXPECT_EQ(conv.name, "/conv + /add + /relu");
  EXPECT_EQ(conv.extra.at("HasResidual"), 1);
  ASSERT_EQ(conv.inputs.size(), 2u);
  EXPECT_EQ(conv.inputs[1].name, "x");
}

TEST(OnnxFusion, TheAddJoinsTheLaterOfItsTwoProducers) {
  // ResNet's projection block: conv2 first, then the shortcut's convolution, then their sum.
  graph_maker g;
  g.input("x", {1, 8, 8, 8}).weight("w1", {8, 8, 3, 3}).weight("w2", {8, 8, 1, 1});
  g.node("Conv", {"x", "w1"}, {"a"}, {ints("pads", {1, 1, 1, 1})}, "/conv2");
  g.node("Conv", {"x", "w2"}, {"b"}, {}, "/downsample");
  g.node("Add", {"a", "b"}, {"s"}, {}, "/add").node("Relu", {"s"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "CaskConvolution"}));
  EXPECT_EQ(engine.layers[1].name, "/conv2");
  EXPECT_EQ(engine.layers[2].name, "/downsample + /add + /relu");
  EXPECT_EQ(engine.layers[2].inputs[1].name, engine.layers[1].outputs[0].name);
}

TEST(OnnxFusion, NothingFusesAcrossAValueReadTwiceOrAGraphOutput) {
  auto twice = conv_graph();
  twice.node("Relu", {"c"}, {"y"}, {}, "/relu").node("Sigmoid", {"c"}, {"z"}, {}, "/sigmoid").output("y").output("z");
  EXPECT_EQ(layer_types(twice.engine()), (types{"Reformat", "CaskConvolution", "PointWiseV2", "PointWiseV2"}));

  auto output = conv_graph();
  output.node("Relu", {"c"}, {"y"}, {}, "/relu").output("c").output("y");
  const auto engine = output.engine();
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "PointWiseV2"}));
  EXPECT_EQ(engine.bindings, (types{"x", "c", "y"}));
}

TEST(OnnxFusion, AnAddOfAPerChannelConstantIsTheConvolutionsBias) {
  graph_maker g;
  g.input("x", {1, 8, 8, 8}).weight("w", {8, 8, 1, 1}).weight("bias", {1, 8, 1, 1});
  g.node("Conv", {"x", "w"}, {"c"}, {}, "/conv").node("Add", {"c", "bias"}, {"y"}, {}, "/bias").output("y");
  EXPECT_EQ(layer_types(g.engine()), (types{"Reformat", "CaskConvolution"}));
}

TEST(OnnxFusion, ActivationsTheBuilderDoesNotFuseRunAsTheirOwnLayer) {
  auto g = conv_graph();
  g.node("Tanh", {"c"}, {"y"}, {}, "/tanh").output("y");
  const auto engine = g.engine();
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "PointWiseV2"}));
  EXPECT_EQ(engine.layers[1].extra.at("Activation"), "NONE");
  EXPECT_EQ(engine.layers[2].extra.at("Activation"), "TANH");
}

TEST(OnnxFusion, SigmoidOrHardSigmoidTimesItsInputIsOneActivation) {
  for (const auto& [gate, expected] : {std::pair{"Sigmoid", "SILU"}, {"HardSigmoid", "HARD_SWISH"}}) {
    auto g = conv_graph();
    g.node(gate, {"c"}, {"s"}, {}, "/gate").node("Mul", {"s", "c"}, {"y"}, {}, "/mul").output("y");
    const auto engine = g.engine();
    ASSERT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "PointWiseV2"})) << gate;
    EXPECT_EQ(engine.layers[2].extra.at("Activation"), expected);
    EXPECT_EQ(engine.layers[2].name, "PWN(/gate, /mul)");
  }
}

TEST(OnnxFusion, ASqueezeAndExcitationScaleIsAnElementWiseProduct) {
  auto g = conv_graph();
  g.weight("w2", {8, 8, 1, 1});
  g.node("GlobalAveragePool", {"c"}, {"p"}, {}, "/pool");
  g.node("Conv", {"p", "w2"}, {"e"}, {}, "/excite").node("Sigmoid", {"e"}, {"s"}, {}, "/gate");
  g.node("Mul", {"c", "s"}, {"y"}, {}, "/scale").output("y");
  const auto engine = g.engine();
  EXPECT_EQ(layer_types(engine), (types{"Reformat", "CaskConvolution", "CaskPooling", "CaskConvolution", "PointWiseV2",
                                        "ElementWise"}));
  EXPECT_EQ(engine.layers.back().extra.at("Operation"), "PROD");
  EXPECT_EQ(engine.layers.back().inputs.size(), 2u);
}

TEST(OnnxFusion, GemmAndReluAreOneFullyConnectedLayer) {
  graph_maker g;
  g.input("x", {2, 64}).weight("w", {10, 64}).weight("b", {10});
  g.node("Gemm", {"x", "w", "b"}, {"f"}, {attr("transB", std::int64_t{1})}, "/fc");
  g.node("Relu", {"f"}, {"y"}, {}, "/relu").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"NoOp", "CaskGemmConvolution", "NoOp"}));
  const auto& fc = engine.layers[1];
  EXPECT_EQ(fc.name, "/fc + /relu");
  EXPECT_EQ(fc.inputs[0].dimensions, (dims{2, 64, 1, 1}));
  EXPECT_EQ(*fc.out_maps, 10);
  EXPECT_EQ(engine.layers[0].name, "reshape_before_/fc");
  EXPECT_EQ(engine.layers[2].name, "reshape_after_/relu");
  EXPECT_EQ(engine.layers[2].outputs[0].dimensions, (dims{2, 10}));
  EXPECT_EQ(dataset::classify_layers(engine)[1].kind, dataset::layer_class::dense);
}

TEST(OnnxFusion, MatMulByAWeightPlusABiasIsAFullyConnectedLayer) {
  graph_maker g;
  g.input("x", {2, 64}).weight("w", {64, 10}).weight("b", {10});
  g.node("MatMul", {"x", "w"}, {"m"}, {}, "/mm").node("Add", {"b", "m"}, {"y"}, {}, "/bias").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"NoOp", "CaskGemmConvolution", "NoOp"}));
  EXPECT_EQ(*engine.layers[1].out_maps, 10);
}

TEST(OnnxFusion, MatMulOverTheLastAxisIsDenseOverTheRows) {
  graph_maker g;
  g.input("x", {1, 32, 16}).weight("w", {16, 8});
  g.node("MatMul", {"x", "w"}, {"y"}, {}, "/mm").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"NoOp", "CaskGemmConvolution", "Reformat", "NoOp"}));
  EXPECT_EQ(engine.layers[1].inputs[0].dimensions, (dims{32, 16, 1, 1}));
  EXPECT_EQ(engine.layers.back().outputs[0].dimensions, (dims{1, 32, 8}));
  EXPECT_EQ(dataset::classify_layers(engine)[1].kind, dataset::layer_class::dense);
}

TEST(OnnxFusion, AProductOfTwoActivationsIsAMatrixMultiplyWithoutWeight) {
  graph_maker g;
  g.input("a", {1, 4, 8}).input("b", {1, 8, 4});
  g.node("MatMul", {"a", "b"}, {"y"}, {}, "/mm").output("y");
  const auto engine = g.engine();
  ASSERT_EQ(layer_types(engine), (types{"gemm"}));
  EXPECT_EQ(dataset::classify_layers(engine)[0].kind, dataset::layer_class::memory_bound);
}

}  // namespace fusion_test
}  // namespace layerwatt::onnx
