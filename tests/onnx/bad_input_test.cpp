// Bad input: a corrupt or truncated file, a newer opset or IR version than the linked ONNX
// reads, a dynamic input without a shape, a failed shape inference — each a layerwatt::error
// naming the file and, where one is at fault, the node or input.

#include <gtest/gtest.h>

#include <string>

#include "graph_maker.hpp"
#include "support/temp_dir.hpp"
#include "test_models.hpp"

namespace layerwatt::onnx {
namespace bad_input_test {

using testing::graph_maker;
using testing::ints;
using testing::temp_dir;

graph_maker conv_net(std::int64_t opset = 13) {
  graph_maker g(opset);
  g.input("input", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  g.node("Conv", {"input", "w"}, {"y"}, {ints("pads", {1, 1, 1, 1})}, "/conv").output("y");
  return g;
}

TEST(OnnxBadInput, AFileThatIsNoModel) {
  temp_dir dir;
  testing::write_text(dir / "empty.onnx", "");
  EXPECT_ERROR_MENTIONS(read_engine_info(dir / "empty.onnx"), "empty.onnx", "not an ONNX model", "no IR version");
  testing::write_text(dir / "text.onnx", "{\"Layers\": []}\n");
  EXPECT_ERROR_MENTIONS(read_engine_info(dir / "text.onnx"), "text.onnx", "not an ONNX model");
  EXPECT_ERROR_MENTIONS(read_engine_info(dir / "missing.onnx"), "missing.onnx", "cannot open");
}

TEST(OnnxBadInput, EveryTruncationOfARealModelIsAnErrorNamingTheFile) {
  const std::string bytes = testing::read_text(testing::test_model("resnet18"));
  ASSERT_GT(bytes.size(), 5000u);
  temp_dir dir;
  const auto cut = dir / "cut.onnx";
  for (std::size_t size = 0; size < bytes.size(); size += 97) {
    testing::write_text(cut, std::string_view(bytes).substr(0, size));
    SCOPED_TRACE(size);
    EXPECT_ERROR_MENTIONS(read_engine_info(cut), "cut.onnx");
  }
}

TEST(OnnxBadInput, CorruptBytesAreAnErrorNotACrash) {
  std::string bytes = testing::read_text(testing::test_model("resnet18"));
  temp_dir dir;
  const auto file = dir / "corrupt.onnx";
  int errors = 0;
  for (std::size_t at = 7; at < bytes.size(); at += 389) {
    std::string damaged = bytes;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    testing::write_text(file, damaged);
    try {
      static_cast<void>(read_engine_info(file));  // a flipped byte in a name or a dimension may still read
    } catch (const error& e) {
      ++errors;
      EXPECT_NE(std::string_view(e.what()).find("corrupt.onnx"), std::string_view::npos) << e.what();
    }
  }
  EXPECT_GT(errors, 0);
}

TEST(OnnxBadInput, AnOpsetNewerThanTheLinkedOnnxSaysHowToExport) {
  EXPECT_EQ(max_supported_opset(), 17);  // Debian 12's ONNX 1.12
  EXPECT_ERROR_MENTIONS(conv_net(18).engine(), "test.onnx", "opset 18 is newer", "up to 17", "opset_version=17");
  auto newer_ir = conv_net();
  newer_ir.model().set_ir_version(::ONNX_NAMESPACE::IR_VERSION + 1);
  EXPECT_ERROR_MENTIONS(newer_ir.engine(), "test.onnx", "IR version", "is newer");
  auto no_opset = conv_net();
  no_opset.model().clear_opset_import();
  EXPECT_ERROR_MENTIONS(no_opset.engine(), "test.onnx", "no opset");
  EXPECT_NO_THROW(conv_net(17).engine());
}

TEST(OnnxBadInput, AValueNoNodeDefinesIsAnErrorNamingTheNode) {
  graph_maker g;
  g.input("input", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  g.node("Relu", {"missing"}, {"r"}, {}, "/relu").output("r");
  EXPECT_ERROR_MENTIONS(g.engine(), "test.onnx", "/relu", "\"missing\"", "truncated or corrupt");
  auto unwritten = conv_net();
  unwritten.output("nowhere");
  EXPECT_ERROR_MENTIONS(unwritten.engine(), "test.onnx", "output \"nowhere\"");
}

TEST(OnnxBadInput, ADynamicInputNeedsItsShape) {
  graph_maker g;
  g.input("input", {0, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  g.node("Conv", {"input", "w"}, {"y"}, {ints("pads", {1, 1, 1, 1})}, "/conv").output("y");
  EXPECT_ERROR_MENTIONS(g.engine(), "test.onnx", "input \"input\"", "[batch, 3, 8, 8]", "--input-shape input:1x3x8x8");
  const auto engine = g.engine({.input_shapes = {{"input", {4, 3, 8, 8}}}});
  EXPECT_EQ(engine.layers[1].outputs[0].dimensions, (std::vector<std::int64_t>{4, 4, 8, 8}));
  EXPECT_ERROR_MENTIONS(g.engine({.input_shapes = {{"input", {4, 3, 8}}}}), "\"input\"", "4 dimensions", "has 3");
  EXPECT_ERROR_MENTIONS(g.engine({.input_shapes = {{"input", {4, 2, 8, 8}}}}), "\"input\"", "static dimension 3",
                        "axis 1");
  EXPECT_ERROR_MENTIONS(g.engine({.input_shapes = {{"w", {4, 3, 3, 3}}}}), "\"w\"", "not a data input", "input");
}

TEST(OnnxBadInput, AFailedShapeInferenceNamesTheNode) {
  graph_maker g;
  g.input("a", {1, 3, 8, 8}).input("b", {1, 4, 8, 8}).node("Add", {"a", "b"}, {"y"}, {}, "/add").output("y");
  EXPECT_ERROR_MENTIONS(g.engine(), "test.onnx", "shape inference", "/add");
  graph_maker channels;  // ONNX 1.12 does not check a convolution's channels: we do
  channels.input("input", {1, 3, 8, 8}).weight("w", {4, 5, 3, 3});
  channels.node("Conv", {"input", "w"}, {"y"}, {}, "/conv").output("y");
  EXPECT_ERROR_MENTIONS(channels.engine(), "test.onnx", "/conv", "takes 5 input channels", "the input has 3");
}

TEST(OnnxBadInput, AGraphWithoutDataOrWithAConstantOutput) {
  graph_maker no_data;
  no_data.initializer("x", {1, 3, 8, 8}).weight("w", {4, 3, 3, 3});
  no_data.node("Conv", {"x", "w"}, {"y"}, {}, "/conv").output("y");
  EXPECT_ERROR_MENTIONS(no_data.engine(), "test.onnx", "no data input");

  graph_maker constant_out;
  constant_out.input("input", {1, 3}).constant("c", {1, 2, 3}).output("c");
  constant_out.node("Relu", {"input"}, {"r"}, {}, "/relu").output("r");
  EXPECT_ERROR_MENTIONS(constant_out.engine(), "test.onnx", "output \"c\" is a constant");
}

}  // namespace bad_input_test
}  // namespace layerwatt::onnx
