#include "layerwatt/dataset/map_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/dataset/preprocessed_dir.hpp"
#include "layerwatt/io/idle_power.hpp"
#include "layerwatt/io/json_document.hpp"
#include "layerwatt/io/layerwise_mapping.hpp"
#include "layerwatt/io/raw_data_dir.hpp"
#include "layerwatt/sim/ground_truth.hpp"
#include "layerwatt/sim/simulate_raw_data.hpp"
#include "raw_model_builder.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace ds = layerwatt::dataset;
namespace io = layerwatt::io;
using layerwatt::microseconds;
using layerwatt::testing::reference_data;
using layerwatt::testing::temp_dir;
using layerwatt::testing::write_raw_model;
using layerwatt::testing::write_text;

namespace map_model_test {

struct row {
  std::int64_t cycle;
  std::string name, type;
  std::optional<double> with_idle, without_idle;
  double run_time;
  bool operator==(const row&) const = default;
};

std::ostream& operator<<(std::ostream& out, const row& r) {
  return out << r.cycle << ',' << r.name << ',' << r.type << ',' << r.with_idle.value_or(NAN) << ','
             << r.without_idle.value_or(NAN) << ',' << r.run_time;
}

/// Maps a model through the mapping file (written, then read back) as `layerwatt map` does.
std::vector<row> map_through_file(const io::raw_data_set& raw, const std::string& model, ds::map_options options,
                                  ds::map_summary* summary = nullptr) {
  temp_dir out;
  const auto& files = *std::find_if(raw.models.begin(), raw.models.end(), [&](const auto& m) { return m.name == model; });
  io::layerwise_mapping_writer writer(out / "mapping.csv");
  const auto s = ds::map_model(files, io::read_idle_power(raw.idle_power).avg_idle_power_uw, options,
                               [&](const io::layerwise_row& r) { writer.write(r); });
  writer.commit();
  if (summary) *summary = s;
  std::vector<row> rows;
  io::read_layerwise_mapping(out / "mapping.csv", [&](const io::layerwise_row& r) {
    rows.push_back({r.cycle, std::string(r.layer_name), std::string(r.layer_type), r.power_including_idle_uw,
                    r.power_excluding_idle_uw, r.run_time_ms});
  });
  return rows;
}

std::vector<row> expected_rows(const std::filesystem::path& json) {
  std::vector<row> rows;
  for (const auto& r : io::load_json_file(json)) {
    const auto power = [](const nlohmann::json& v) { return v.is_null() ? std::nullopt : std::optional(v.get<double>()); };
    rows.push_back({r["cycle"].get<std::int64_t>(), r["layer_name"], r["layer_type"],
                    power(r["layer_power_including_idle_power_micro_watt"]),
                    power(r["layer_power_excluding_idle_power_micro_watt"]), r["layer_run_time"].get<double>()});
  }
  return rows;
}

// The reference's own test fixtures: end_stamp + window_mean reproduce them exactly.
TEST(MapModel, ReproducesTheReferenceFixtures) {
  LAYERWATT_REQUIRE_SHARED();
  const auto raw = io::scan_raw_data_dir(reference_data("seed_fixtures/example_raw_data"));
  ASSERT_EQ(raw.models.size(), 3u);
  for (const auto& model : raw.models) {
    SCOPED_TRACE(model.name);
    EXPECT_EQ(map_through_file(raw, model.name, {}), expected_rows(model.directory / "expected_metrics_by_cycle.json"));
  }
}

// A larger run the reference itself joined (tests/data/join/make_reference_join.py): 40 cycles,
// windows shorter than the sampling period, windows starting and ending on a sample, a layer the
// engine does not know, a layer name with a comma and a quote.
TEST(MapModel, ReproducesTheReferenceOnALongerRun) {
  const auto raw = io::scan_raw_data_dir(std::filesystem::path(LAYERWATT_TEST_DATA) / "join" / "reference_run");
  ds::map_summary summary;
  const auto rows = map_through_file(raw, "covered", {}, &summary);
  EXPECT_EQ(rows, expected_rows(raw.root / "covered" / "expected_metrics_by_cycle.json"));
  EXPECT_EQ(summary.cycles, 40u);
  EXPECT_EQ(summary.rows, 240u);
  EXPECT_EQ(summary.unknown_layers, std::vector<std::string>{"[SHUFFLE]-[flatten, \"x\"]"});
  EXPECT_EQ(summary.layers_per_type.at("CaskConvolution"), 2u);
  EXPECT_EQ(summary.layers_per_type.at("Unknown"), 1u);
  EXPECT_EQ(summary.coverage.after_log + summary.coverage.before_log, 0u);
  EXPECT_GT(summary.coverage.inside_log, 0u);
  EXPECT_EQ(summary.stamp_spread.suggested_timeline, "end-stamp");
}

// The power log stops during the run. The reference keeps the window the log ends in and writes
// no row after it; we write every row, the later ones without power (docs/deviations.md).
TEST(MapModel, WhenTheLogRunsOutLaterRowsKeepTheirRuntimeWithoutPower) {
  const auto raw = io::scan_raw_data_dir(std::filesystem::path(LAYERWATT_TEST_DATA) / "join" / "reference_run");
  ds::map_summary summary;
  const auto rows = map_through_file(raw, "cut", {}, &summary);
  const auto expected = expected_rows(raw.root / "cut" / "expected_metrics_by_cycle.json");
  ASSERT_EQ(rows.size(), 240u);
  ASSERT_LT(expected.size(), rows.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rows[i], expected[i]) << i;
  for (std::size_t i = expected.size(); i < rows.size(); ++i) {
    EXPECT_FALSE(rows[i].with_idle) << i;
    EXPECT_EQ(rows[i].cycle, static_cast<std::int64_t>(i / 6) + 1);
  }
  EXPECT_GT(summary.coverage.after_log, 0u);
}

const char* two_layer_latencies = R"({"conv": [[1.0, "20241121-00:00:01.001000"], [1.0, "20241121-00:00:01.011000"]],
                                      "mystery": [[0.5, "20241121-00:00:01.001600"], [0.5, "20241121-00:00:01.011600"]]})";
const char* conv_engine = R"({"Layers": [{"Name": "conv", "LayerType": "CaskConvolution"}]})";

TEST(MapModel, PicksTheRailByNameOrIndexAndCarriesTheRefreshInterval) {
  temp_dir raw_dir;
  write_raw_model(raw_dir.path(), "m",
                  "timestamp,VDD_IN_mV,VDD_IN_mA,VDD_GPU_mV,VDD_GPU_mA\n"
                  "20241121-00:00:01.000500,5000.0,1000.0,1000.0,100.0\n"
                  "20241121-00:00:01.001500,5000.0,1200.0,1000.0,300.0\n"
                  "20241121-00:00:01.010500,5000.0,1400.0,1000.0,500.0\n",
                  two_layer_latencies, conv_engine);
  write_text(raw_dir / "m" / "m_power_log.log.meta.json",
             R"({"rails": [{"name": "VDD_IN"}, {"name": "VDD_GPU"}], "sensor": {"refresh_interval_us": 1100}})");
  const auto raw = io::scan_raw_data_dir(raw_dir.path());
  ds::map_summary summary;
  auto rows = map_through_file(raw, "m", {}, &summary);
  EXPECT_EQ(summary.rail, "VDD_IN");
  EXPECT_EQ(summary.refresh_interval, microseconds{1100});
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (row{1, "conv", "CaskConvolution", 5'000'000.0, 4'999'000.0, 1.0}));
  EXPECT_EQ(rows[1], (row{1, "mystery", "Unknown", 6'000'000.0, 5'999'000.0, 0.5}));
  rows = map_through_file(raw, "m", {.rail = "VDD_GPU"}, &summary);
  EXPECT_EQ(summary.rail, "VDD_GPU");
  EXPECT_EQ(rows[0].with_idle, 100'000.0);
  EXPECT_EQ(rows[2].with_idle, 500'000.0);
  rows = map_through_file(raw, "m", {.rail = "1"});
  EXPECT_EQ(rows[1].with_idle, 300'000.0);
  EXPECT_ERROR_MENTIONS(map_through_file(raw, "m", {.rail = "VDD_CPU"}), "m_power_log.log", "no rail \"VDD_CPU\"",
                        "VDD_IN, VDD_GPU");
}

// A log below the idle power, or an idle under a thousandth of the log, is one of the two in
// another unit: every layer would come out negative above idle, or as all its power, so the map
// says so (a log in V and A here, read as mV and mA).
TEST(MapModel, AnIdlePowerAboveTheLogOrFarBelowItIsWarnedAbout) {
  temp_dir raw_dir;
  write_raw_model(raw_dir.path(), "m",
                  "timestamp,VDD_IN_mV,VDD_IN_mA\n"
                  "20241121-00:00:01.000500,5.0,1.0\n"
                  "20241121-00:00:01.001500,5.0,1.2\n"
                  "20241121-00:00:01.010500,5.0,1.4\n",
                  two_layer_latencies, conv_engine);
  const auto raw = io::scan_raw_data_dir(raw_dir.path());
  std::vector<std::string> warnings;
  const auto map = [&](double idle_uw) {
    warnings.clear();
    ds::map_model(raw.models.front(), idle_uw, {}, [](const io::layerwise_row&) {},
                  [&](std::string_view w) { warnings.emplace_back(w); });
  };
  map(4'000'000);  // 4 W idle, the log's 5–7 µW
  ASSERT_EQ(warnings.size(), 1u);
  for (const auto* part : {"m_power_log.log: its mean power, 6e-06 W, is below the idle power taken, 4 W",
                           "the log's columns in mV and mA, the idle in µW"})
    EXPECT_NE(warnings[0].find(part), std::string::npos) << warnings[0];
  map(5);  // 5 µW idle: the log is above it
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  map(0.004);  // an idle a thousandth of the log's 6 µW or less: an idle of 4 W written in W, read as µW
  ASSERT_EQ(warnings.size(), 1u);
  for (const auto* part : {"m_power_log.log: the idle power taken, 4e-09 W", "under a thousandth of its mean power",
                           "is the idle in µW (not W or mW)?"})
    EXPECT_NE(warnings[0].find(part), std::string::npos) << warnings[0];
  map(0);  // no idle power to take: nothing to warn of
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(MapModel, PoliciesAreChosenAtRunTime) {
  temp_dir raw_dir;
  // Stamps of a cycle 10 µs apart: taken after the inference.
  write_raw_model(raw_dir.path(), "m",
                  "20241121-00:00:00.998000,1000.0,1.0\n20241121-00:00:01.000000,1000.0,3.0\n"
                  "20241121-00:00:01.002000,1000.0,5.0\n",
                  R"({"a": [[1.0, "20241121-00:00:01.001000"]], "b": [[0.5, "20241121-00:00:01.001010"]]})",
                  conv_engine);
  const auto raw = io::scan_raw_data_dir(raw_dir.path());
  ds::map_summary summary;
  const auto rows = map_through_file(
      raw, "m", {.timeline = ds::timeline_choice::back_to_back, .attribution = ds::attribution_choice::interpolated, .rail = {}},
      &summary);
  EXPECT_EQ(summary.timeline, "back-to-back");
  EXPECT_EQ(summary.attribution, "interpolated");
  // Back to back before the last stamp: a over [0.999510, 1.000510] s, b over [1.000510, 1.001010] s.
  // The power rises 1 µW per µs through 3000 µW at 1 s, so each mean is the value at the middle.
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_DOUBLE_EQ(*rows[0].with_idle, 3010.0);
  EXPECT_DOUBLE_EQ(*rows[1].with_idle, 3760.0);
}

TEST(MapModel, ErrorsNameTheFiles) {
  temp_dir raw_dir;
  write_raw_model(raw_dir.path(), "bare", "20241121-00:00:01.000000,5000.0,1000.0\n", R"({"conv": [1.0, 2.0]})",
                  conv_engine);
  write_raw_model(raw_dir.path(), "negative", "20241121-00:00:01.000000,5000.0,1000.0\n",
                  R"({"conv": [[-1.0, "20241121-00:00:01.000000"]]})", conv_engine);
  write_raw_model(raw_dir.path(), "garbled", "20241121-00:00:01.000000,5000.0,1000.0\n",
                  R"({"conv": [[1.0, "yesterday"]]})", conv_engine);
  const auto raw = io::scan_raw_data_dir(raw_dir.path());
  EXPECT_ERROR_MENTIONS(map_through_file(raw, "bare", {}), "trt_layer_latency.json", "no time stamps");
  EXPECT_ERROR_MENTIONS(map_through_file(raw, "negative", {}), "trt_layer_latency.json", "\"conv\"", "cycle 1");
  EXPECT_ERROR_MENTIONS(map_through_file(raw, "garbled", {}), "trt_layer_latency.json:1", "yesterday");
}

// Deconvolution end to end: a simulated run written in the reference's layout, mapped with
// `--attribution deconvolved`, against the simulator's ground_truth.json.
TEST(MapModel, DeconvolvedMatchesTheGroundTruthOfASimulatedRun) {
  LAYERWATT_REQUIRE_SHARED();
  temp_dir raw_dir;
  namespace sim = layerwatt::sim;
  sim::device_profile profile;
  profile.sensor.channels = 1;  // a 280 µs sensor read every 50 µs, stamps at each layer's end
  profile.sensor.bus_conversion_us = profile.sensor.shunt_conversion_us = 140;
  profile.logger.period_us = 50;
  profile.profiler.stamps = sim::stamp_mode::layer_end;
  const auto start = layerwatt::parse_time_stamp("20250101-00:00:00.0");
  const std::vector<sim::model_to_simulate> models{
      {"resnet18", io::read_engine_info(reference_data("engine_info/jetson_orin/resnet18.json")), start}};
  sim::simulate_raw_data(raw_dir.path(), models, profile, {.seed = 2, .cycles = 800, .jobs = 1, .on_model_done = {}},
                         start);
  const auto raw = io::scan_raw_data_dir(raw_dir.path());
  const ds::map_options options{.timeline = ds::timeline_choice::back_to_back,
                                .attribution = ds::attribution_choice::deconvolved,
                                .refresh_interval = {},
                                .rail = {}};
  ds::map_summary summary;
  const auto rows = map_through_file(raw, "resnet18", options, &summary);
  ASSERT_TRUE(summary.deconvolution);
  EXPECT_EQ(summary.attribution, "deconvolved");
  EXPECT_TRUE(summary.deconvolution->grid.located());
  EXPECT_EQ(summary.deconvolution->refresh_interval_us, 280);

  const auto truth = sim::read_ground_truth(raw_dir / "resnet18" / "ground_truth.json");
  std::map<std::string, double, std::less<>> power;  // every cycle of a layer has the same
  for (const auto& r : rows) {
    if (!r.without_idle) continue;
    const auto [it, fresh] = power.emplace(r.name, *r.without_idle);
    if (!fresh) {
      ASSERT_EQ(it->second, *r.without_idle) << r.name;
    }
  }
  std::size_t compared = 0;
  for (const auto& layer : truth.layers) {
    if (!layerwatt::classify_layer_type(layer.layer_type) || layer.runtime_ms < 0.025) continue;
    ASSERT_TRUE(power.contains(layer.name)) << layer.name;
    EXPECT_NEAR(power[layer.name], *layer.power_excluding_idle_uw, 0.08 * *layer.power_excluding_idle_uw) << layer.name;
    ++compared;
  }
  EXPECT_GT(compared, 12u);

  // Without the .meta.json the interval must be given.
  std::filesystem::remove(*raw.models.front().power_log_meta);
  const auto bare = io::scan_raw_data_dir(raw_dir.path());
  EXPECT_ERROR_MENTIONS(map_through_file(bare, "resnet18", options), "refresh interval", "--refresh-us");
  auto given = options;
  given.refresh_interval = microseconds{280};
  EXPECT_EQ(map_through_file(bare, "resnet18", given), rows);
}

}  // namespace map_model_test
