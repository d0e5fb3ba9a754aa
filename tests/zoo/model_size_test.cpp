#include "layerwatt/zoo/model_size.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"

namespace layerwatt::zoo {
namespace model_size_test {

TEST(ModelSize, EachModuleCountsAsTorchinfoCountsIt) {
  network_builder b("net", 2, {4, 10, 10}, io::precision::fp16);
  // A 3×3 convolution 4 → 8 before a batch norm: 4·8·9 = 288 weights and no bias, on 2·10·10
  // positions; the batch norm's 2·8 parameters once per sample.
  tensor x = b.conv(b.input(), "/c", {.out_channels = 8, .kernel = 3, .padding = 1});
  EXPECT_EQ(b.size(), (model_size{288 + 16, 288 * 200 + 16 * 2}));
  // A depthwise 3×3 without bias or batch norm (a separable convolution's): 8·9 weights.
  x = b.conv(x, "/dw", {.out_channels = 8, .kernel = 3, .padding = 1, .groups = 8, .batch_norm = false,
                        .bias = false, .act = activation::none});
  // A 1×1 convolution 8 → 6 with a bias: 48 + 6.
  x = b.conv(x, "/pw", {.out_channels = 6, .batch_norm = false});
  EXPECT_EQ(b.size(), (model_size{304 + 72 + 54, 57632 + 72 * 200 + 54 * 200}));
  // A 2×2/2 transposed convolution 6 → 4 with a bias: 6·4·4 + 4 = 100, counted on the 2·20·20
  // output positions — k_h·k_w times the 96·2·10·10 multiply-adds it runs, as torchinfo does.
  x = b.deconv(x, "/up", {.out_channels = 4, .kernel = 2, .stride = 2, .batch_norm = false, .act = activation::none});
  EXPECT_EQ(x.dims, (std::vector<std::int64_t>{2, 4, 20, 20}));
  const model_size before_head = b.size();
  EXPECT_EQ(before_head, (model_size{430 + 100, 82832 + 100 * 800}));
  // Layer norm: 2·4, once per sample. A layer scale: 4 parameters, no MACs (torchinfo counts only
  // the modules that compute). Pooling, activations and products count nothing.
  x = b.layer_norm(x, "/ln");
  x = b.add(x, x, "/scaled", true);
  x = b.pointwise(b.adaptive_avg_pool(x, "/pool", 1, 1), "/act", activation::gelu);
  // A linear layer 4 → 3: 12 + 3 on the 2 rows; a per-position one 4 → 5 on 2·20·20 rows.
  const tensor per_position = b.channel_linear(b.add(b.input(), b.input(), "/sum"), "/mlp", 5);
  EXPECT_EQ(per_position.dims, (std::vector<std::int64_t>{2, 5, 10, 10}));
  x = b.linear(b.flatten(x, "/flat"), "/fc", 3, activation::none);
  const model_size head = {8 + 4 + 15 + 25, 8 * 2 + 15 * 2 + 25 * 200};
  EXPECT_EQ(b.size(), (model_size{before_head.parameters + head.parameters, before_head.macs + head.macs}));
}

TEST(ModelSize, UNetFromItsDefinitionLayerByLayer) {
  // milesial's U-Net at 1×3×224×224, module by module: a DoubleConv a → b at s×s is two 3×3
  // convolutions without bias (9ab + 9b² weights, each counted at s² positions) and two batch
  // norms (2b + 2b); an Up step's transposed convolution c → c/2 (2×2, with bias) is counted at
  // its output, twice the input's size.
  const auto double_conv = [](std::int64_t a, std::int64_t c, std::int64_t s) {
    return model_size{9 * a * c + 9 * c * c + 4 * c, (9 * a * c + 9 * c * c) * s * s + 4 * c};
  };
  const auto up = [](std::int64_t c, std::int64_t s_out) {
    const std::int64_t params = c * (c / 2) * 4 + c / 2;
    return model_size{params, params * s_out * s_out};
  };
  model_size expected = double_conv(3, 64, 224);
  expected += double_conv(64, 128, 112);
  expected += double_conv(128, 256, 56);
  expected += double_conv(256, 512, 28);
  expected += double_conv(512, 1024, 14);
  expected += up(1024, 28);
  expected += double_conv(1024, 512, 28);
  expected += up(512, 56);
  expected += double_conv(512, 256, 56);
  expected += up(256, 112);
  expected += double_conv(256, 128, 112);
  expected += up(128, 224);
  expected += double_conv(128, 64, 224);
  expected += model_size{64 * 2 + 2, (64 * 2 + 2) * 224 * 224};  // OutConv: 1×1 with bias
  EXPECT_EQ(expected, (model_size{31'037'698, 41'820'001'792}));
  EXPECT_EQ(size_of("unet"), expected);
}

TEST(ModelSize, EveryNetworkAsTorchinfoCountsItsDefinition) {
  // tests/zoo/torchinfo_counts.py: torchinfo's rule applied to torchvision 0.14's modules (and to
  // the script's transcriptions of timm's legacy Xception, milesial's U-Net and the reference's
  // LeNet), independently of the builder.
  struct expectation {
    const char* name;
    std::int64_t batch;
    input_shape input;
    model_size size;
  };
  constexpr input_shape imagenet{3, 224, 224};
  for (const auto& [name, batch, input, size] : {
           expectation{"alexnet", 1, imagenet, {61'100'840, 714'682'664}},
           {"vgg11", 1, imagenet, {132'863'336, 7'616'525'288}},
           {"vgg13", 1, imagenet, {133'047'848, 11'320'718'312}},
           {"vgg16", 1, imagenet, {138'357'544, 15'483'821'032}},
           {"vgg19", 1, imagenet, {143'667'240, 19'646'923'752}},
           {"mobilenet_v2", 1, imagenet, {3'504'872, 300'809'384}},
           {"mobilenet_v3_small", 1, imagenet, {2'542'856, 56'527'424}},
           {"mobilenet_v3_large", 1, imagenet, {5'483'032, 216'621'520}},
           {"resnet18", 1, imagenet, {11'689'512, 1'814'083'944}},
           {"resnet34", 1, imagenet, {21'797'672, 3'663'779'432}},
           {"resnet50", 1, imagenet, {25'557'032, 4'089'238'376}},
           {"resnet101", 1, imagenet, {44'549'160, 7'801'511'784}},
           {"resnet152", 1, imagenet, {60'192'808, 11'513'779'048}},
           {"lenet", 1, {1, 32, 32}, {99'982, 4'349'966}},
           {"resnext50_32x4d", 1, imagenet, {25'028'904, 4'230'549'096}},
           {"resnext101_32x8d", 1, imagenet, {88'791'336, 16'414'219'368}},
           {"resnext101_64x4d", 1, imagenet, {83'455'272, 15'460'473'960}},
           {"convnext_tiny", 1, imagenet, {28'589'128, 4'468'983'208}},
           {"convnext_small", 1, imagenet, {50'223'688, 8'705'306'536}},
           {"convnext_base", 1, imagenet, {88'591'464, 15'383'521'512}},
           {"shufflenet_v2_x1_0", 1, imagenet, {2'278'604, 144'925'172}},
           {"shufflenet_v2_x1_0", 2, {3, 193, 161}, {2'278'604, 217'206'776}},
           {"efficientnet_b0", 1, imagenet, {5'288'548, 385'867'108}},
           {"efficientnet_b4", 1, imagenet, {19'341'616, 1'503'865'672}},
           {"efficientnet_b4", 1, {3, 380, 380}, {19'341'616, 4'393'926'264}},
           {"efficientnet_v2_m", 1, imagenet, {54'139'356, 5'362'568'052}},
           {"efficientnet_v2_m", 1, {3, 480, 480}, {54'139'356, 24'582'821'236}},
           {"xception", 1, imagenet, {22'855'952, 4'552'934'600}},
           {"xception", 1, {3, 299, 299}, {22'855'952, 8'357'459'024}},
           {"unet", 1, imagenet, {31'037'698, 41'820'001'792}},
           {"unet", 2, {3, 161, 203}, {31'037'698, 53'447'526'956}},
       }) {
    const model_size actual = size_of(name, {.batch = batch, .input = input});
    EXPECT_EQ(actual.parameters, size.parameters) << name;
    EXPECT_EQ(actual.macs, size.macs) << name << " " << input.height << "x" << input.width;
  }
}

TEST(ModelSize, PrecisionDoesNotChangeTheCounts) {
  EXPECT_EQ(size_of("xception", {.precision = io::precision::fp32}), size_of("xception"));
}

}  // namespace model_size_test
}  // namespace layerwatt::zoo
