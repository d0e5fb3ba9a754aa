// One classification rule per test, on small engine files written here in the engine
// inspector's form (each as TensorRT 8.x/10.x writes that layer family), and the real engines.
#include "layerwatt/dataset/classify.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <tuple>

#include "layerwatt/dataset/layer_features.hpp"
#include "layerwatt/dataset/training_csv.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/json_document.hpp"
#include "support/shared_data.hpp"
#include "support/temp_dir.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
namespace features = layerwatt::features;
using ds::layer_class;

namespace classify_test {

io::engine_info engine(std::string_view layers, std::string_view bindings = R"(["input", "output"])") {
  const io::json_document doc("engine.json", fmt::format(R"({{"Layers": [{}], "Bindings": {}}})", layers, bindings));
  return io::parse_engine_info(doc.root());
}

std::string tensor(std::string_view name, std::string_view dims, std::string_view format = "Half") {
  return fmt::format(R"({{"Name": "{}", "Dimensions": [{}], "Format/Datatype": "{}"}})", name, dims, format);
}

/// A layer with the given type and extra members, reading `inputs` and writing `outputs`.
std::string layer(std::string_view name, std::string_view type, std::string_view inputs, std::string_view outputs,
                  std::string_view extra = "") {
  return fmt::format(R"({{"Name": "{}", "LayerType": "{}", "Inputs": [{}], "Outputs": [{}]{}{}}})", name, type, inputs,
                     outputs, extra.empty() ? "" : ", ", extra);
}

constexpr std::string_view conv_keys =
    R"("ParameterType": "Convolution", "Kernel": [1, 1], "PrePadding": [0, 0], "PostPadding": [0, 0],
       "Stride": [1, 1], "Dilation": [1, 1], "OutMaps": 64, "Groups": 1)";

ds::classified_layer only(const io::engine_info& e, ds::classification_rule rule = ds::classification_rule::semantic) {
  const auto layers = ds::classify_layers(e, rule);
  EXPECT_EQ(layers.size(), 1u);
  return layers.at(0);
}

TEST(Classify, ConvolutionsWhateverKernelFamilyRunsThem) {
  for (const auto* type : {"CaskConvolution", "CaskGemmConvolution", "CudaDepthwiseConvolution",
                           "FusedConvActConvolution", "CaskFlattenConvolution", "CudnnConvolution"}) {
    SCOPED_TRACE(type);
    const auto e = engine(layer("conv", type, tensor("input", "1, 32, 14, 14"), tensor("output", "1, 64, 14, 14"),
                                conv_keys));
    EXPECT_EQ(only(e).kind, layer_class::convolutional);
  }
  // Without a ParameterType, the kernel family alone decides.
  const auto e = engine(layer("dw", "CudaDepthwiseConvolution", tensor("input", "1, 32, 14, 14"),
                              tensor("output", "1, 32, 14, 14"), R"("Kernel": [3, 3], "Groups": 32)"));
  EXPECT_EQ(only(e).kind, layer_class::convolutional);
  EXPECT_EQ(only(e).reason, "LayerType CudaDepthwiseConvolution");
}

TEST(Classify, TransposedConvolutionsAreConvolutions) {
  EXPECT_EQ(only(engine(layer("up", "CaskDeconvolution", tensor("input", "1, 64, 14, 14"),
                              tensor("output", "1, 32, 28, 28"), R"("ParameterType": "Deconvolution")")))
                .kind,
            layer_class::convolutional);
  EXPECT_EQ(only(engine(layer("up", "CaskDeconvolution", tensor("input", "1, 64, 14, 14"),
                              tensor("output", "1, 32, 28, 28"))))
                .kind,
            layer_class::convolutional);
}

// The kinds' features are 2-d: a Conv3d, a 1-d layer built through the network API, or a
// malformed "Kernel", is no layer they can describe (predict lists it as not modelled, not as an
// error); nor is a 1×1×1 Conv3d a dense layer.
TEST(Classify, AConvolutionOrPoolingNotOverTwoSpatialDimensionsIsUnclassified) {
  const std::string reason = "a convolution or pooling not over two spatial dimensions";
  for (const auto& [name, input, output, keys] :
       {std::tuple{"conv1d", "1, 32, 100", "1, 64, 98", R"("ParameterType": "Convolution", "Kernel": [3])"},
        {"conv3d", "1, 8, 16, 16, 16", "1, 8, 14, 14, 14", R"("ParameterType": "Convolution", "Kernel": [3, 3, 3])"},
        {"pointwise conv3d", "1, 8, 16, 16, 16", "1, 4, 16, 16, 16",
         R"("ParameterType": "Convolution", "Kernel": [1, 1, 1])"},
        {"pointwise conv1d", "1, 8, 16", "1, 4, 16", R"("ParameterType": "Convolution", "Kernel": [1])"},
        {"one-entry kernel", "1, 32, 14, 14", "1, 64, 12, 12", R"("ParameterType": "Convolution", "Kernel": [3])"},
        {"three-entry stride", "1, 32, 14, 14", "1, 64, 12, 12",
         R"("ParameterType": "Convolution", "Kernel": [3, 3], "Stride": [1, 1, 1])"},
        {"pool3d", "1, 8, 16, 16, 16", "1, 8, 8, 8, 8", R"("ParameterType": "Pooling", "WindowSize": [2, 2, 2])"}}) {
    SCOPED_TRACE(name);
    const auto e = engine(layer("l", std::string_view(name).starts_with("pool") ? "CaskPooling" : "CaskConvolution",
                                tensor("input", input), tensor("output", output), keys));
    EXPECT_EQ(only(e).kind, layer_class::unclassified);
    EXPECT_EQ(only(e).reason.substr(0, reason.size()), reason);
  }
  const auto two_d = engine(layer("conv", "CaskConvolution", tensor("input", "1, 32, 14, 14"),
                                  tensor("output", "1, 64, 12, 12"), R"("ParameterType": "Convolution", "Kernel": [3, 3])"));
  EXPECT_EQ(only(two_d).kind, layer_class::convolutional);
}

// MobileNetV2's twelve 1×1 convolutions on 14×14 and 7×7 maps run as CaskGemmConvolution on the
// Jetson Orin: convolutions, not dense layers (the reference's rule says dense).
TEST(Classify, AGemmRunOneByOneConvolutionOnAFeatureMapIsAConvolution) {
  const auto e = engine(layer("pw", "CaskGemmConvolution", tensor("input", "1, 576, 7, 7"),
                              tensor("output", "1, 160, 7, 7"), conv_keys));
  EXPECT_EQ(only(e).kind, layer_class::convolutional);
  EXPECT_EQ(only(e, ds::classification_rule::reference).kind, layer_class::dense);
}

TEST(Classify, AOneByOneConvolutionOnAOneByOneInputIsDense) {
  for (const auto* type : {"CaskGemmConvolution", "CaskConvolution"}) {
    SCOPED_TRACE(type);
    const auto e = engine(layer("[MATRIX_MULTIPLY]-[aten_ops.addmm.default]-[/fc/addmm_mm]", type,
                                tensor("input", "1, 512, 1, 1"), tensor("output", "1, 1000, 1, 1"), conv_keys));
    EXPECT_EQ(only(e).kind, layer_class::dense);
    EXPECT_EQ(features::features_of<features::dense>(only(e).features_layer()), (std::array<double, 3>{1, 512, 1000}));
  }
}

TEST(Classify, PoolingWhateverKernelFamilyRunsIt) {
  for (const auto* type : {"CaskPooling", "TiledPooling", "CudaPooling", "CudnnPooling"}) {
    SCOPED_TRACE(type);
    const auto e = engine(layer("pool", type, tensor("input", "1, 64, 56, 56"), tensor("output", "1, 64, 28, 28"),
                                R"("PoolingType": "MAX", "WindowSize": [2, 2], "Stride": [2, 2])"));
    EXPECT_EQ(only(e).kind, layer_class::pooling);
  }
}

TEST(Classify, ASpatialReduceToOneByOneIsGlobalPooling) {
  const auto e = engine(layer("mean", "Reduce", tensor("input", "1, 1280, 7, 7"), tensor("output", "1, 1280, 1, 1"),
                              R"("ParameterType": "Reduce")"));
  const auto c = only(e);
  EXPECT_EQ(c.kind, layer_class::pooling);
  EXPECT_EQ(features::features_of<features::pooling>(c.features_layer()),
            (std::array<double, 11>{1, 1280, 7, 7, 1280, 1, 1, 7, 7, 1, 1}));
  // A reduction over the channels moves data; it pools nothing.
  const auto channels = engine(layer("sum", "Reduce", tensor("input", "1, 64, 7, 7"), tensor("output", "1, 1, 7, 7"),
                                     R"("ParameterType": "Reduce")"));
  EXPECT_EQ(only(channels).kind, layer_class::memory_bound);
}

// TensorRT 10's Myelin runs a fully connected layer as a `kgen` kernel (resnet18's classifier on
// an RTX 3060: `__myl_MulSumAdd`, the bias first, the weight among the inputs, the origin in the
// Metadata) or as `gemm`.
TEST(Classify, MyelinMatrixMultipliesWithAWeightAreDense) {
  const auto kgen = engine(
      layer("__myl_MulSumAdd_myl24_1", "kgen",
            tensor("fc_bias _ ONNXTRT_Broadcast_constantHalf", "1, 1000") + ", " +
                tensor("__mye519_dconst", "512, 1000") + ", " + tensor("pooled", "512, 1"),
            tensor("output", "1, 1000"), R"("Metadata": "[ONNX Layer: /fc/Gemm]")"),
      R"(["input", "output", "pooled"])");
  const auto c = only(kgen);
  EXPECT_EQ(c.kind, layer_class::dense);
  EXPECT_EQ(features::features_of<features::dense>(c.features_layer()), (std::array<double, 3>{1, 512, 1000}));

  const auto gemm = engine(layer("/classifier/classifier_1/Gemm_myl9_2", "gemm",
                                 tensor("flat", "1, 9216") + ", " + tensor("__mye519_dconst", "9216, 4096") + ", " +
                                     tensor("alpha", "1", "Float") + ", " + tensor("beta", "1", "Float"),
                                 tensor("output", "1, 4096")),
                           R"(["input", "output", "flat"])");
  EXPECT_EQ(only(gemm).kind, layer_class::dense);
  EXPECT_EQ(features::features_of<features::dense>(only(gemm).features_layer()),
            (std::array<double, 3>{1, 9216, 4096}));
}

TEST(Classify, AMatrixMultiplyAtEveryPositionIsAOneByOneConvolution) {
  const auto e = engine(layer("[MATRIX_MULTIPLY]-[aten_ops.linear.default]-[mlp]", "gemm",
                              tensor("input", "1, 96, 56, 56") + ", " + tensor("mlp.weight", "96, 384"),
                              tensor("output", "1, 384, 56, 56")));
  const auto c = only(e);
  EXPECT_EQ(c.kind, layer_class::convolutional);
  EXPECT_EQ(features::features_of<features::convolutional>(c.features_layer()),
            (std::array<double, 13>{1, 96, 56, 56, 384, 56, 56, 1, 1, 0, 0, 1, 1}));
}

TEST(Classify, AMatrixMultiplyOfTwoActivationsIsMemoryBound) {
  const auto e = engine(layer("mm", "MatrixMultiply", tensor("input", "1, 64, 64") + ", " + tensor("keys", "1, 64, 64"),
                              tensor("output", "1, 64, 64"), R"("ParameterType": "MatrixMultiply")"),
                        R"(["input", "keys", "output"])");
  EXPECT_EQ(only(e).kind, layer_class::memory_bound);
}

TEST(Classify, MyelinMeansToOneByOneArePoolingAndTheRestMemoryBound) {
  const auto mean = engine(layer("__myl_MaxMinMea_myl121_0", "kgen", tensor("input", "1, 1280, 7, 7"),
                                 tensor("output", "1, 1280, 1, 1")));
  EXPECT_EQ(only(mean).kind, layer_class::pooling);
  const auto onnx_mean = engine(layer("k", "kgen", tensor("input", "1, 1280, 7, 7"), tensor("output", "1, 1280, 1, 1"),
                                      R"("Metadata": "[ONNX Layer: /GlobalAveragePool]")"));
  EXPECT_EQ(only(onnx_mean).kind, layer_class::pooling);
  const auto flatten = engine(layer("__myl_Res_myl9_1", "kgen", tensor("input", "1, 256, 6, 6"),
                                    tensor("output", "1, 9216"), R"("Metadata": "[ONNX Layer: /Flatten]")"));
  EXPECT_EQ(only(flatten).kind, layer_class::memory_bound);
  const auto clip = engine(layer("__myl_MaxMinCas_myl2_0", "kgen", tensor("input", "1, 32, 112, 112"),
                                 tensor("output", "1, 32, 112, 112")));
  EXPECT_EQ(only(clip).kind, layer_class::memory_bound);
}

TEST(Classify, LayersThatMoveOrCombineTensorsAreMemoryBound) {
  for (const auto* type : {"PointWiseV2", "PointWise", "Reformat", "ElementWise", "Shuffle", "Slice", "Concatenation",
                           "Normalization", "SoftMax", "Resize", "Scale", "Activation", "Padding", "Gather"}) {
    SCOPED_TRACE(type);
    EXPECT_EQ(only(engine(layer("l", type, tensor("input", "1, 8, 4, 4"), tensor("output", "1, 8, 4, 4")))).kind,
              layer_class::memory_bound);
  }
  // By TensorRT's ILayer type where the inspector gives it, in either spelling.
  for (const auto* type : {"Concatenation", "kCONCATENATION", "ElementWise", "kELEMENTWISE", "Shuffle", "Softmax"}) {
    SCOPED_TRACE(type);
    const auto e = engine(layer("l", "SomeKernel", tensor("input", "1, 8, 4, 4"), tensor("output", "1, 8, 4, 4"),
                                fmt::format(R"("ParameterType": "{}")", type)));
    EXPECT_EQ(only(e).kind, layer_class::memory_bound);
  }
}

TEST(Classify, NoOpsAndLayersWithoutTensorsCostNothing) {
  EXPECT_EQ(only(engine(layer("reshape", "NoOp", tensor("input", "1, 8, 1, 1"), tensor("output", "1, 8")))).kind,
            layer_class::no_op);
  EXPECT_EQ(only(engine(layer("dummy_shape_call__mye539_0_myl55_0", "shape_call", "", ""))).kind, layer_class::no_op);
}

TEST(Classify, AnUnknownTypeIsUnclassifiedNeverDropped) {
  const auto plugin = engine(layer("nms", "PluginV2", tensor("input", "1, 8, 4, 4"), tensor("output", "1, 8, 4, 4"),
                                   R"("ParameterType": "PluginV2")"));
  EXPECT_EQ(only(plugin).kind, layer_class::unclassified);
  EXPECT_FALSE(only(plugin).modelled());
  const auto strange = engine(layer("x", "SomethingNew", tensor("input", "1, 8"), tensor("output", "1, 8")));
  EXPECT_EQ(only(strange).kind, layer_class::unclassified);
}

TEST(Classify, TheReferenceRuleNamesThreeTypesOnly) {
  const auto e = engine(layer("a", "CaskConvolution", tensor("input", "1, 3, 8, 8"), tensor("t1", "1, 8, 8, 8"), conv_keys) +
                        ", " + layer("b", "PointWiseV2", tensor("t1", "1, 8, 8, 8"), tensor("t2", "1, 8, 8, 8")) +
                        ", " + layer("c", "kgen", tensor("t2", "1, 8, 8, 8"), tensor("output", "1, 512")));
  const auto layers = ds::classify_layers(e, ds::classification_rule::reference);
  EXPECT_EQ(layers[0].kind, layer_class::convolutional);
  EXPECT_EQ(layers[1].kind, layer_class::unclassified);
  EXPECT_EQ(layers[2].kind, layer_class::unclassified);
  EXPECT_EQ(ds::modelled_layer_names(e, ds::classification_rule::reference), std::unordered_set<std::string>{"a"});
  EXPECT_EQ(ds::modelled_layer_names(e).size(), 3u);
}

TEST(MemoryBoundFeatures, BytesAtEachTensorsOwnPrecision) {
  const auto e = engine(layer("add", "ElementWise",
                              tensor("input", "1, 16, 8, 8", "Channel major FP16 format where channel % 8 == 0") + ", " +
                                  tensor("other", "1, 16, 8, 8", "Row major linear FP32 format"),
                              tensor("output", "1, 16, 8, 8", "Row major linear Int8 format")),
                        R"(["input", "other", "output"])");
  EXPECT_EQ(features::features_of<features::memory_bound>(e.layers[0]),
            (std::array<double, 6>{1, 1024 * 2 + 1024 * 4, 1024, 2048, 1024, 2}));
  const auto unknown = engine(layer("cast", "Cast", tensor("input", "1, 4", "Mystery format"), tensor("output", "1, 4")));
  EXPECT_ERROR_MENTIONS(features::features_of<features::memory_bound>(unknown.layers[0]), "\"cast\"", "bytes_read",
                        "Mystery format");
}

// Every layer of the 13 real engines of the shared folder is classified; none is unknown.
TEST(Classify, EveryLayerOfTheRealEngines) {
  LAYERWATT_REQUIRE_SHARED();
  const auto shared = layerwatt::testing::shared_dir();
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(shared / "data" / "engine_info"))
    for (const auto& f : std::filesystem::directory_iterator(e.path())) files.push_back(f.path());
  for (const auto* net : {"alexnet", "mobilenet_v2", "resnet18"})
    files.push_back(layerwatt::testing::real_data(fmt::format("fuzzylabs_desktop_rtx3060_trt/trtexec_fp16/{0}/{0}_fp16.graph.json", net)));
  for (const auto* run : {"run_20241029_5000cycles", "run_20241030_5cycles"})
    files.push_back(layerwatt::testing::real_data(fmt::format("fuzzylabs_jetson_orin_nano_mobilenet_v2/{}/trt_engine_info.json", run)));
  ASSERT_EQ(files.size(), 13u);
  std::map<layer_class, std::size_t> counts;
  for (const auto& f : files) {
    const auto e = io::read_engine_info(f);
    for (const auto& c : ds::classify_layers(e)) {
      ++counts[c.kind];
      EXPECT_NE(c.kind, layer_class::unclassified) << f << ": " << c.layer->name;
      if (const auto kind = c.modelled())  // and every modelled layer has its features
        ds::with_layout(*kind, [&]<layerwatt::layer_kind K>(ds::training_layout<K>) {
          EXPECT_NO_THROW(features::features_of<typename ds::training_layout<K>::feature_columns>(c.features_layer()))
              << c.layer->name;
        });
    }
  }
  EXPECT_EQ(counts[layer_class::convolutional], 368u);
  EXPECT_EQ(counts[layer_class::dense], 21u);
  EXPECT_EQ(counts[layer_class::pooling], 27u);
  EXPECT_EQ(counts[layer_class::memory_bound], 138u);
  EXPECT_EQ(counts[layer_class::no_op], 214u);
}

}  // namespace classify_test
