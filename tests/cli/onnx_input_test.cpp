// `inspect` and `predict` of an ONNX model through the `layerwatt` executable — or, in a build
// without ONNX, the error that says so.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/cli.hpp"
#include "support/temp_dir.hpp"
#include "support/training_fixture.hpp"

namespace onnx_input_test {

namespace fs = std::filesystem;
using layerwatt::testing::temp_dir;

const std::string resnet18_onnx = (fs::path(LAYERWATT_TEST_DATA) / "onnx" / "resnet18.onnx").string();

layerwatt::testing::process_result layerwatt_cli(std::vector<std::string> args, const temp_dir& dir) {
  return layerwatt::testing::run_cli(std::move(args), dir.path());
}

#if LAYERWATT_CLI_READS_ONNX

TEST(OnnxCli, InspectShowsTheLayersTensorRtWouldBuild) {
  temp_dir dir;
  const auto r = layerwatt_cli({"inspect", resnet18_onnx, "--wide"}, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("resnet18.onnx: 25 layers (20 convolutional, 2 pooling, 1 dense, 1 memory_bound, 1 no_op"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("/layer2/layer2.0/downsample/downsample.0/Conv + /layer2/layer2.0/Add + /layer2/layer2.0/relu_1/Relu"),
            std::string::npos);
  const auto int8 = layerwatt_cli({"inspect", resnet18_onnx, "--precision", "int8"}, dir);
  ASSERT_EQ(int8.status, 0) << int8.err;
  EXPECT_NE(int8.out.find("int8"), std::string::npos);
}

TEST(OnnxCli, PredictGivesTheTotals) {
  temp_dir dir;
  layerwatt::testing::write_model_dir(dir / "models");
  const auto r = layerwatt_cli({"predict", resnet18_onnx, "--models", (dir / "models").string(), "--json"}, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto totals = nlohmann::json::parse(r.out).at("totals");
  EXPECT_GT(totals.at("runtime_s").get<double>(), 0);
  EXPECT_GT(totals.at("energy_j").get<double>(), 0);
}

TEST(OnnxCli, BadModelsAndOptions) {
  temp_dir dir;
  layerwatt::testing::write_text(dir / "cut.onnx", layerwatt::testing::read_text(resnet18_onnx).substr(0, 3000));
  const auto cut = layerwatt_cli({"inspect", (dir / "cut.onnx").string()}, dir);
  EXPECT_EQ(cut.status, 1);
  EXPECT_NE(cut.err.find("cut.onnx"), std::string::npos) << cut.err;
  const auto shape = layerwatt_cli({"inspect", resnet18_onnx, "--input-shape", "image:1x3x224x224"}, dir);
  EXPECT_EQ(shape.status, 1);
  EXPECT_NE(shape.err.find("\"image\", which is not a data input"), std::string::npos) << shape.err;
  for (const std::vector<std::string>& usage :
       {std::vector<std::string>{"--precision", "fp8"}, {"--input-shape", "input:1x3"}, {"--unsupported", "ignore"},
        {"--input-shape", "input1x3"}}) {
    auto args = usage;
    args.insert(args.begin(), {"inspect", resnet18_onnx});
    EXPECT_EQ(layerwatt_cli(args, dir).status, usage[1] == "input:1x3" ? 1 : 2) << usage[0] << " " << usage[1];
  }
  // The ONNX options say nothing about an engine file, which carries its precision.
  layerwatt::testing::write_text(dir / "engine.json", R"({"Layers": []})");
  const auto json = layerwatt_cli({"inspect", (dir / "engine.json").string(), "--precision", "fp32"}, dir);
  EXPECT_EQ(json.status, 2);
  EXPECT_NE(json.err.find("apply to ONNX models"), std::string::npos) << json.err;
}

#else

TEST(OnnxCli, ABuildWithoutOnnxSaysSo) {
  temp_dir dir;
  const auto r = layerwatt_cli({"inspect", resnet18_onnx}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("built without the ONNX front end"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("libonnx-dev"), std::string::npos) << r.err;
}

#endif

}  // namespace onnx_input_test
