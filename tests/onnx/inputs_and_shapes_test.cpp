// Weights told from data inputs, and shapes that only resolve once the shape arithmetic
// exporters write (torch.chunk's Slice ends, nn.ZeroPad2d's pads) is folded.

#include <gtest/gtest.h>

#include "graph_maker.hpp"
#include "layerwatt/onnx/graph_inputs.hpp"
#include "layerwatt/onnx/model_file.hpp"
#include "layerwatt/onnx/shape_arithmetic.hpp"
#include "layerwatt/onnx/shape_inference.hpp"
#include "support/temp_dir.hpp"
#include "test_models.hpp"

namespace layerwatt::onnx {
namespace inputs_and_shapes_test {

using testing::attr;
using testing::graph_maker;
using testing::ints;
using dims = std::vector<std::int64_t>;
using strings = std::vector<std::string>;

TEST(OnnxInputs, AnExportWithoutParametersListsItsWeightsAsInputs) {
  const auto model = read_model(testing::test_model("resnet18"));
  EXPECT_EQ(model.graph().initializer_size(), 0);
  EXPECT_EQ(model.graph().input_size(), 27);  // the image, and conv and fc weights and biases
  const auto inputs = classify_graph_inputs(model.graph());
  EXPECT_EQ(inputs.data, (strings{"input"}));
  EXPECT_EQ(inputs.weights.size(), 26u);
}

TEST(OnnxInputs, WeightsAreTheInputsReadOnlyAsWeights) {
  graph_maker g;
  g.input("x", {1, 4}).weight("w", {8, 4}).weight("b", {8}).weight("shared", {8, 4}).weight("scale", {1, 8});
  g.initializer("saved", {8, 8});
  g.node("Identity", {"shared"}, {"shared_copy"}, {}, "/copy");  // PyTorch's copies of a tied weight
  g.node("Gemm", {"x", "w", "b"}, {"h"}, {attr("transB", std::int64_t{1})}, "/fc1");
  g.node("Gemm", {"x", "shared_copy"}, {"h2"}, {attr("transB", std::int64_t{1})}, "/fc2");
  g.node("MatMul", {"h", "saved"}, {"m"}, {}, "/mm").node("Add", {"b", "m"}, {"biased"}, {}, "/bias");
  g.node("Mul", {"biased", "scale"}, {"y"}, {}, "/layer_scale").output("y").output("h2");
  const auto inputs = classify_graph_inputs(g.model().graph());
  // A parameter used by a Mul is data to the rule: a binding of static shape.
  EXPECT_EQ(inputs.data, (strings{"x", "scale"}));
  for (const char* w : {"w", "b", "shared", "saved"}) EXPECT_TRUE(inputs.weights.contains(w)) << w;
}

TEST(OnnxShapes, TorchChunkSlicesResolveOnceTheirEndsAreFolded) {
  auto model = read_model(testing::test_model("shufflenet_v2_x1_0"));
  const auto inputs = classify_graph_inputs(model.graph());
  const auto shapes = infer_shapes(model, inputs.data, {}, "shufflenet_v2_x1_0.onnx");
  std::size_t slices = 0;
  for (const auto& node : model.graph().node()) {
    if (node.op_type() != "Slice") continue;
    ++slices;
    ASSERT_TRUE(shapes.contains(node.output(0))) << node.name();
  }
  EXPECT_EQ(slices, 26u);
  EXPECT_EQ(shapes.at("/stage2/stage2.1/Slice_output_0"), (dims{1, 58, 28, 28}));
}

TEST(OnnxShapes, PadsBuiltFromConstantsAreFolded) {
  // nn.ZeroPad2d((1, 0, 1, 0)) at opset 13: the pads in PyTorch's order, reversed to ONNX's.
  graph_maker g;
  g.input("x", {1, 2, 4, 4}).constant("torch_pads", {1, 0, 1, 0}).constant("zeros", {4});
  g.node("ConstantOfShape", {"zeros"}, {"z"}, {}, "/zeros");
  g.node("Concat", {"torch_pads", "z"}, {"all"}, {attr("axis", std::int64_t{0})}, "/concat");
  g.constant("pairs", {-1, 2}).node("Reshape", {"all", "pairs"}, {"p"}, {}, "/reshape");
  g.constant("start", {-1}).constant("end", {-9223372036854775807LL}).constant("axis", {0}).constant("step", {-1});
  g.node("Slice", {"p", "start", "end", "axis", "step"}, {"reversed"}, {}, "/reverse");
  g.node("Transpose", {"reversed"}, {"t"}, {ints("perm", {1, 0})}, "/transpose");
  g.constant("flat", {-1}).node("Reshape", {"t", "flat"}, {"onnx_pads"}, {}, "/flatten");
  g.node("Cast", {"onnx_pads"}, {"pads"}, {attr("to", std::int64_t{::ONNX_NAMESPACE::TensorProto::INT64})}, "/cast");
  g.node("Pad", {"x", "pads"}, {"y"}, {}, "/pad").output("y");
  // ConstantOfShape's default value is a float 0, not folded: give it an int64 one.
  auto* zeros = g.model().mutable_graph()->mutable_node(2);
  auto* fill = zeros->add_attribute();
  fill->set_name("value");
  fill->set_type(::ONNX_NAMESPACE::AttributeProto::TENSOR);
  fill->mutable_t()->set_data_type(::ONNX_NAMESPACE::TensorProto::INT64);
  fill->mutable_t()->add_dims(1);
  fill->mutable_t()->add_int64_data(0);
  const auto engine = g.engine();
  ASSERT_EQ(engine.layers.size(), 1u);
  EXPECT_EQ(engine.layers[0].layer_type, "Padding");
  EXPECT_EQ(engine.layers[0].outputs[0].dimensions, (dims{1, 2, 5, 5}));
}

known_tensor ints_of(dims values, dims shape = {}) {
  if (shape.empty()) shape = {static_cast<std::int64_t>(values.size())};
  return {std::move(shape), std::move(values), ::ONNX_NAMESPACE::TensorProto::INT64};
}

std::optional<known_tensor> run(const std::string& op, const std::vector<const known_tensor*>& in,
                                const std::vector<::ONNX_NAMESPACE::AttributeProto>& attributes = {},
                                const dims* shape = nullptr) {
  ::ONNX_NAMESPACE::NodeProto node;
  node.set_op_type(op);
  for (const auto& a : attributes) *node.add_attribute() = a;
  return detail::evaluate(node, in, shape);
}

TEST(OnnxShapeArithmetic, EachOperationAsOnnxDefinesIt) {
  const dims shape{2, 3, 8, 8};
  EXPECT_EQ(run("Shape", {nullptr}, {attr("start", std::int64_t{-2})}, &shape)->values, (dims{8, 8}));
  EXPECT_EQ(run("Size", {nullptr}, {}, &shape)->values, (dims{384}));
  const auto a = ints_of({1, 2, 3, 4, 5, 6}, {2, 3}), idx = ints_of({2, 0}), scalar = ints_of({1}, {});
  const auto gathered = run("Gather", {&a, &idx}, {attr("axis", std::int64_t{1})});
  EXPECT_EQ(gathered->dims, (dims{2, 2}));
  EXPECT_EQ(gathered->values, (dims{3, 1, 6, 4}));
  EXPECT_EQ(run("Gather", {&a, &scalar})->values, (dims{4, 5, 6}));
  const auto b = ints_of({10, 20, 30});
  EXPECT_EQ(run("Add", {&a, &b})->values, (dims{11, 22, 33, 14, 25, 36}));  // broadcast over rows
  const auto two = ints_of({2}, {});
  EXPECT_EQ(run("Div", {&b, &two})->values, (dims{5, 10, 15}));
  const auto zero = ints_of({0}, {});
  EXPECT_FALSE(run("Div", {&b, &zero}));
  EXPECT_EQ(run("Transpose", {&a})->values, (dims{1, 4, 2, 5, 3, 6}));
  const auto target = ints_of({0, -1});
  const auto reshaped = run("Reshape", {&a, &target});
  EXPECT_EQ(reshaped->dims, (dims{2, 3}));
  const auto starts = ints_of({-1}), ends = ints_of({-100}), axes = ints_of({1}), steps = ints_of({-2});
  const auto sliced = run("Slice", {&a, &starts, &ends, &axes, &steps});
  EXPECT_EQ(sliced->dims, (dims{2, 2}));
  EXPECT_EQ(sliced->values, (dims{3, 1, 6, 4}));
  const auto concat = run("Concat", {&b, &b}, {attr("axis", std::int64_t{0})});
  EXPECT_EQ(concat->values, (dims{10, 20, 30, 10, 20, 30}));
  const auto at0 = ints_of({0});
  EXPECT_EQ(run("Unsqueeze", {&b, &at0})->dims, (dims{1, 3}));
  const auto one_row = ints_of({7, 8}, {1, 2});
  EXPECT_EQ(run("Squeeze", {&one_row})->dims, (dims{2}));
  const auto eq = run("Equal", {&b, &two});
  EXPECT_EQ(eq->type, ::ONNX_NAMESPACE::TensorProto::BOOL);
  const auto cond = ints_of({1, 0, 1});
  EXPECT_EQ(run("Where", {&cond, &b, &two})->values, (dims{10, 2, 30}));
  const auto start = ints_of({0}, {}), limit = ints_of({5}, {});
  EXPECT_EQ(run("Range", {&start, &limit, &two})->values, (dims{0, 2, 4}));
  EXPECT_FALSE(run("Cast", {&b}, {attr("to", std::int64_t{::ONNX_NAMESPACE::TensorProto::FLOAT})}));
  EXPECT_FALSE(run("Add", {&b, nullptr}));  // an unknown input
  EXPECT_FALSE(run("Sin", {&b}));           // not shape arithmetic
}

}  // namespace inputs_and_shapes_test
}  // namespace layerwatt::onnx
