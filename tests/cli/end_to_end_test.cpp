// raw data → training data → models → predictions, through the `layerwatt` executable, on a
// small simulated data set; and the errors a user meets on the way.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "layerwatt/zoo/registry.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace lw = layerwatt;
namespace fs = std::filesystem;
using lw::testing::temp_dir;

namespace end_to_end_test {

class EndToEnd : public ::testing::Test {
 protected:
  lw::testing::process_result cli(std::vector<std::string> args) {
    return lw::testing::run_cli(std::move(args), dir.path());
  }

  // Four networks simulated, mapped and converted; trained with lenet held out, quickly.
  void make_models() {
    ASSERT_EQ(cli({"simulate", "--out", (dir / "raw").string(), "--models", "lenet,alexnet,vgg11,resnet18", "--cycles",
                   "40", "--period-us", "200", "--jobs", "1"})
                  .status,
              0);
    // interpolated: every window gets a power, so 40 cycles meet the 10-measurement rule
    ASSERT_EQ(cli({"dataset", (dir / "raw").string(), "--out", (dir / "training").string(), "--attribution",
                   "interpolated"})
                  .status,
              0);
    lw::testing::write_text(dir / "config.json", R"({"test_models": ["lenet"], "folds": 3, "presets": {
      "conv_power": {"n_alphas": 20}, "conv_runtime": {"n_alphas": 20}, "pooling_power": {"n_alphas": 20},
      "pooling_runtime": {"n_alphas": 20}, "dense_power": {"n_alphas": 20}, "dense_runtime": {"n_alphas": 20},
      "memory_power": {"n_alphas": 20}, "memory_runtime": {"n_alphas": 20}}})");
    const auto trained = cli({"train", (dir / "training").string(), "--out", (dir / "models").string(), "--config",
                              (dir / "config.json").string()});
    ASSERT_EQ(trained.status, 0) << trained.err;
    EXPECT_NE(trained.out.find("train RMSPE %"), std::string::npos) << trained.out;
  }

  /// A campaign of `models` (comma-separated) in DIR/campaign, of 300 ms a network.
  lw::testing::process_result simulate_short_campaign(const std::string& models) {
    return cli({"simulate", "--layout", "campaign", "--out", (dir / "campaign").string(), "--models", models,
                "--duration", "300ms", "--warm-up", "0s", "--trim", "50ms", "--jobs", "1"});
  }

  /// The engine TensorRT builds for a zoo network (equal to the real Jetson Orin ones: tests/zoo).
  std::string zoo_engine(const std::string& name) {
    const auto path = (dir / (name + ".json")).string();
    EXPECT_EQ(cli({"zoo", name, "--out", path}).status, 0);
    return path;
  }

  temp_dir dir;
};

TEST_F(EndToEnd, TrainWritesModelsFiniteMetricsAndAReportThenPredictionsReloadBitIdentically) {
  make_models();
  const auto metrics = nlohmann::json::parse(lw::testing::read_text(dir / "models" / "metrics.json"));
  for (const auto kind : {"convolutional", "pooling", "dense", "memory_bound"})
    for (const auto target : {"power", "runtime"}) {
      const auto& m = metrics["models"][kind][target];
      ASSERT_TRUE(m.is_object()) << kind << " " << target;
      EXPECT_EQ(m["test"]["models"], nlohmann::json::array({"lenet"})) << kind;
      EXPECT_TRUE(std::isfinite(m["train_rmspe"].get<double>()));
      if (m["test"]["rows"].get<int>() > 0) {
        for (const auto& [name, value] : m["test_metrics"].items()) EXPECT_TRUE(std::isfinite(value.get<double>())) << name;
      }
      EXPECT_TRUE(fs::exists(dir / "models" / kind / (std::string(target) + ".json")));
    }
  // The header names the held-out models there are, and those that are not; "" holds out none.
  const auto train = [&](const std::string& test_models) {
    return cli({"train", (dir / "training").string(), "--out", (dir / "models_again").string(), "--config",
                (dir / "config.json").string(), "--test-models", test_models});
  };
  const auto named = train("lenet,nosuch");
  ASSERT_EQ(named.status, 0) << named.err;
  EXPECT_NE(named.out.find("4 models; held out: lenet\n"), std::string::npos) << named.out;
  EXPECT_NE(named.err.find("test model \"nosuch\" is not in"), std::string::npos) << named.err;
  const auto none = train("");
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_NE(none.out.find("4 models; held out: none"), std::string::npos) << none.out;
  EXPECT_NE(lw::testing::read_text(dir / "models" / "report.html").find("<svg"), std::string::npos);

  const auto engine = zoo_engine("vgg16");
  const auto first = cli({"predict", engine, "--models", (dir / "models").string(), "--out", (dir / "a.csv").string()});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("Total energy"), std::string::npos);
  // 13 convolutions, 5 max-pools, 3 dense, 2 reformats (memory-bound); 6 NoOps cost nothing.
  EXPECT_NE(first.out.find("23 layers predicted"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("6 no-op; 0 not modelled"), std::string::npos) << first.out;
  const auto again = cli({"predict", engine, "--models", (dir / "models").string(), "--out", (dir / "b.csv").string()});
  ASSERT_EQ(again.status, 0);
  const std::string csv = lw::testing::read_text(dir / "a.csv");
  EXPECT_EQ(csv, lw::testing::read_text(dir / "b.csv"));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "layer_name,layer_type,power_prediction,runtime_prediction,kind,clamped,extrapolated,power_above_measured");

  const auto json = cli({"predict", engine, "--models", (dir / "models").string(), "--json"});
  ASSERT_EQ(json.status, 0);
  const auto p = nlohmann::json::parse(json.out);
  EXPECT_EQ(p["layers"].size(), 23u);
  EXPECT_EQ(p["kinds"]["memory_bound"]["layers"], 2);
  double energy = 0;
  for (const auto& l : p["layers"]) energy += l["power_prediction"].get<double>() * l["runtime_prediction"].get<double>() / 1000;
  EXPECT_NEAR(p["totals"]["energy_j"].get<double>(), energy, 1e-12);
  EXPECT_EQ(p["totals"]["energy_measure"], "above_idle");  // per-layer models learn the power above idle
  EXPECT_TRUE(p["power_above_measured_layers"].is_null());  // ... so no bound derives from it
}

// A second simulation into the same folder keeps the first's networks (a campaign gathers
// networks run by run, as `measure` does) and names them, so no later step reads them unawares.
TEST_F(EndToEnd, SimulatingIntoAFolderWithOtherNetworksNamesThem) {
  const auto first = simulate_short_campaign("lenet,alexnet");
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(first.err.find("other folder"), std::string::npos) << first.err;
  fs::create_directories(dir / "campaign" / ".git");  // no network, not named
  const auto again = simulate_short_campaign("lenet");
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("already holds 1 other folder(s), kept"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find(": alexnet"), std::string::npos) << again.err;
  EXPECT_TRUE(fs::exists(dir / "campaign" / "alexnet"));
  // Where a stopped run left the folder marked incomplete, its other folders are named all the
  // same, and the run clears the mark.
  lw::testing::write_text(dir / "campaign" / ".incomplete", "`layerwatt simulate`\n");
  const auto after_a_stop = simulate_short_campaign("lenet");
  ASSERT_EQ(after_a_stop.status, 0) << after_a_stop.err;
  EXPECT_NE(after_a_stop.err.find("already holds 1 other folder(s), kept"), std::string::npos) << after_a_stop.err;
  EXPECT_FALSE(fs::exists(dir / "campaign" / ".incomplete"));
  // Another command's mark stays for that command to clear, and the run says so.
  lw::testing::write_text(dir / "campaign" / ".incomplete", "`layerwatt dataset`\n");
  const auto after_another = simulate_short_campaign("lenet");
  ASSERT_EQ(after_another.status, 0) << after_another.err;
  EXPECT_NE(after_another.err.find("layerwatt simulate: note: " + (dir / "campaign").string() +
                                   " stays marked incomplete: `layerwatt dataset` stopped while writing it"),
            std::string::npos)
      << after_another.err;
  EXPECT_TRUE(fs::exists(dir / "campaign" / ".incomplete"));
  lw::testing::write_text(dir / "file", "");
  const auto onto_a_file = cli({"simulate", "--layout", "campaign", "--out", (dir / "file").string(), "--models",
                                "lenet", "--duration", "300ms", "--trim", "50ms"});
  EXPECT_EQ(onto_a_file.status, 2);  // refused before any work, as every command's --out
  EXPECT_NE(onto_a_file.err.find("--out " + (dir / "file").string() + ": not a directory; expected a campaign directory"),
            std::string::npos)
      << onto_a_file.err;
}

// A re-run that fails a network leaves none of its earlier training data, which `train` would
// read as this run's; its row leaves network_totals.csv, and the file goes when no network is read.
TEST_F(EndToEnd, ARerunThatFailsANetworkLeavesNoneOfItsEarlierOutput) {
  ASSERT_EQ(simulate_short_campaign("lenet,alexnet").status, 0);
  const auto dataset = [&] { return cli({"dataset", (dir / "campaign").string(), "--out", (dir / "training").string()}); };
  ASSERT_EQ(dataset().status, 0);
  const auto lenet_csv = dir / "training" / "lenet" / "convolutional.csv";
  ASSERT_TRUE(fs::exists(lenet_csv));
  // A folder RAW_DIR does not have, an earlier run's, is kept and named: train reads it too.
  fs::create_directories(dir / "training" / "gone");
  fs::copy_file(lenet_csv, dir / "training" / "gone" / "convolutional.csv");
  const auto named = dataset();
  ASSERT_EQ(named.status, 0) << named.err;
  EXPECT_NE(named.err.find("already holds 1 other folder(s), kept beside this run's (`train` reads them too"),
            std::string::npos)
      << named.err;
  EXPECT_NE(named.err.find(": gone"), std::string::npos) << named.err;

  lw::testing::write_text(dir / "campaign" / "lenet" / "profile.json", "[");
  const auto one_failed = dataset();
  EXPECT_EQ(one_failed.status, 1);
  EXPECT_NE(one_failed.err.find("(its convolutional.csv, pooling.csv, dense.csv, memory_bound.csv, engine_info.json removed from"),
            std::string::npos)
      << one_failed.err;
  EXPECT_FALSE(fs::exists(lenet_csv));
  EXPECT_FALSE(fs::exists(dir / "training" / "lenet" / "engine_info.json"));
  const auto totals = lw::testing::read_text(dir / "training" / "network_totals.csv");
  EXPECT_EQ(totals.find("lenet"), std::string::npos) << totals;
  EXPECT_NE(totals.find("alexnet"), std::string::npos) << totals;

  lw::testing::write_text(dir / "campaign" / "alexnet" / "profile.json", "[");
  const auto all_failed = dataset();
  EXPECT_EQ(all_failed.status, 1);
  EXPECT_NE(all_failed.err.find("network_totals.csv: removed"), std::string::npos) << all_failed.err;
  EXPECT_FALSE(fs::exists(dir / "training" / "network_totals.csv"));
}

// map's files of a model it fails are removed, as dataset's are: `convert` would read them.
TEST_F(EndToEnd, ARerunThatFailsAModelLeavesNoneOfItsEarlierMapping) {
  ASSERT_EQ(cli({"simulate", "--out", (dir / "raw").string(), "--models", "lenet", "--cycles", "20", "--jobs", "1"})
                .status,
            0);
  const auto map = [&] { return cli({"map", (dir / "raw").string(), "--out", (dir / "pre").string()}); };
  ASSERT_EQ(map().status, 0);
  const auto mapping = dir / "pre" / "lenet" / "power_runtime_mapping_layerwise.csv";
  ASSERT_TRUE(fs::exists(mapping));
  lw::testing::write_text(dir / "raw" / "lenet" / "trt_profiling" / "trt_layer_latency.json", "{");
  const auto failed = map();
  EXPECT_EQ(failed.status, 1);
  EXPECT_NE(failed.err.find("(its power_runtime_mapping_layerwise.csv, trt_engine_info.json, join.meta.json removed from"),
            std::string::npos)
      << failed.err;
  EXPECT_FALSE(fs::exists(mapping));
  EXPECT_FALSE(fs::exists(dir / "pre" / "lenet" / "join.meta.json"));
}

// An output directory that is a file is refused before any work, not at the first file written.
TEST_F(EndToEnd, AnOutputDirectoryThatIsAFileIsRefusedFirst) {
  lw::testing::write_text(dir / "file", "");
  for (const auto* command : {"map", "dataset", "convert", "train", "measure"}) {
    const auto r = cli({command, (dir / "nowhere").string(), "--out", (dir / "file").string()});
    EXPECT_EQ(r.status, 2) << command;
    EXPECT_NE(r.err.find("--out " + (dir / "file").string() + ": not a directory; expected a"), std::string::npos)
        << command << ": " << r.err;
  }
  const auto preprocessed = cli({"dataset", (dir / "nowhere").string(), "--out", (dir / "t").string(),
                                 "--preprocessed", (dir / "file").string()});
  EXPECT_EQ(preprocessed.status, 2);
  EXPECT_NE(preprocessed.err.find("--preprocessed " + (dir / "file").string() + ": not a directory"), std::string::npos)
      << preprocessed.err;
  // Nor the input itself: a stopped run would leave its own input marked incomplete.
  fs::create_directories(dir / "same");
  for (const auto* command : {"map", "dataset", "convert"}) {
    const auto r = cli({command, (dir / "same").string(), "--out", (dir / "same").string()});
    EXPECT_EQ(r.status, 2) << command;
    EXPECT_NE(r.err.find("--out " + (dir / "same").string() + ": is "), std::string::npos) << command << ": " << r.err;
    EXPECT_NE(r.err.find("itself; give the output a directory of its own"), std::string::npos) << command << ": " << r.err;
  }
  // Nor under a file, at any depth; simulate's output too.
  const auto under = (dir / "file" / "sub" / "deeper").string();
  for (const auto* command : {"dataset", "train", "simulate"}) {
    const auto r = std::string(command) == "simulate" ? cli({command, "--out", under})
                                                      : cli({command, (dir / "nowhere").string(), "--out", under});
    EXPECT_EQ(r.status, 2) << command;
    EXPECT_NE(r.err.find("--out " + under + ": " + (dir / "file").string() + " is not a directory, so a"),
              std::string::npos)
        << command << ": " << r.err;
  }
}

// Options of one kind of input only are refused where it is absent: they would change nothing.
TEST_F(EndToEnd, OptionsForAnotherLayoutAreUsageErrors) {
  ASSERT_EQ(simulate_short_campaign("lenet").status, 0);
  lw::testing::write_text(dir / "campaign" / "half" / "times.json", "[]");  // an incomplete network counts as one
  const auto on_campaign = cli({"dataset", (dir / "campaign").string(), "--out", (dir / "t").string(), "--rail",
                                "VDD_GPU", "--timeline=back-to-back"});
  EXPECT_EQ(on_campaign.status, 2);
  EXPECT_NE(on_campaign.err.find("--timeline, --rail apply to models in the reference's layout"), std::string::npos)
      << on_campaign.err;
  EXPECT_FALSE(fs::exists(dir / "t"));
  ASSERT_EQ(cli({"simulate", "--out", (dir / "raw").string(), "--models", "lenet", "--cycles", "20", "--jobs", "1"})
                .status,
            0);
  const auto on_reference =
      cli({"dataset", (dir / "raw").string(), "--out", (dir / "t").string(), "--profile-statistic", "median"});
  EXPECT_EQ(on_reference.status, 2);
  EXPECT_NE(on_reference.err.find("--profile-statistic applies to a measurement campaign's networks"), std::string::npos)
      << on_reference.err;
  const auto stamps = cli({"simulate", "--layout", "campaign", "--out", (dir / "c2").string(), "--stamps", "callback",
                           "--clock-offset-us", "5"});
  EXPECT_EQ(stamps.status, 2);
  EXPECT_NE(stamps.err.find("--stamps and --clock-offset-us are the reference layout's"), std::string::npos)
      << stamps.err;
  EXPECT_FALSE(fs::exists(dir / "c2"));
}

TEST_F(EndToEnd, ZooListPrintsEachNetworksParametersAndMacsAtTheInputGiven) {
  const auto listed = cli({"zoo", "--list", "--input", "3x224x224"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  std::size_t rows = 0;
  for (const auto& model : lw::zoo::models) {
    const auto size = lw::zoo::size_of(model, {.input = lw::zoo::input_shape{3, 224, 224}});
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with(std::string(model.name) + " ")) continue;
      ++rows;
      // The parameters in full, the MACs in billions (xception and the EfficientNets at 224, not their own size).
      EXPECT_NE(line.find(fmt::format(" {}  ", size.parameters)), std::string::npos) << line;
      EXPECT_NE(line.find(fmt::format(" {:.3f} ", static_cast<double>(size.macs) / 1e9)), std::string::npos) << line;
    }
  }
  EXPECT_EQ(rows, lw::zoo::models.size());

  const auto with_out = cli({"zoo", "--list", "--out", (dir / "x.json").string()});  // a known option, not with --list
  EXPECT_EQ(with_out.status, 2);
  EXPECT_NE(with_out.err.find("--out with --list"), std::string::npos) << with_out.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.json"));
}

TEST_F(EndToEnd, OptionsGoBeforeOrAfterThePositionals) {
  const auto engine = (dir / "lenet.json").string();
  const auto zoo = cli({"zoo", "--out", engine, "lenet"});
  ASSERT_EQ(zoo.status, 0) << zoo.err;
  const auto inspect = cli({"inspect", "--classify", "semantic", engine});
  EXPECT_EQ(inspect.status, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("CaskConvolution"), std::string::npos) << inspect.out;
  for (const std::string command : {"train", "dataset", "map", "convert"}) {
    const auto r = cli({command, "--out", (dir / "out").string(), (dir / "nowhere").string()});
    EXPECT_EQ(r.status, 1) << command << ": " << r.err;  // the positional read as such, not as --out's value
    EXPECT_NE(r.err.find("nowhere"), std::string::npos) << command << ": " << r.err;
  }
  const auto predict = cli({"predict", "--models", (dir / "no-models").string(), engine});
  EXPECT_EQ(predict.status, 1) << predict.err;
  EXPECT_NE(predict.err.find("no-models"), std::string::npos) << predict.err;
}

TEST_F(EndToEnd, VersionSaysTheRelease) {
  const auto version = cli({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_TRUE(version.out.starts_with("layerwatt ") && std::isdigit(static_cast<unsigned char>(version.out[10])))
      << version.out;
}

// Output that never reached standard output (a full disk) is a failed run, small or large.
TEST_F(EndToEnd, AStandardOutputThatRefusesTheOutputIsAnError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full on this system";
  const auto engine = zoo_engine("resnet50");
  for (const auto& args : {std::vector<std::string>{"zoo", "--list"}, {"inspect", engine, "--wide"}}) {
    const pid_t pid = lw::testing::spawn_cli(args, "/dev/full", dir / "stderr");
    EXPECT_EQ(lw::testing::wait_exit_status(pid), 1) << args[0];
    const auto err = lw::testing::read_text(dir / "stderr");
    EXPECT_NE(err.find("layerwatt: error: cannot write to standard output: No space left on device"), std::string::npos)
        << err;
  }
}

TEST_F(EndToEnd, AnUnknownOptionIsReportedBeforeAMissingOne) {
  const auto typo = cli({"train", (dir / "training").string(), "--ot", (dir / "m").string()});
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("unknown option --ot"), std::string::npos) << typo.err;
  const auto missing = cli({"zoo", "--out", (dir / "x.json").string()});
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("missing NAME"), std::string::npos) << missing.err;
}

// An empty option value is a bad command line: as --out it would have named the working directory.
TEST_F(EndToEnd, AnEmptyOptionValueIsAUsageError) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"simulate", "--models", "lenet", "--out", ""},
                                                                {"simulate", "--models", "lenet", "--out="}}) {
    const auto r = cli(args);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("--out needs a value, got an empty one"), std::string::npos) << r.err;
  }
}

TEST_F(EndToEnd, ErrorsNameWhatIsWrong) {
  const auto missing = cli({"train", (dir / "nowhere").string(), "--out", (dir / "m").string()});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("nowhere: no such directory; expected a training-data directory"), std::string::npos) << missing.err;

  fs::create_directories(dir / "empty");
  const auto empty = cli({"train", (dir / "empty").string(), "--out", (dir / "m").string()});
  EXPECT_EQ(empty.status, 1);
  EXPECT_NE(empty.err.find("no training CSVs"), std::string::npos) << empty.err;
  EXPECT_FALSE(fs::exists(dir / "m"));

  EXPECT_EQ(cli({"train", (dir / "empty").string()}).status, 2);  // --out is required

  lw::testing::write_text(dir / "models" / "dense" / "power.json", "{\"pipeline\": \"dense_power\", ");
  lw::testing::write_text(dir / "models" / "dense" / "runtime.json", "{}");
  const auto engine = zoo_engine("resnet18");
  const auto corrupt = cli({"predict", engine, "--models", (dir / "models").string()});
  EXPECT_EQ(corrupt.status, 1);
  EXPECT_NE(corrupt.err.find("dense/power.json"), std::string::npos) << corrupt.err;

  lw::testing::write_text(dir / "plain.json", R"({"Layers": [{"Name": "r", "LayerType": "Reformat", "Inputs": [], "Outputs": []}], "Bindings": []})");
  make_models();
  const auto nothing = cli({"predict", (dir / "plain.json").string(), "--models", (dir / "models").string()});
  EXPECT_EQ(nothing.status, 1);
  EXPECT_NE(nothing.err.find("none of its 1 layers is of a kind"), std::string::npos) << nothing.err;
  const auto folder = cli({"predict", (dir / "models").string(), "--models", (dir / "models").string()});
  EXPECT_EQ(folder.status, 1);
  EXPECT_NE(folder.err.find("models: a directory; expected a TensorRT engine-inspector JSON file"),
            std::string::npos)
      << folder.err;

  // A layer lacking what its features need: the engine file, the layer and the column.
  auto broken = nlohmann::json::parse(lw::testing::read_text(engine));
  auto& layers = broken["Layers"];
  const auto conv = std::find_if(layers.begin(), layers.end(), [](const auto& l) {
    return l["LayerType"].template get<std::string>().find("Convolution") != std::string::npos;
  });
  ASSERT_NE(conv, layers.end());
  (*conv)["Inputs"] = nlohmann::json::array();
  lw::testing::write_text(dir / "no_input.json", broken.dump());
  const auto lacking = cli({"predict", (dir / "no_input.json").string(), "--models", (dir / "models").string()});
  EXPECT_EQ(lacking.status, 1);
  EXPECT_NE(lacking.err.find(fmt::format("no_input.json: layer \"{}\"", (*conv)["Name"].get<std::string>())),
            std::string::npos)
      << lacking.err;
  EXPECT_NE(lacking.err.find("needs"), std::string::npos) << lacking.err;
}

}  // namespace end_to_end_test
