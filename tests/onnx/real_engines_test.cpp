// The ONNX front end against engines TensorRT really built (other people's data, read from the
// shared folder): trtexec's FP16 engines of alexnet, mobilenet_v2 and resnet18 on an RTX 3060,
// built from ONNX exports of the same torchvision networks, and the Jetson Orin's Torch-TensorRT
// engines of resnet18 and vgg16. The convolution, pooling and dense layers must be the same,
// classified the same, with the same shapes; the other differences are the ones docs/onnx.md
// lists; and predictions of the totals agree within 5 %.

#include <gtest/gtest.h>

#include <cmath>

#include "layerwatt/onnx/read_engine_info.hpp"
#include "layerwatt/predict/model_set.hpp"
#include "layerwatt/predict/network_prediction.hpp"
#include "modelled_layers.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"
#include "test_models.hpp"

namespace layerwatt::onnx {
namespace real_engines_test {

using dataset::layer_class;
using testing::count_of;
using testing::modelled_layers;

io::engine_info ours(std::string_view name) { return read_engine_info(testing::test_model(name)); }

io::engine_info trtexec(std::string_view name) {
  const std::string n(name);
  return io::read_engine_info(testing::real_data("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16") / n / (n + "_fp16.graph.json"));
}

io::engine_info jetson_orin(std::string_view name) {
  return io::read_engine_info(testing::reference_data("engine_info/jetson_orin") / (std::string(name) + ".json"));
}

constexpr std::string_view rtx3060_networks[] = {"alexnet", "mobilenet_v2", "resnet18"};

TEST(OnnxRealEngines, TrtexecsEnginesHaveTheSameConvolutionPoolingAndDenseLayers) {
  LAYERWATT_REQUIRE_SHARED();
  for (const auto name : rtx3060_networks) {
    SCOPED_TRACE(name);
    const auto real = trtexec(name), read = ours(name);
    const auto expected = modelled_layers(real), actual = modelled_layers(read);
    ASSERT_EQ(actual.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << "modelled layer " << i;
    EXPECT_EQ(read.bindings, real.bindings);
  }
}

TEST(OnnxRealEngines, ConvolutionsAndPoolingsAreNamedAsTrtexecNamesThem) {
  LAYERWATT_REQUIRE_SHARED();
  for (const auto name : rtx3060_networks) {
    SCOPED_TRACE(name);
    // By kind, not type: trtexec ran some of mobilenet_v2's 1×1 convolutions on GEMM kernels.
    const auto names = [](const io::engine_info& engine) {
      std::vector<std::string> out;
      for (const auto& c : dataset::classify_layers(engine))
        if (c.kind == layer_class::convolutional || c.kind == layer_class::pooling) out.push_back(c.layer->name);
      return out;
    };
    EXPECT_EQ(names(ours(name)), names(trtexec(name)));
  }
}

TEST(OnnxRealEngines, TheOtherLayersDifferAsDocumented) {
  LAYERWATT_REQUIRE_SHARED();
  // docs/onnx.md, "Where TensorRT differs". Memory-bound: trtexec's flatten is a Myelin kernel
  // (kgen __myl_Res) where ours is a reformat to row-major; both have the input's reformat.
  // No-ops: trtexec's Myelin shape_call and the reformat NoOp before its Myelin GEMM; ours the
  // flatten's NoOp and the reshape of the last GEMM's output to [N, 1000].
  struct counts {
    std::string_view name;
    std::size_t real_memory_bound, our_memory_bound, real_no_op, our_no_op;
  };
  for (const auto& [name, real_memory, our_memory, real_no_op, our_no_op] :
       {counts{"alexnet", 2, 2, 1, 2}, {"mobilenet_v2", 1, 1, 2, 1}, {"resnet18", 1, 1, 2, 1}}) {
    SCOPED_TRACE(name);
    const auto real = trtexec(name), read = ours(name);
    EXPECT_EQ(count_of(real, layer_class::memory_bound), real_memory);
    EXPECT_EQ(count_of(read, layer_class::memory_bound), our_memory);
    EXPECT_EQ(count_of(real, layer_class::no_op), real_no_op);
    EXPECT_EQ(count_of(read, layer_class::no_op), our_no_op);
    EXPECT_EQ(count_of(read, layer_class::unclassified), 0u);
  }
}

TEST(OnnxRealEngines, TheJetsonOrinTorchTensorRtEngines) {
  LAYERWATT_REQUIRE_SHARED();
  // vgg16 layer for layer; resnet18's projection blocks run in another order (the residual add
  // fuses into the block's last convolution there, into the shortcut here): the same layers.
  EXPECT_EQ(modelled_layers(ours("vgg16")), modelled_layers(jetson_orin("vgg16")));
  EXPECT_EQ(modelled_layers(ours("resnet18"), true), modelled_layers(jetson_orin("resnet18"), true));
}

TEST(OnnxRealEngines, TheJetsonOrinNanoMobilenetV2KeepsItsReluSixApart) {
  LAYERWATT_REQUIRE_SHARED();
  // Torch-TensorRT on the Orin Nano (JetPack 6.1) ran each ReLU6 as a PointWise layer of its own
  // (35, beside the input's reformat), where trtexec on the RTX 3060 fused them as we do.
  const auto real = io::read_engine_info(
      testing::real_data("fuzzylabs_jetson_orin_nano_mobilenet_v2/run_20241029_5000cycles/trt_engine_info.json"));
  const auto read = ours("mobilenet_v2");
  EXPECT_EQ(modelled_layers(read), modelled_layers(real));
  EXPECT_EQ(count_of(real, layer_class::memory_bound), 36u);
  EXPECT_EQ(count_of(read, layer_class::memory_bound), 1u);
}

TEST(OnnxRealEngines, PredictedTotalsAgreeWithTheRealEnginesWithinFivePercent) {
  LAYERWATT_REQUIRE_SHARED();
  testing::temp_dir dir;
  testing::write_model_dir(dir / "models");
  const auto models = predict::load_model_set(dir / "models");
  const std::pair<io::engine_info, io::engine_info> pairs[] = {
      {ours("alexnet"), trtexec("alexnet")},   {ours("mobilenet_v2"), trtexec("mobilenet_v2")},
      {ours("resnet18"), trtexec("resnet18")}, {ours("resnet18"), jetson_orin("resnet18")},
      {ours("vgg16"), jetson_orin("vgg16")}};
  for (const auto& [read, real] : pairs) {
    const auto a = predict::predict_network(models, read).totals, b = predict::predict_network(models, real).totals;
    ASSERT_GT(b.runtime_s, 0);
    ASSERT_GT(b.energy_j.value(), 0);
    EXPECT_LT(std::abs(a.runtime_s / b.runtime_s - 1), 0.05) << a.runtime_s << " s vs " << b.runtime_s << " s";
    EXPECT_LT(std::abs(a.energy_j.value() / *b.energy_j - 1), 0.05) << *a.energy_j << " J vs " << *b.energy_j << " J";
  }
}

}  // namespace real_engines_test
}  // namespace layerwatt::onnx
