// `layerwatt train --fit network` driven as a user drives it: network totals of zoo engines in,
// a network-level model directory out that `layerwatt predict` reads; and the errors on the way.

#include <gtest/gtest.h>

#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::temp_dir;

namespace network_training_test {

class NetworkTraining : public ::testing::Test {
 protected:
  lw::testing::process_result cli(std::vector<std::string> args) {
    args.insert(args.begin(), LAYERWATT_CLI);
    return lw::testing::run_process(std::move(args), dir.path());
  }

  // Six zoo engines and plausible measured totals (the fit's input, not its expected output).
  void make_training_dir(std::string_view bad_row = {}) {
    fs::create_directories(dir / "training");
    std::string csv = "network,engine_info,latency_ms,energy_total_mj,energy_above_idle_mj\n";
    for (const auto& [name, latency, energy] :
         {std::tuple{"lenet", 0.31, 1.6}, {"alexnet", 2.2, 14.0}, {"vgg11", 9.7, 71.0}, {"resnet18", 4.3, 30.5},
          {"mobilenet_v2", 3.1, 19.8}, {"vgg16", 15.4, 118.0}}) {
      ASSERT_EQ(cli({"zoo", name, "--out", (dir / "training" / (std::string(name) + ".json")).string()}).status, 0);
      csv += fmt::format("{},{}.json,{},{},{}\n", name, name, latency, energy, energy * 0.45);
    }
    csv += bad_row;
    lw::testing::write_text(dir / "training" / "network_totals.csv", csv);
  }

  lw::testing::process_result train(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"train", (dir / "training").string(), "--fit", "network", "--out",
                                  (dir / "models").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(std::move(args));
  }

  temp_dir dir;
};

TEST_F(NetworkTraining, WritesANetworkLevelModelDirectoryThatPredictReads) {
  make_training_dir();
  const auto trained = train({"--test-models", "vgg16", "--folds", "3"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  EXPECT_NE(trained.out.find("held-out MAPE %"), std::string::npos) << trained.out;
  EXPECT_TRUE(fs::exists(dir / "models" / "network.json"));
  EXPECT_FALSE(fs::exists(dir / "models" / "convolutional" / "power.json"));
  const auto metrics = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "metrics.json"));
  EXPECT_EQ(metrics["form"], "network");
  EXPECT_EQ(metrics["test_models"], nlohmann::json::array({"vgg16"}));
  for (const auto target : {"runtime", "energy"}) {
    const auto& per_network = metrics["targets"][target]["per_network"];
    ASSERT_EQ(per_network.size(), 6u) << target;
    for (const auto& n : per_network) EXPECT_GT(n["predicted"].get<double>(), 0) << n;
  }
  const auto predicted = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models",
                              (dir / "models").string(), "--out", (dir / "vgg16.csv").string()});
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  EXPECT_NE(predicted.out.find("Total energy"), std::string::npos) << predicted.out;
}

// A bad cell names the file, its line and column; the model directory is not even created.
TEST_F(NetworkTraining, ABadTotalsRowNamesFileLineAndColumnAndWritesNothing) {
  for (const auto& [row, expected] :
       {std::pair{"squeezenet,lenet.json,fast,1,1\n", "latency_ms"},
        {"squeezenet,lenet.json,1.0,-3,1\n", "energy_total_mj"},
        {"lenet,lenet.json,1.0,2,1\n", "listed twice"}}) {
    make_training_dir(row);
    const auto trained = train();
    EXPECT_EQ(trained.status, 1) << row;
    EXPECT_NE(trained.err.find("network_totals.csv:8"), std::string::npos) << trained.err;
    EXPECT_NE(trained.err.find(expected), std::string::npos) << trained.err;
    EXPECT_FALSE(fs::exists(dir / "models")) << row;
  }
}

TEST_F(NetworkTraining, AMissingEngineOrTotalsFileIsNamed) {
  make_training_dir("squeezenet,squeezenet.json,1.0,2,1\n");
  auto trained = train();
  EXPECT_EQ(trained.status, 1);
  EXPECT_NE(trained.err.find("squeezenet.json"), std::string::npos) << trained.err;
  fs::remove(dir / "training" / "network_totals.csv");
  trained = train();
  EXPECT_EQ(trained.status, 1);
  EXPECT_NE(trained.err.find("network_totals.csv: missing"), std::string::npos) << trained.err;
  EXPECT_FALSE(fs::exists(dir / "models"));
}

TEST_F(NetworkTraining, OptionsThatBelongToTheOtherFormAreUsageErrors) {
  make_training_dir();
  EXPECT_EQ(train({"--config", "c.json"}).status, 2);
  EXPECT_EQ(cli({"train", (dir / "training").string(), "--energy", "total", "--out", "m"}).status, 2);
  EXPECT_EQ(train({"--energy", "some"}).status, 2);
  EXPECT_EQ(cli({"train", (dir / "training").string(), "--fit", "graph", "--out", "m"}).status, 2);
}

}  // namespace network_training_test
