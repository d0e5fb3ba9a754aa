// The simulator writes a measurement campaign's layout (campaign/simulate_campaign.hpp): the
// campaign's analysis of its files finds the truth the simulator knows, the dataset reads it
// back as it reads a real campaign, and the same seed gives the same bytes.

#include "layerwatt/campaign/simulate_campaign.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "layerwatt/dataset/campaign_network.hpp"
#include "layerwatt/io/network_totals.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/zoo/registry.hpp"
#include "support/cli.hpp"
#include "support/temp_dir.hpp"

namespace campaign = layerwatt::campaign;
namespace io = layerwatt::io;
namespace sim = layerwatt::sim;
namespace fs = std::filesystem;
using layerwatt::microseconds;
using layerwatt::testing::read_text;
using layerwatt::testing::temp_dir;

namespace simulate_campaign_test {

const layerwatt::time_stamp day = layerwatt::parse_time_stamp("20250103-00:00:00.000000");

std::vector<campaign::simulated_network> networks(std::initializer_list<const char*> names) {
  std::vector<campaign::simulated_network> out;
  for (const auto* name : names) out.push_back({name, layerwatt::zoo::build(name), day});
  return out;
}

campaign::simulated_campaign_options short_runs() {
  campaign::simulated_campaign_options o;
  o.warm_up_ms = 200;
  o.duration_ms = 2000;
  o.analysis.trim = microseconds{200'000};
  o.jobs = 2;
  return o;
}

TEST(SimulatedCampaign, TheMeasurementFindsTheTruthAndTheDatasetReadsIt) {
  temp_dir dir;
  const auto nets = networks({"lenet", "resnet18"});
  const auto results = campaign::simulate_campaign(dir / "c", nets, sim::device_profile{}, short_runs(), day);
  ASSERT_EQ(results.size(), 2u);

  const auto raw = io::scan_raw_data_dir(dir / "c");
  EXPECT_TRUE(raw.models.empty());
  EXPECT_TRUE(raw.incomplete.empty());
  ASSERT_EQ(raw.networks.size(), 2u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& [m, truth] = results[i];
    SCOPED_TRACE(m.network);
    EXPECT_EQ(io::read_network_measurement(raw.networks[i].measurement), m);
    EXPECT_EQ(m.source, "layerwatt simulate");
    EXPECT_EQ(m.board["tensorrt_version"], "10.3.0");
    EXPECT_EQ(m.inferences, truth.inferences);
    // trtexec's times are the true ones to six digits; the energy is the sensor's, over the window.
    EXPECT_NEAR(m.latency_mean_ms, truth.latency_ms, 1e-4 * truth.latency_ms);
    EXPECT_NEAR(m.energy_per_inference_above_idle_mj, truth.energy_per_inference_above_idle_mj,
                0.01 * truth.energy_per_inference_above_idle_mj);
    EXPECT_NEAR(m.energy_per_inference_total_mj, truth.energy_per_inference_total_mj,
                0.005 * truth.energy_per_inference_total_mj);
    EXPECT_LT(m.alignment_uncertainty, microseconds{2'000});
    EXPECT_EQ(sim::read_ground_truth(raw.networks[i].directory / "ground_truth.json").network, truth);

    // The dataset: one runtime-only row per layer the device runs that is of a modelled kind.
    const auto s = layerwatt::dataset::write_campaign_network(raw.networks[i], dir / "training");
    EXPECT_TRUE(s.rows.not_in_engine.empty());
    EXPECT_TRUE(s.rows.not_timed.empty());
    EXPECT_EQ(s.total.latency_ms, m.latency_mean_ms);
    EXPECT_EQ(s.total.energy_above_idle_mj, m.energy_per_inference_above_idle_mj);
  }
  EXPECT_LT(results[0].truth.latency_ms, results[1].truth.latency_ms);  // lenet is the smaller
}

TEST(SimulatedCampaign, ANetworksFilesDependOnlyOnTheSeedAndTheNetwork) {
  temp_dir dir;
  auto options = short_runs();
  options.duration_ms = 500;
  const auto both = networks({"lenet", "alexnet"}), one = networks({"alexnet"});
  campaign::simulate_campaign(dir / "both", both, sim::device_profile{}, options, day);
  campaign::simulate_campaign(dir / "one", one, sim::device_profile{}, options, day);
  for (const auto* file : {"network_measurement.json", "times.json", "power_log.log", "profile.json", "trtexec_timed.log"})
    EXPECT_EQ(read_text(dir / "both/alexnet" / file), read_text(dir / "one/alexnet" / file)) << file;
  options.seed = 2;
  campaign::simulate_campaign(dir / "seed2", one, sim::device_profile{}, options, day);
  EXPECT_NE(read_text(dir / "seed2/alexnet/times.json"), read_text(dir / "one/alexnet/times.json"));
}

// A trim of half the duration or more leaves no window: refused before anything is simulated.
TEST(SimulatedCampaign, ATrimThatLeavesNothingIsRefusedFirst) {
  temp_dir dir;
  auto options = short_runs();
  options.duration_ms = 400;
  EXPECT_ERROR_MENTIONS(campaign::simulate_campaign(dir / "c", networks({"lenet"}), sim::device_profile{}, options, day),
                        "a trim of 200 ms at each end leaves nothing of a 400 ms timed run");
  EXPECT_FALSE(std::filesystem::exists(dir / "c"));
  LAYERWATT_SKIP_WITHOUT_CLI();
  const auto cli = layerwatt::testing::run_cli({"simulate", "--layout", "campaign", "--models", "lenet", "--duration",
                                                "400ms", "--trim", "200ms", "--out", (dir / "c").string()},
                                               dir.path());
  EXPECT_EQ(cli.status, 2) << cli.err;  // a bad command line, as in `measure`
  EXPECT_NE(cli.err.find("--trim and --duration: a trim of 200 ms"), std::string::npos) << cli.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "c"));
}

// The analysis places trtexec's zero to within about 0.8 ms and trims no less: a shorter trim is
// refused before anything is simulated, not after the first network's run.
TEST(SimulatedCampaign, ATrimShorterThanTheAlignmentIsRefusedFirst) {
  temp_dir dir;
  auto options = short_runs();
  options.analysis.trim = microseconds{0};
  EXPECT_ERROR_MENTIONS(campaign::simulate_campaign(dir / "c", networks({"lenet"}), sim::device_profile{}, options, day),
                        "a trim of 0 µs is less than the", "to which the analysis places trtexec's zero on the log's clock");
  EXPECT_FALSE(std::filesystem::exists(dir / "c"));
  // The bound is the run's own alignment uncertainty but for the rounding of its printed times
  // (a lower bound: no trim the analysis accepts is refused).
  const auto least = campaign::least_trim(options);
  EXPECT_EQ(least, microseconds{775});  // as the help says: 0.8 ms for runs under 10 s
  options.analysis.trim = least + microseconds{10};
  const auto simulated = campaign::simulate_campaign(dir / "c", networks({"lenet"}), sim::device_profile{}, options, day);
  ASSERT_EQ(simulated.size(), 1u);
  EXPECT_LE(least, simulated[0].measurement.alignment_uncertainty);
  EXPECT_GE(least + microseconds{10}, simulated[0].measurement.alignment_uncertainty);
  LAYERWATT_SKIP_WITHOUT_CLI();
  const auto cli = layerwatt::testing::run_cli({"simulate", "--layout", "campaign", "--models", "lenet", "--duration",
                                                "400ms", "--trim", "0s", "--out", (dir / "d").string()},
                                               dir.path());
  EXPECT_EQ(cli.status, 2) << cli.err;
  EXPECT_NE(cli.err.find("--trim and --duration: a trim of 0 µs is less than the"), std::string::npos) << cli.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "d"));
}

TEST(SimulatedCampaign, AFileWhereTheCampaignGoesIsNamed) {
  temp_dir dir;
  layerwatt::testing::write_text(dir / "file", "");
  const std::string named = (dir / "file").string() + ": cannot create the campaign directory";
  EXPECT_ERROR_MENTIONS(campaign::simulate_campaign(dir / "file", networks({"lenet"}), sim::device_profile{}, short_runs(), day),
                        named.c_str());
}

// The command line: `simulate --layout campaign`, then `dataset` writes network_totals.csv.
TEST(SimulatedCampaign, SimulateThenDatasetFromTheCommandLine) {
  LAYERWATT_SKIP_WITHOUT_CLI();
  temp_dir dir;
  const auto simulate = layerwatt::testing::run_cli(
      {"simulate", "--layout", "campaign", "--models", "lenet,alexnet", "--duration", "1s", "--warm-up",
       "200ms", "--trim", "100ms", "--out", (dir / "c").string()},
      dir.path());
  ASSERT_EQ(simulate.status, 0) << simulate.out << simulate.err;
  EXPECT_NE(simulate.out.find("2 networks measured as `layerwatt measure` would"), std::string::npos) << simulate.out;
  const auto dataset = layerwatt::testing::run_cli(
      {"dataset", (dir / "c").string(), "--out", (dir / "t").string()}, dir.path());
  ASSERT_EQ(dataset.status, 0) << dataset.out << dataset.err;
  const auto totals = io::read_network_totals(dir / "t/network_totals.csv");
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].network, "alexnet");
  const auto m = io::read_network_measurement(dir / "c/alexnet/network_measurement.json");
  EXPECT_EQ(totals[0].energy_total_mj, m.energy_per_inference_total_mj);
  EXPECT_EQ(io::read_engine_info(totals[1].engine_info), layerwatt::zoo::build("lenet"));

  const auto wrong = layerwatt::testing::run_cli(
      {"simulate", "--layout", "campaign", "--cycles", "10", "--out", (dir / "x").string()}, dir.path());
  EXPECT_EQ(wrong.status, 2);
  EXPECT_NE(wrong.err.find("--cycles is the reference layout's"), std::string::npos) << wrong.err;
}

}  // namespace simulate_campaign_test
