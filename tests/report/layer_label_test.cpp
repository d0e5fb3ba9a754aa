#include "layerwatt/report/layer_label.hpp"

#include <gtest/gtest.h>

namespace report = layerwatt::report;

namespace layer_label_test {

// Torch-TensorRT's names differ only after their tags; the labels keep what differs.
TEST(LayerLabel, TellsTorchTensorRTLayersApart) {
  const auto a = report::layer_label(
      "[CONVOLUTION]-[aten_ops.convolution.default]-[/layer1/0/conv1/convolution] + [RELU]-[aten_ops.relu.default]-[/layer1/0/relu/relu]", 15);
  const auto b = report::layer_label("[CONVOLUTION]-[aten_ops.convolution.default]-[/layer2/0/conv1/convolution]", 15);
  EXPECT_EQ(a, "/layer1/0/conv1");
  EXPECT_EQ(b, "/layer2/0/conv1");
  EXPECT_EQ(report::layer_label("[MAX]-[aten_ops.max_pool2d.default]-[/maxpool/max_pool2d]", 40), "/maxpool");
}

// A reformat's name ends with the tagged name of the layer it feeds: that too reads as a path.
TEST(LayerLabel, ATaggedOperationAnywhereReadsAsItsPath) {
  const std::string reformat =
      "Reformatting CopyNode for Input Tensor 0 to [CONVOLUTION]-[aten_ops.convolution.default]-[/conv1/convolution] + "
      "[RELU]-[aten_ops.relu.default]-[/relu/relu]";
  EXPECT_EQ(report::layer_label(reformat, 60), "Reformatting CopyNode for Input Tensor 0 to /conv1");
  EXPECT_EQ(report::layer_label(reformat, 60, report::label_part::operation),
            "…ormatting CopyNode for Input Tensor 0 to /conv1/convolution");
}

// A table's rows keep the operation: lenet's two max-pools share their module.
TEST(LayerLabel, TheOperationTellsApartLayersOfOneModule) {
  const auto first = "[MAX]-[aten_ops.max_pool2d.default]-[/features/max_pool2d_default]";
  const auto second = "[MAX]-[aten_ops.max_pool2d.default]-[/features/max_pool2d_default_1]";
  EXPECT_EQ(report::layer_label(first, 60), report::layer_label(second, 60));
  EXPECT_EQ(report::layer_label(first, 60, report::label_part::operation), "/features/max_pool2d_default");
  EXPECT_EQ(report::layer_label(second, 60, report::label_part::operation), "/features/max_pool2d_default_1");
}

TEST(LayerLabel, OnnxNamesUpToTheirFirstFusedOperation) {
  EXPECT_EQ(report::layer_label("/features/features.0/Conv + /features/features.1/Relu", 40), "/features/features.0");
  EXPECT_EQ(report::layer_label("fc", 15), "fc");
  EXPECT_EQ(report::layer_label("/features/features.10/conv/conv.2/Conv", 15), "…10/conv/conv.2");  // the end differs
}

// A cut never splits a UTF-8 character: "/blöck" cut to its last 3 bytes would start inside the
// 'ö' (2 bytes), so the label starts after it; a 1-byte prefix of 'ö' is no character at all.
TEST(LayerLabel, CutsOnlyBetweenWholeCharacters) {
  EXPECT_EQ(report::layer_label("/blöck/Conv", 4), "…ck");
  EXPECT_EQ(report::layer_label("/blöck/Conv", 5), "…öck");
  EXPECT_EQ(report::layer_label("ö", 1), "");
  EXPECT_EQ(report::layer_label("ö", 2), "ö");
}

}  // namespace layer_label_test
