// `layerwatt train --fit network` driven as a user drives it: network totals of zoo engines in,
// a network-level model directory out that `layerwatt predict` reads; and the errors on the way.

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/io/csv_table.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::temp_dir;

namespace network_training_test {

class NetworkTraining : public ::testing::Test {
 protected:
  lw::testing::process_result cli(std::vector<std::string> args) {
    return lw::testing::run_cli(std::move(args), dir.path());
  }

  // Six zoo engines and plausible measured totals (the fit's input, not its expected output);
  // their energies left empty without `with_energy`, written times `energy_scale` with it.
  void make_training_dir(std::string_view bad_row = {}, bool with_energy = true, double energy_scale = 1) {
    fs::create_directories(dir / "training");
    std::string csv = "network,engine_info,latency_ms,energy_total_mj,energy_above_idle_mj\n";
    for (const auto& [name, latency, energy_mj] :
         {std::tuple{"lenet", 0.31, 1.6}, {"alexnet", 2.2, 14.0}, {"vgg11", 9.7, 71.0}, {"resnet18", 4.3, 30.5},
          {"mobilenet_v2", 3.1, 19.8}, {"vgg16", 15.4, 118.0}}) {
      ASSERT_EQ(cli({"zoo", name, "--out", (dir / "training" / (std::string(name) + ".json")).string()}).status, 0);
      csv += with_energy ? fmt::format("{},{}.json,{},{},{}\n", name, name, latency, energy_mj * energy_scale,
                                       energy_mj * energy_scale * 0.45)
                    : fmt::format("{},{}.json,{},,\n", name, name, latency);
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
    EXPECT_EQ(metrics["targets"][target]["unit"], target == std::string_view("runtime") ? "ms" : "mJ");
    const auto& per_network = metrics["targets"][target]["per_network"];
    ASSERT_EQ(per_network.size(), 6u) << target;
    for (const auto& n : per_network) EXPECT_GT(n["predicted"].get<double>(), 0) << n;
  }
  const auto predicted = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models",
                              (dir / "models").string(), "--out", (dir / "vgg16.csv").string()});
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  EXPECT_NE(predicted.out.find("J (idle included)"), std::string::npos) << predicted.out;
  // Models of the energy above idle say so, in the table and in --json.
  ASSERT_EQ(train({"--energy", "above-idle", "--folds", "3"}).status, 0);
  const auto above = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models", (dir / "models").string()});
  EXPECT_NE(above.out.find("J (above idle)"), std::string::npos) << above.out;
  const auto json = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models", (dir / "models").string(),
                         "--json"});
  ASSERT_EQ(json.status, 0) << json.err;
  const auto prediction = nlohmann::json::parse(json.out);
  EXPECT_EQ(prediction["totals"]["energy_measure"], "above_idle");
  // Flagged from the start: only a layer whose energy takes no time (six networks give the
  // classifiers an energy and no runtime); its power is none, not 0.
  std::size_t timeless = 0;
  for (const auto& l : prediction["layers"])
    if (l["runtime_prediction"] == 0.0 && l["power_prediction"].is_null()) {
      EXPECT_TRUE(l["power_above_measured"].get<bool>()) << l;
      ++timeless;
    } else {
      EXPECT_FALSE(l["power_above_measured"].get<bool>()) << l;
    }
  EXPECT_EQ(prediction["power_above_measured_layers"], timeless) << prediction;

  // network.json records the highest power per inference measured; a layer predicted at more
  // than twice it is flagged in the table, --json and a warning (here: a record 100× too low).
  auto constants = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "network.json"));
  const double highest = constants["max_measured_power_w"].get<double>();
  EXPECT_NEAR(highest, 118.0 * 0.45 / 15.4, 1e-9);  // vgg16's energy above idle over its latency
  constants["max_measured_power_w"] = highest / 100;
  lw::testing::write_text(dir / "models" / "network.json", constants.dump());
  const auto flagged = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models",
                            (dir / "models").string(), "--out", (dir / "flagged.csv").string()});
  ASSERT_EQ(flagged.status, 0) << flagged.err;
  EXPECT_NE(flagged.out.find("convolutional    3."), std::string::npos) << flagged.out;
  EXPECT_NE(flagged.out.find("power above measured"), std::string::npos) << flagged.out;
  EXPECT_NE(flagged.err.find("twice the highest power per inference measured in training"), std::string::npos)
      << flagged.err;
  const auto flags = lw::io::read_csv_table(dir / "flagged.csv").texts("power_above_measured");
  const auto flagged_json = nlohmann::json::parse(
      cli({"predict", (dir / "training" / "vgg16.json").string(), "--models", (dir / "models").string(), "--json"}).out);
  EXPECT_NEAR(flagged_json["power_bound_w"].get<double>(), 2 * highest / 100, 1e-9);
  std::size_t flagged_layers = 0;
  ASSERT_EQ(flags.size(), flagged_json["layers"].size());
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const bool is_above = flagged_json["layers"][i]["power_above_measured"].get<bool>();
    EXPECT_EQ(flags[i], is_above ? "1" : "0") << i;
    flagged_layers += is_above;
  }
  EXPECT_GT(flagged_layers, timeless);
  EXPECT_EQ(flagged_json["power_above_measured_layers"], flagged_layers);
  EXPECT_NE(flagged.out.find(fmt::format("{} power above measured);", flagged_layers)), std::string::npos)
      << flagged.out;
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

// A layer's measured runtime of 0 or below, or more than twice its whole network's latency (the
// totals in s, the layers in ms, say), names the layer file and line; nothing is written.
TEST_F(NetworkTraining, ABadLayerRuntimeNamesItsFileAndLine) {
  make_training_dir();  // alexnet: 2.2 ms
  fs::create_directories(dir / "training" / "alexnet");
  for (const auto& [runtime, expected] :
       {std::pair{"-0.1", "expected a runtime in ms above 0 and at most 3600000 (an hour) in column \"runtime\", got -0.1"},
        {"4.5", "a layer's runtime of 4.5 ms, more than twice network \"alexnet\"'s whole latency of 2.2 ms"}}) {
    lw::testing::write_text(
        dir / "training" / "alexnet" / "convolutional.csv",
        fmt::format("batch_size,input_size_0,input_size_1,input_size_2,output_size_0,output_size_1,output_size_2,"
                    "kernel_0,kernel_1,padding_0,padding_1,stride_0,stride_1,power,runtime,layer_name,groups,dilation_0,"
                    "dilation_1,precision\n"
                    "1,64,27,27,192,27,27,5,5,2,2,1,1,,0.1,conv1,1,1,1,fp32\n"
                    "1,3,224,224,64,55,55,11,11,2,2,4,4,,{},conv0,1,1,1,fp32\n",
                    runtime));
    const auto trained = train();
    EXPECT_EQ(trained.status, 1) << runtime;
    EXPECT_NE(trained.err.find("convolutional.csv:3: "), std::string::npos) << trained.err;
    EXPECT_NE(trained.err.find(expected), std::string::npos) << trained.err;
    EXPECT_FALSE(fs::exists(dir / "models")) << runtime;
  }
}

// A layer that lacks what its kind's features need is named with its engine file, as predict names it.
TEST_F(NetworkTraining, ALayerLackingAFeaturesInputNamesItsEngine) {
  make_training_dir();
  const auto engine = dir / "training" / "alexnet.json";
  auto info = nlohmann::json::parse(lw::testing::read_text(engine));
  auto& layers = info["Layers"];
  const auto conv = std::find_if(layers.begin(), layers.end(), [](const auto& l) { return l.contains("Kernel"); });
  ASSERT_NE(conv, layers.end());
  conv->erase("Kernel");
  lw::testing::write_text(engine, info.dump());
  for (const std::vector<std::string>& held_out : {std::vector<std::string>{}, {"--test-models", "alexnet"}}) {
    const auto trained = train(held_out);  // fitted on, or only predicted after the fit
    EXPECT_EQ(trained.status, 1);
    for (const auto says : {"alexnet.json: layer", "needs \"Kernel\""})
      EXPECT_NE(trained.err.find(says), std::string::npos) << trained.err;
    EXPECT_FALSE(fs::exists(dir / "models"));
  }
}

// A latency in µs under the ms column leaves the measured layers a thousandth of it: warned
// about (here alexnet's two profiled layers make 0.01 of its 2.2 ms). A layer's power, which
// the fit does not use, is warned about too.
TEST_F(NetworkTraining, LayersFarShorterThanTheirNetworkAndUnusedPowersAreWarnedAbout) {
  make_training_dir();
  fs::create_directories(dir / "training" / "alexnet");
  lw::testing::write_text(
      dir / "training" / "alexnet" / "convolutional.csv",
      "batch_size,input_size_0,input_size_1,input_size_2,output_size_0,output_size_1,output_size_2,kernel_0,kernel_1,"
      "padding_0,padding_1,stride_0,stride_1,power,runtime,layer_name,groups,dilation_0,dilation_1,precision\n"
      "1,64,27,27,192,27,27,5,5,2,2,1,1,6.1,0.004,conv1,1,1,1,fp32\n"
      "1,3,224,224,64,55,55,11,11,2,2,4,4,,0.006,conv0,1,1,1,fp32\n");
  const auto trained = train({"--folds", "3"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  const std::string unused_power = (dir / "training").string() +
                                   ": the power of 1 layer row(s) is not used: network-level training learns from "
                                   "the networks' totals and the layers' runtimes alone";
  EXPECT_NE(trained.err.find(unused_power),
            std::string::npos)
      << trained.err;
  EXPECT_NE(trained.err.find("network_totals.csv: 1 network(s) have measured layers that take less than 1 % of their "
                             "latency: are both in ms, the latency here (not µs) and the layers' runtimes in their folders' "
                             "<kind>.csv (not s)? line 3: alexnet (0.01 of 2.2 ms)"),
            std::string::npos)
      << trained.err;
}

TEST_F(NetworkTraining, AMissingEngineOrTotalsFileIsNamed) {
  make_training_dir("squeezenet,squeezenet.json,1.0,2,1\n");
  auto trained = train();
  EXPECT_EQ(trained.status, 1);
  EXPECT_NE(trained.err.find("network_totals.csv:8: network \"squeezenet\": its engine file"), std::string::npos)
      << trained.err;
  EXPECT_NE(trained.err.find("squeezenet.json: missing"), std::string::npos) << trained.err;
  fs::create_directories(dir / "training" / "squeezenet.json");
  trained = train();
  EXPECT_NE(trained.err.find("squeezenet.json: not a file"), std::string::npos) << trained.err;
  fs::remove(dir / "training" / "squeezenet.json");
  make_training_dir();
  fs::create_directories(dir / "training" / "alexnet" / "convolutional.csv");  // a folder where a layer file goes
  trained = train();
  EXPECT_EQ(trained.status, 1);
  EXPECT_NE(trained.err.find("convolutional.csv: not a file; expected a training CSV"), std::string::npos)
      << trained.err;
  fs::remove(dir / "training" / "network_totals.csv");
  fs::create_directories(dir / "training" / "network_totals.csv");
  trained = train();
  EXPECT_NE(trained.err.find("network_totals.csv: not a file"), std::string::npos) << trained.err;
  fs::remove(dir / "training" / "network_totals.csv");
  trained = train();
  EXPECT_EQ(trained.status, 1);
  EXPECT_NE(trained.err.find("network_totals.csv: missing"), std::string::npos) << trained.err;
  EXPECT_FALSE(fs::exists(dir / "models"));
}

// Energies in µJ under the mJ column: lenet's 1.6 mJ in 0.31 ms reads 5 kW, no board's; train
// names the line and the unit to check before fitting, and writes nothing (the fit's own static
// power check, for library callers, is network_fit_test's).
TEST_F(NetworkTraining, EnergiesInAnotherUnitAreNamedAndWriteNothing) {
  make_training_dir({}, /*with_energy=*/true, /*energy_scale=*/1000);
  const auto trained = train();
  EXPECT_EQ(trained.status, 1);
  for (const auto says : {"network_totals.csv:2: network \"lenet\"", "W per inference",
                          "are the energies in mJ (not µJ)"})
    EXPECT_NE(trained.err.find(says), std::string::npos) << trained.err;
  EXPECT_FALSE(fs::exists(dir / "models"));
}

// Energies in J under the mJ column fit a static power a thousandth of a device's: no model
// check can tell, the data can (a median of 6 mW per inference), and train warns.
TEST_F(NetworkTraining, EnergiesInJoulesAreWarnedAbout) {
  make_training_dir({}, /*with_energy=*/true, /*energy_scale=*/1e-3);
  const auto trained = train({"--folds", "3"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  for (const auto says : {"median power per inference", "are the energies in mJ"})
    EXPECT_NE(trained.err.find(says), std::string::npos) << trained.err;
  make_training_dir({}, /*with_energy=*/true, /*energy_scale=*/8e-3);  // a 50 W board's in J: a median of 54 mW
  EXPECT_NE(train({"--folds", "3"}).err.find("median power per inference"), std::string::npos);
  make_training_dir();
  EXPECT_EQ(train({"--folds", "3"}).err.find("median power per inference"), std::string::npos);
}

// Totals without energy train runtime models only, and say so; predict then gives no energy
// (not 0 J), and --strict makes the missing energy a failure.
TEST_F(NetworkTraining, WithoutEnergyTheFitSaysSoAndPredictGivesNone) {
  make_training_dir({}, /*with_energy=*/false);
  auto trained = train({"--folds", "3"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  EXPECT_NE(trained.err.find("energy is not fitted"), std::string::npos) << trained.err;
  EXPECT_FALSE(fs::exists(dir / "models" / "convolutional" / "energy.json"));
  const auto constants = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "network.json"));
  EXPECT_TRUE(constants["energy"].is_null()) << constants;  // no energy learnt, so none named
  EXPECT_TRUE(nlohmann::json::parse(lw::testing::read_text(dir / "models" / "metrics.json"))["energy"].is_null());
  const auto predicted = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models",
                              (dir / "models").string(), "--json"});
  ASSERT_EQ(predicted.status, 0) << predicted.err;
  const auto prediction = nlohmann::json::parse(predicted.out);
  const auto& totals = prediction["totals"];
  EXPECT_TRUE(totals["energy_j"].is_null()) << totals;
  EXPECT_TRUE(totals["average_power_w"].is_null()) << totals;
  EXPECT_TRUE(totals["energy_measure"].is_null()) << totals;
  EXPECT_GT(totals["runtime_s"].get<double>(), 0) << totals;
  for (const auto& [kind, k] : prediction["kinds"].items()) EXPECT_TRUE(k["energy_j"].is_null()) << kind;
  const auto table = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models", (dir / "models").string()});
  EXPECT_NE(table.out.find("not predicted"), std::string::npos) << table.out;
  trained = train({"--folds", "3", "--strict"});
  EXPECT_EQ(trained.status, 1) << trained.err;
  EXPECT_NE(trained.err.find("energy not fitted (--strict)"), std::string::npos) << trained.err;
}

// A model directory is one fit's: predict refuses one left incomplete, and per-layer models
// written over network-level ones replace them whole.
TEST_F(NetworkTraining, AnIncompleteOrMixedModelDirectoryIsNamed) {
  make_training_dir();
  ASSERT_EQ(train({"--folds", "3"}).status, 0);
  const auto engine = (dir / "training" / "vgg16.json").string(), models = (dir / "models").string();
  const auto refused = [&](std::string_view says) {
    const auto r = cli({"predict", engine, "--models", models});
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  };
  fs::rename(dir / "models" / "network.json", dir / "network.json");
  refused("network.json is missing");
  fs::rename(dir / "network.json", dir / "models" / "network.json");
  fs::rename(dir / "models" / "dense" / "runtime.json", dir / "runtime.json");
  refused("dense/runtime.json: missing, though");
  fs::rename(dir / "runtime.json", dir / "models" / "dense" / "runtime.json");
  // A deleted energy model is told from a kind measured only without energy: network.json lists it.
  fs::rename(dir / "models" / "convolutional" / "energy.json", dir / "energy.json");
  refused("convolutional/energy.json: missing, though");
  fs::rename(dir / "energy.json", dir / "models" / "convolutional" / "energy.json");
  const auto constants = lw::testing::read_text(dir / "models" / "network.json");
  auto edited = nlohmann::json::parse(constants);
  edited["energy_constant_mj"] = nullptr;
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  refused("network.json: at /energy: expected null");
  edited["energy"] = nullptr;
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  refused("network.json: at /max_measured_power_w: expected null");
  edited["max_measured_power_w"] = nullptr;
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  refused("network.json: at /models/convolutional: expected \"runtime\" alone (energy_constant_mj is null");
  edited = nlohmann::json::parse(constants);
  edited["models"]["convolutional"] = nlohmann::json::array({"runtime"});
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  refused("convolutional/energy.json: not among the models");
  edited = nlohmann::json::parse(constants);
  edited["models"].erase("dense");
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  refused("dense/runtime.json: not among the models");
  // A kind the fit gave a runtime model alone (seen only in networks measured without energy)
  // is whole: its energy is not predicted, the other kinds' is.
  edited = nlohmann::json::parse(constants);
  edited["models"]["dense"] = nlohmann::json::array({"runtime"});
  lw::testing::write_text(dir / "models" / "network.json", edited.dump());
  fs::rename(dir / "models" / "dense" / "energy.json", dir / "energy.json");
  const auto runtime_only = cli({"predict", engine, "--models", models, "--json"});
  ASSERT_EQ(runtime_only.status, 0) << runtime_only.err;
  const auto kinds = nlohmann::json::parse(runtime_only.out)["kinds"];
  EXPECT_TRUE(kinds["dense"]["energy_j"].is_null()) << kinds;
  EXPECT_GT(kinds["convolutional"]["energy_j"].get<double>(), 0) << kinds;
  fs::rename(dir / "energy.json", dir / "models" / "dense" / "energy.json");
  lw::testing::write_text(dir / "models" / "network.json", constants);

  // Per-layer training into the same directory: no network-level file stays behind.
  ASSERT_EQ(cli({"simulate", "--out", (dir / "raw").string(), "--models", "lenet,alexnet,vgg11,resnet18", "--cycles",
                 "40", "--period-us", "200", "--jobs", "1"})
                .status,
            0);
  ASSERT_EQ(cli({"dataset", (dir / "raw").string(), "--out", (dir / "layers").string(), "--attribution", "interpolated"})
                .status,
            0);
  const auto per_layer = cli({"train", (dir / "layers").string(), "--out", models, "--test-models", "lenet", "--folds", "3"});
  ASSERT_EQ(per_layer.status, 0) << per_layer.err;
  EXPECT_FALSE(fs::exists(dir / "models" / "network.json"));
  EXPECT_FALSE(fs::exists(dir / "models" / "convolutional" / "energy.json"));
  const auto predicted = cli({"predict", engine, "--models", models});
  EXPECT_EQ(predicted.status, 0) << predicted.err;
}

// network_totals.csv is the training set: a folder of layer rows it does not list is named and
// left out; a wrong directory or --out is named before any work.
TEST_F(NetworkTraining, WhatIsNotTheTrainingSetIsNamed) {
  make_training_dir();
  lw::testing::write_text(dir / "training" / "unlisted" / "dense.csv",
                          "batch_size,input_size,output_size,power,runtime,layer_name,precision\n1,512,10,,0.02,fc,fp32\n");
  const auto trained = train({"--folds", "3"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  EXPECT_NE(trained.err.find("1 folder(s) with layer rows are not in"), std::string::npos) << trained.err;
  EXPECT_NE(trained.err.find("unlisted"), std::string::npos) << trained.err;
  EXPECT_NE(trained.out.find("6 networks (0 held out), 0 measured layers"), std::string::npos) << trained.out;

  const auto nowhere = cli({"train", (dir / "nowhere").string(), "--fit", "network", "--out", (dir / "m").string()});
  EXPECT_EQ(nowhere.status, 1);
  EXPECT_NE(nowhere.err.find("nowhere: no such directory; expected a training directory"), std::string::npos) << nowhere.err;
  lw::testing::write_text(dir / "a-file", "");
  const auto into_file = cli({"train", (dir / "training").string(), "--fit", "network", "--out", (dir / "a-file").string()});
  EXPECT_EQ(into_file.status, 2);
  EXPECT_NE(into_file.err.find("a-file: not a directory; expected a model directory"), std::string::npos) << into_file.err;
  const auto csv_dir = cli({"predict", (dir / "training" / "vgg16.json").string(), "--models",
                            (dir / "models").string(), "--out", dir.path().string()});
  EXPECT_EQ(csv_dir.status, 2);
  EXPECT_NE(csv_dir.err.find("a directory; expected the CSV file"), std::string::npos) << csv_dir.err;
}

// Each model file lists its training layers' precisions; an engine of another precision is
// priced as an extrapolation, layer by layer ("precision"), not as if it were the trained one.
TEST_F(NetworkTraining, AnEngineOfAPrecisionNoTrainingLayerHadIsExtrapolated) {
  make_training_dir();  // the zoo's engines are FP16
  ASSERT_EQ(train({"--folds", "3"}).status, 0);
  for (const auto* kind : {"convolutional", "dense"}) {
    const auto file = nlohmann::json::parse(lw::testing::read_text(dir / "models" / kind / "runtime.json"));
    EXPECT_EQ(file["training_precisions"], nlohmann::json::array({"fp16"})) << kind;
  }
  const auto extrapolated_in_precision = [&](const fs::path& engine) {
    const auto p = cli({"predict", engine.string(), "--models", (dir / "models").string(), "--json"});
    EXPECT_EQ(p.status, 0) << p.err;
    std::size_t n = 0, layers = 0;
    const auto prediction = nlohmann::json::parse(p.out);
    for (const auto& l : prediction["layers"]) {
      ++layers;
      const auto& named = l["extrapolated"];
      n += std::find(named.begin(), named.end(), "precision") != named.end();
    }
    return std::pair{n, layers};
  };
  EXPECT_EQ(extrapolated_in_precision(dir / "training" / "vgg16.json").first, 0u);
  ASSERT_EQ(cli({"zoo", "vgg16", "--precision", "fp32", "--out", (dir / "vgg16_fp32.json").string()}).status, 0);
  const auto [fp32, layers] = extrapolated_in_precision(dir / "vgg16_fp32.json");
  EXPECT_GT(layers, 0u);
  EXPECT_EQ(fp32, layers);
  const auto warned = cli({"predict", (dir / "vgg16_fp32.json").string(), "--models", (dir / "models").string()});
  EXPECT_NE(warned.err.find(fmt::format("; {} of a precision no training layer had)", layers)), std::string::npos)
      << warned.err;
}

// The per-inference constant is in no layer: the kinds table gives it a row and --json a field,
// so that what is listed adds up to the totals.
TEST_F(NetworkTraining, PredictShowsThePerInferenceConstantSoTheKindsAddUpToTheTotals) {
  make_training_dir();
  ASSERT_EQ(train({"--folds", "3"}).status, 0);
  const auto engine = (dir / "training" / "resnet18.json").string();
  const auto json = cli({"predict", engine, "--models", (dir / "models").string(), "--json"});
  ASSERT_EQ(json.status, 0) << json.err;
  const auto p = nlohmann::json::parse(json.out);
  const auto& constant = p["per_inference_constant"];
  const auto constants = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "network.json"));
  EXPECT_DOUBLE_EQ(constant["runtime_s"].get<double>(), constants["runtime_constant_ms"].get<double>() / 1000);
  double runtime_s = constant["runtime_s"].get<double>(), energy_j = constant["energy_j"].get<double>();
  for (const auto& [kind, k] : p["kinds"].items()) {
    runtime_s += k["runtime_s"].get<double>();
    if (!k["energy_j"].is_null()) energy_j += k["energy_j"].get<double>();
  }
  EXPECT_NEAR(runtime_s, p["totals"]["runtime_s"].get<double>(), 1e-12);
  EXPECT_NEAR(energy_j, p["totals"]["energy_j"].get<double>(), 1e-12);
  const auto table = cli({"predict", engine, "--models", (dir / "models").string()});
  ASSERT_EQ(table.status, 0) << table.err;
  const auto row = table.out.find("\nper inference ");
  ASSERT_NE(row, std::string::npos) << table.out;
  const auto line = table.out.substr(row + 1, table.out.find('\n', row + 1) - row - 1);
  EXPECT_NE(line.find(fmt::format(" {:.4f} ", constant["runtime_s"].get<double>() * 1e3)), std::string::npos) << line;
}

TEST_F(NetworkTraining, HoldingOutEveryNetworkIsAUsageError) {
  make_training_dir();
  const auto all = train({"--test-models", "lenet,alexnet,vgg11,resnet18,mobilenet_v2,vgg16"});
  EXPECT_EQ(all.status, 2);
  EXPECT_NE(all.err.find("--test-models holds out every network of"), std::string::npos) << all.err;
  EXPECT_FALSE(fs::exists(dir / "models"));
}

// A per-layer fit of a folder with network totals reads the layer rows only: train says so.
TEST_F(NetworkTraining, APerLayerFitOfAFolderWithNetworkTotalsPointsToTheNetworkFit) {
  make_training_dir();
  lw::testing::write_text(dir / "training" / "alexnet" / "dense.csv",
                          "batch_size,input_size,output_size,power,runtime,layer_name,precision\n"
                          "1,9216,4096,,0.2,fc6,fp16\n1,4096,4096,,0.1,fc7,fp16\n1,4096,1000,,0.03,fc8,fp16\n");
  const auto per_layer = cli({"train", (dir / "training").string(), "--out", (dir / "models").string()});
  EXPECT_EQ(per_layer.status, 0) << per_layer.err;
  const std::string_view hint = "network_totals.csv is here: this per-layer fit reads the layer rows only; --fit network";
  EXPECT_NE(per_layer.err.find(hint), std::string::npos) << per_layer.err;
  const auto chosen = cli({"train", (dir / "training").string(), "--fit", "layers", "--out", (dir / "m2").string()});
  EXPECT_EQ(chosen.status, 0) << chosen.err;
  EXPECT_EQ(chosen.err.find(hint), std::string::npos) << chosen.err;  // the user chose it
}

TEST_F(NetworkTraining, OptionsThatBelongToTheOtherFormAreUsageErrors) {
  make_training_dir();
  const auto usage_error = [](const lw::testing::process_result& r, std::string_view says) {
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  };
  usage_error(train({"--config", "c.json"}), "--config configures per-layer presets");
  usage_error(cli({"train", (dir / "training").string(), "--energy", "total", "--out", "m"}),
              "--energy goes with --fit network");
  usage_error(train({"--energy", "some"}), "--energy expects total or above-idle");
  usage_error(cli({"train", (dir / "training").string(), "--fit", "graph", "--out", "m"}), "--fit expects layers or network");
  const auto none_held_out = train({"--test-models="});  // an empty list, as train --help says
  ASSERT_EQ(none_held_out.status, 0) << none_held_out.err;
  EXPECT_NE(none_held_out.out.find("6 networks (0 held out)"), std::string::npos) << none_held_out.out;
}

// The recommended path on the simulator (scripts/demo.sh steps 5–7): a campaign of the 20
// reference networks, its training data, network-level models with three networks held out.
// The per-layer profiles pin every layer's runtime, so the held-out networks' latency comes out
// within 3 % (the simulator's layers sum to the latency); their energy, learnt from 17 totals
// and the static power times that latency, within 12 % (resnet18, the worst, at +11.1 %: three
// networks, so a figure that moves with the alpha cross-validation picks; it read +5.9 % worst
// before the energy's folds took their predicted runtimes from fold models, and the tolerance
// was 7 %). Each energy fold takes its predicted runtimes from the runtime models fitted
// without it, as a new network would be priced: its figure is then no better than the
// runtime's (23.9 and 23.8 % on the demo's campaign; scored with the final runtime models,
// which saw the network and its layers, it read 14.8 %).
TEST_F(NetworkTraining, ASimulatedCampaignPredictsHeldOutNetworks) {
  ASSERT_EQ(cli({"simulate", "--layout", "campaign", "--out", (dir / "campaign").string(), "--duration", "2s",
                 "--warm-up", "500ms", "--trim", "200ms", "--jobs", "2"})
                .status,
            0);
  ASSERT_EQ(cli({"dataset", (dir / "campaign").string(), "--out", (dir / "training").string()}).status, 0);
  const auto trained = train({"--test-models", "lenet,resnet18,vgg16"});
  ASSERT_EQ(trained.status, 0) << trained.err;
  const auto metrics = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "metrics.json"));
  std::size_t held_out = 0;
  for (const auto& [target, tolerance] : {std::pair{"runtime", 0.03}, {"energy", 0.12}})
    for (const auto& n : metrics["targets"][target]["per_network"])
      if (n["held_out"].get<bool>()) {
        ++held_out;
        EXPECT_NEAR(n["predicted"].get<double>() / n["measured"].get<double>(), 1.0, tolerance) << target << " " << n;
      }
  EXPECT_EQ(held_out, 6u);
  const double runtime_cv = metrics["targets"]["runtime"]["cv_rmspe"].get<double>();
  EXPECT_GT(metrics["targets"]["energy"]["cv_rmspe"].get<double>(), 0.8 * runtime_cv) << metrics["targets"];
}

}  // namespace network_training_test
