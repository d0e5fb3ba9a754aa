#include "layerwatt/sim/simulate_raw_data.hpp"

#include <gtest/gtest.h>

#include "layerwatt/zoo/registry.hpp"
#include "support/temp_dir.hpp"

namespace layerwatt::sim {
namespace simulate_raw_data_test {

namespace fs = std::filesystem;

const time_stamp base = parse_time_stamp("20250101-00:00:00.0");

std::vector<model_to_simulate> zoo_models(std::initializer_list<const char*> names) {
  std::vector<model_to_simulate> out;
  int day = 1;
  for (const char* name : names) out.push_back({name, zoo::build(name), base + std::chrono::hours(24 * day++)});
  return out;
}

std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SimulateRawData, WritesTheReferenceLayoutAndEveryFileReadsBack) {
  const testing::temp_dir dir;
  const auto models = zoo_models({"lenet", "resnet18"});
  const device_profile profile;
  std::vector<std::string> done;
  const auto reports = simulate_raw_data(
      dir.path(), models, profile,
      {.seed = 3, .cycles = 25, .jobs = 2, .on_model_done = [&](const model_report& r) { done.push_back(r.name); }},
      base);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(done.size(), 2u);
  EXPECT_EQ(reports[1].name, "resnet18");
  EXPECT_EQ(reports[1].layers, models[1].engine.layers.size());

  const io::raw_data_set set = io::scan_raw_data_dir(dir.path());
  EXPECT_TRUE(set.incomplete.empty());
  ASSERT_EQ(set.models.size(), 2u);
  const auto idle = io::read_idle_power(set.idle_power);
  EXPECT_NEAR(idle.avg_idle_power_uw, profile.power.idle_mw * 1000, 0.01 * profile.power.idle_mw * 1000);
  EXPECT_EQ(idle.extra.at("source"), "simulator");
  for (std::size_t m = 0; m < 2; ++m) {
    const auto& files = set.models[m];
    const auto& model = models[m];
    SCOPED_TRACE(files.name);
    EXPECT_EQ(files.name, model.name);
    ASSERT_TRUE(files.power_log_meta);
    const auto meta = io::read_power_log_meta(*files.power_log_meta);
    EXPECT_EQ(meta.source, "simulator");
    EXPECT_EQ(meta.refresh_interval, microseconds{profile.sensor.refresh_interval_us()});
    std::vector<std::string> warnings;
    const auto samples = io::load_power_samples(files.power_log, 0, [&](std::string_view w) { warnings.emplace_back(w); });
    EXPECT_TRUE(warnings.empty());
    EXPECT_EQ(samples.size(), meta.stats.samples);
    EXPECT_EQ(samples.size(), reports[m].log_samples);
    EXPECT_EQ(io::read_engine_info(files.engine_info), model.engine);
    const auto latencies = io::read_layer_latencies(files.layer_latency);
    EXPECT_TRUE(latencies.stamped);
    ASSERT_EQ(latencies.layers.size(), model.engine.layers.size());
    const auto truth = read_ground_truth(files.directory / "ground_truth.json");
    ASSERT_EQ(truth.layers.size(), model.engine.layers.size());
    for (std::size_t i = 0; i < latencies.layers.size(); ++i) {
      EXPECT_EQ(latencies.layers[i].name, model.engine.layers[i].name);
      EXPECT_EQ(truth.layers[i].name, model.engine.layers[i].name);
      EXPECT_EQ(latencies.layers[i].latency_ms.size(), 25u);
    }
    const auto summary = io::read_benchmark_summary(files.benchmark_summary);
    EXPECT_EQ(summary.latencies_s.size(), 25u);
    EXPECT_EQ(summary.config.at("model"), model.name);
    EXPECT_EQ(truth.cycles, 25);
    EXPECT_EQ(truth.seed, 3u);
    EXPECT_EQ(samples.front().t, model.start);
  }
}

TEST(SimulateRawData, TheSameSeedWritesTheSameBytesWhateverRunsAlongside) {
  const testing::temp_dir a, b, c, d;
  const device_profile profile;
  const auto both = zoo_models({"lenet", "resnet18"});
  simulate_raw_data(a.path(), both, profile, {.seed = 9, .cycles = 15, .jobs = 2, .on_model_done = {}}, base);
  simulate_raw_data(b.path(), both, profile, {.seed = 9, .cycles = 15, .jobs = 1, .on_model_done = {}}, base);
  const auto files = files_under(a.path());
  EXPECT_EQ(files, files_under(b.path()));
  EXPECT_EQ(files.size(), 1 + 2 * 6u);
  for (const auto& f : files) EXPECT_EQ(testing::read_text(a / f.string()), testing::read_text(b / f.string())) << f;

  // lenet alone, at the same start: the same files as beside resnet18.
  simulate_raw_data(c.path(), std::span(both).first(1), profile, {.seed = 9, .cycles = 15, .jobs = 1, .on_model_done = {}},
                    base);
  for (const auto& f : files_under(c.path()))
    EXPECT_EQ(testing::read_text(c / f.string()), testing::read_text(a / f.string())) << f;

  simulate_raw_data(d.path(), both, profile, {.seed = 10, .cycles = 15, .jobs = 2, .on_model_done = {}}, base);
  EXPECT_NE(testing::read_text(d / "lenet/lenet_power_log.log"), testing::read_text(a / "lenet/lenet_power_log.log"));
  EXPECT_NE(testing::read_text(d / "resnet18/trt_profiling/trt_layer_latency.json"),
            testing::read_text(a / "resnet18/trt_profiling/trt_layer_latency.json"));
}

// The bytes of a small run, pinned: README's demo figures and docs/accuracy.md come from the
// simulator's output, so a change to it must be deliberate. If this fails after an intended
// change to the simulator (or the zoo's networks), rerun scripts/demo.sh and
// `scripts/bench.sh attribution_accuracy`, update the figures they print in README.md and
// docs/, then the hash below (the test prints the new one).
TEST(SimulateRawData, ASmallRunsBytesArePinned) {
  const testing::temp_dir dir;
  simulate_raw_data(dir.path(), zoo_models({"lenet", "resnet18"}), device_profile{},
                    {.seed = 9, .cycles = 15, .jobs = 2, .on_model_done = {}}, base);
  std::uint64_t hash = 0;
  for (const auto& f : files_under(dir.path())) hash = hash_text(testing::read_text(dir / f.string()), hash_text(f.generic_string(), hash));
  EXPECT_EQ(hash, 14142727810511069185u) << "the simulator's output changed; read the comment above this test";
}

TEST(SimulateRawData, AFailingModelStopsTheRunWithItsName) {
  const testing::temp_dir dir;
  std::vector<model_to_simulate> models = zoo_models({"lenet"});
  models.push_back({"broken", io::engine_info{}, base});
  EXPECT_ERROR_MENTIONS(simulate_raw_data(dir.path(), models, device_profile{},
                                          {.seed = 1, .cycles = 5, .jobs = 2, .on_model_done = {}}, base),
                        "broken", "no layers");
}

}  // namespace simulate_raw_data_test
}  // namespace layerwatt::sim
