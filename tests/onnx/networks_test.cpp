// The committed test models (tests/data/onnx, PyTorch 1.13's exports without weights): each
// reads whole, every layer classified; op_families holds every operation family; and the zoo's
// networks, built by the same network builder, agree with their ONNX exports.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layerwatt/dataset/classify.hpp"
#include "layerwatt/onnx/read_engine_info.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "modelled_layers.hpp"
#include "test_models.hpp"

namespace layerwatt::onnx {
namespace networks_test {

using dataset::layer_class;
using testing::count_of;
using testing::modelled_layers;

io::engine_info read(std::string_view name, const read_options& options = {}) {
  return read_engine_info(testing::test_model(name), options);
}

TEST(OnnxNetworks, EveryTestModelReadsWithEveryLayerClassified) {
  struct expectation {
    const char* name;
    std::size_t convolutional, pooling, dense;
  };
  // torchvision's layer counts, TensorRT's fusions: a convolution per Conv, the SE blocks' 1×1
  // convolutions on 1×1 tensors dense, AlexNet's adaptive pooling to its own size dropped.
  for (const auto& [name, convolutional, pooling, dense] :
       {expectation{"alexnet", 5, 3, 3}, {"resnet18", 20, 2, 1}, {"resnet50", 53, 2, 1}, {"vgg16", 13, 5, 3},
        {"mobilenet_v2", 52, 1, 1}, {"mobilenet_v3_small", 34, 10, 20}, {"shufflenet_v2_x1_0", 56, 2, 1},
        {"efficientnet_b0", 49, 17, 33}, {"googlenet", 57, 14, 1}}) {
    SCOPED_TRACE(name);
    const auto engine = read(name);
    EXPECT_EQ(count_of(engine, layer_class::convolutional), convolutional);
    EXPECT_EQ(count_of(engine, layer_class::pooling), pooling);
    EXPECT_EQ(count_of(engine, layer_class::dense), dense);
    EXPECT_EQ(count_of(engine, layer_class::unclassified), 0u);
    EXPECT_EQ(engine.bindings, (std::vector<std::string>{"input", "output"}));
    EXPECT_EQ(engine.layers.front().inputs.front().dimensions, (std::vector<std::int64_t>{1, 3, 224, 224}));
    EXPECT_EQ(engine.layers.back().outputs.front().dimensions, (std::vector<std::int64_t>{1, 1000}));
    std::set<std::string> names;
    for (const auto& l : engine.layers) EXPECT_TRUE(names.insert(l.name).second) << l.name;
  }
}

TEST(OnnxNetworks, OpFamiliesHoldsEveryFamilyTheFrontEndReads) {
  const auto engine = read("op_families");
  std::set<std::string> present;
  for (const auto& l : engine.layers) present.insert(l.layer_type);
  EXPECT_EQ(present, (std::set<std::string>{"CaskConvolution", "CaskDeconvolution", "CaskPooling", "CaskGemmConvolution",
                                          "gemm", "PointWiseV2", "ElementWise", "Scale", "Normalization", "Slice",
                                          "Gather", "Shuffle", "NoOp", "Reformat", "Padding", "Resize", "SoftMax",
                                          "Reduce"}));
  EXPECT_EQ(count_of(engine, layer_class::unclassified), 0u);
  EXPECT_EQ(engine.bindings, (std::vector<std::string>{"input", "output", "side"}));
  for (const auto& l : engine.layers)
    if (l.layer_type == "PointWiseV2" && l.extra.contains("Activation")) {
      const auto act = l.extra.at("Activation").get<std::string>();
      EXPECT_TRUE(act != "NONE") << l.name;
    }
}

TEST(OnnxNetworks, BatchAndPrecisionFollowTheOptions) {
  const auto engine = read("mobilenet_v2", {.precision = io::precision::fp32});
  for (const auto& l : engine.layers) EXPECT_EQ(l.inputs.front().precision(), io::precision::fp32) << l.name;
}

/// The zoo network and its ONNX export: the same convolution, pooling and dense layers.
void expect_zoo_agrees(std::string_view name, bool in_order) {
  SCOPED_TRACE(name);
  const auto ours = read(name), zoo = zoo::build(name);
  EXPECT_EQ(modelled_layers(ours, !in_order), modelled_layers(zoo, !in_order));
  EXPECT_EQ(count_of(ours, layer_class::memory_bound), count_of(zoo, layer_class::memory_bound));
}

/// Every layer's type, class and tensor shapes, in engine order: all but the names.
std::vector<std::string> layer_shapes(const io::engine_info& engine) {
  std::vector<std::string> out;
  for (const auto& c : dataset::classify_layers(engine)) {
    std::vector<std::vector<std::int64_t>> inputs;
    for (const auto& t : c.layer->inputs) inputs.push_back(t.dimensions);
    out.push_back(fmt::format("{} {} {} -> {}", c.layer->layer_type, dataset::to_string(c.kind), inputs,
                              c.layer->outputs.front().dimensions));
  }
  return out;
}

TEST(OnnxNetworks, TheZooAndTheOnnxExportsAgree) {
  for (const auto* name : {"alexnet", "vgg16", "mobilenet_v2", "mobilenet_v3_small", "shufflenet_v2_x1_0",
                           "efficientnet_b0"})
    expect_zoo_agrees(name, true);
  // Torch-TensorRT runs a ResNet block's projection shortcut before its last convolution, which
  // takes the add; the ONNX parser keeps the graph's order and fuses the add into the shortcut.
  for (const auto* name : {"resnet18", "resnet50"}) expect_zoo_agrees(name, false);
}

TEST(OnnxNetworks, EveryLayerOfShufflenetAndEfficientnetIsTheSameOnBothPaths) {
  // One rule for both: ShuffleNetV2's Slice per half, NoOp concatenation, NoOp views (after a
  // reformat of channel-major data) around a Shuffle; EfficientNet's SiLU and squeeze-and-
  // excitation layers; the same reformats.
  EXPECT_EQ(layer_shapes(read("shufflenet_v2_x1_0")), layer_shapes(zoo::build("shufflenet_v2_x1_0")));
  EXPECT_EQ(layer_shapes(read("efficientnet_b0")), layer_shapes(zoo::build("efficientnet_b0")));
}

}  // namespace networks_test
}  // namespace layerwatt::onnx
