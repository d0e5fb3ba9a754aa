#include "layerwatt/join/deconvolved.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "join_test_support.hpp"
#include "layerwatt/dataset/layer_kind.hpp"
#include "layerwatt/join/back_to_back.hpp"
#include "layerwatt/join/join.hpp"
#include "layerwatt/sim/simulate_model.hpp"
#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace io = layerwatt::io;
namespace join = layerwatt::join;
namespace sim = layerwatt::sim;
using layerwatt::microseconds;
using layerwatt::testing::at_us;

namespace deconvolved_test {

constexpr double idle_uw = 5'000'000;

/// A run built by hand with an exact sensor: layers back to back in every cycle, each drawing
/// idle + its own constant power; a sensor that publishes at phase + k·W the exact mean over the W
/// before (no noise, no steps); a logger reading it every `period` µs. Stamps are truncated to the
/// µs, and everything happens ½ µs after its stamp: what the policy assumes on average, here
/// exactly.
struct scenario {
  std::vector<std::int64_t> layer_us;      ///< each layer's duration in every cycle
  std::vector<double> layer_uw;            ///< each layer's power above idle
  std::int64_t cycles = 0;
  std::int64_t lead_in_us = 2'000, lead_out_us = 2'000;
  std::int64_t interval_us = 100;          ///< W
  std::int64_t phase_us = 51;              ///< a refresh instant
  std::int64_t period_us = 7;              ///< the logger's, coprime with W: its lines meet every phase
  std::int64_t jitter_us = 0;              ///< each period is off by up to this, deterministically

  std::vector<join::layer_window> windows;
  std::vector<join::entry_index> entries;
  std::vector<io::power_sample> samples;

  /// Builds the run; cycle c waits an idle gap that varies, so refreshes cut the cycles everywhere.
  void build() {
    std::vector<std::pair<double, double>> edges;  // (time, power above idle from then on)
    std::int64_t t = lead_in_us;
    for (std::int64_t c = 0; c < cycles; ++c) {
      for (std::size_t l = 0; l < layer_us.size(); ++l) {
        windows.push_back({at_us(t), at_us(t + layer_us[l])});
        entries.push_back({static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(c)});
        edges.emplace_back(static_cast<double>(t) + 0.5, layer_uw[l]);
        t += layer_us[l];
      }
      edges.emplace_back(static_cast<double>(t) + 0.5, 0.0);
      t += 10 + (c * 7'919) % 37;
    }
    const std::int64_t end = t + lead_out_us;
    // The energy above idle before time x (µs), from the piecewise-constant power.
    std::vector<double> energy_before{0};
    for (std::size_t i = 1; i < edges.size(); ++i)
      energy_before.push_back(energy_before.back() + edges[i - 1].second * (edges[i].first - edges[i - 1].first));
    const auto energy = [&](double x) {
      const auto it = std::upper_bound(edges.begin(), edges.end(), x, [](double v, const auto& e) { return v < e.first; });
      if (it == edges.begin()) return 0.0;
      const auto i = static_cast<std::size_t>(it - edges.begin()) - 1;
      return energy_before[i] + edges[i].second * (x - edges[i].first);
    };
    const auto w = static_cast<double>(interval_us), phase = static_cast<double>(phase_us);
    for (std::int64_t s = 0, k = 0; s < end; s += period_us + (k++ * 7'919) % (2 * jitter_us + 1) - jitter_us) {
      const double read = static_cast<double>(s) + 0.5;
      const double refresh = phase + std::floor((read - phase) / w) * w;
      samples.push_back({at_us(s), idle_uw + (energy(refresh) - energy(refresh - w)) / w});
    }
  }

  [[nodiscard]] join::power_signal signal() const { return {samples, microseconds{interval_us}}; }

  std::vector<double> attribute(join::deconvolved policy = join::deconvolved{}) const {
    std::vector<double> power(windows.size());
    policy.attribute(signal(), windows, entries, power);
    return power;
  }
};

/// A built run of one layer drawing 1 W above idle.
scenario one_layer(std::int64_t layer_us, std::int64_t cycles) {
  scenario s;
  s.layer_us = {layer_us};
  s.layer_uw = {1'000'000};
  s.cycles = cycles;
  s.build();
  return s;
}

/// Each layer's power above idle, from the first window of each layer; checks that every window
/// of a layer got the same power.
std::vector<double> per_layer(const scenario& s, const std::vector<double>& power, double idle) {
  std::vector<double> out(s.layer_us.size(), std::nan(""));
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto l = s.entries[i].layer;
    if (std::isnan(out[l])) out[l] = power[i] - idle;
    else EXPECT_EQ(power[i] - idle, out[l]) << "window " << i;
  }
  return out;
}

TEST(Deconvolved, RecoversEachLayerExactlyFromAnExactSensor) {
  scenario s;
  s.layer_us = {3, 7, 20};
  s.layer_uw = {4'000'000, 1'500'000, 2'500'000};
  s.cycles = 400;
  s.build();
  join::deconvolution_report report;
  const auto power = s.attribute(join::deconvolved({.warn = {}, .report = &report}));
  EXPECT_TRUE(report.grid.located());
  EXPECT_EQ(report.grid.consistent, report.grid.changes);
  EXPECT_NEAR(report.grid.refresh_us(0), 51, 1e-9);
  EXPECT_EQ(report.grid.interval_us, 100);
  EXPECT_EQ(report.layers, 3u);
  EXPECT_EQ(report.unseen_layers, 0u);
  EXPECT_EQ(report.contradicting, 0u);
  EXPECT_NEAR(report.idle_power_uw, idle_uw, 1e-9 * idle_uw);
  EXPECT_LT(report.residual_rms_uw, 1.0);  // of readings of 5e6 µW: rounding
  const auto got = per_layer(s, power, idle_uw);
  for (std::size_t l = 0; l < 3; ++l) EXPECT_NEAR(got[l], s.layer_uw[l], 1e-9 * s.layer_uw[l]) << l;
}

TEST(Deconvolved, GivesLayersFarShorterThanTheSamplingPeriodTheirPower) {
  // Layers of 1 to 4 µs read through a 500 µs sensor every 163 µs: most windows hold no line,
  // yet every layer's power comes out exact.
  scenario s;
  s.layer_us = {1, 2, 4, 30, 2};
  s.layer_uw = {6'000'000, 1'000'000, 3'000'000, 2'000'000, 500'000};
  s.cycles = 5'000;
  s.interval_us = 500;
  s.phase_us = 123;
  s.period_us = 163;
  s.build();
  join::deconvolution_report report;
  const auto power = s.attribute(join::deconvolved({.warn = {}, .report = &report}));
  ASSERT_TRUE(report.grid.located());
  const auto got = per_layer(s, power, report.idle_power_uw);
  for (std::size_t l = 0; l < s.layer_us.size(); ++l) EXPECT_NEAR(got[l], s.layer_uw[l], 1e-8 * s.layer_uw[l]) << l;
}

TEST(Deconvolved, ALayerBelowIdleIsHeldAtIdle) {
  // The second layer draws less than idle: the constraint d ≥ 0 binds, and it gets exactly the
  // solved idle power.
  scenario s;
  s.layer_us = {10, 6, 15};
  s.layer_uw = {3'000'000, -800'000, 2'000'000};
  s.cycles = 300;
  s.build();
  join::deconvolution_report report;
  const auto power = s.attribute(join::deconvolved({.warn = {}, .report = &report}));
  EXPECT_EQ(report.layers_at_idle, 1u);
  const auto got = per_layer(s, power, report.idle_power_uw);
  EXPECT_EQ(got[1], 0.0);
  EXPECT_GT(got[0], 0.0);
  EXPECT_GT(got[2], 0.0);
  EXPECT_GT(report.residual_rms_uw, 1.0);  // the model can no longer fit exactly
}

TEST(Deconvolved, LayersNoReadingSeesGetNoPower) {
  scenario s;
  s.layer_us = {5, 0, 9};  // the second never runs (a NoOp: 0 ms)
  s.layer_uw = {2'000'000, 0, 1'000'000};
  s.cycles = 200;
  s.build();
  // A fourth layer that runs once, long after the log ends.
  s.windows.push_back({at_us(50'000'000), at_us(50'000'100)});
  s.entries.push_back({3, 0});
  join::deconvolution_report report;
  const auto power = s.attribute(join::deconvolved({.warn = {}, .report = &report}));
  EXPECT_EQ(report.layers, 4u);
  EXPECT_EQ(report.unseen_layers, 2u);
  for (std::size_t i = 0; i < power.size(); ++i) {
    const auto l = s.entries[i].layer;
    EXPECT_EQ(std::isnan(power[i]), l == 1 || l == 3) << i;
  }
  EXPECT_NEAR(power[0] - report.idle_power_uw, 2'000'000, 1e-3);
  EXPECT_NEAR(power[2] - report.idle_power_uw, 1'000'000, 1e-3);
}

TEST(Deconvolved, LayersTheDataCannotTellApartShareTheirSum) {
  // Two layers whose windows are always the same: only the sum of their powers is seen.
  scenario s;
  s.layer_us = {8, 12};
  s.layer_uw = {3'000'000, 1'000'000};
  s.cycles = 300;
  s.build();
  const std::size_t n = s.windows.size();
  for (std::size_t i = 0; i < n; ++i)
    if (s.entries[i].layer == 1) {
      s.windows.push_back(s.windows[i]);
      s.entries.push_back({2, s.entries[i].cycle});
    }
  join::deconvolution_report report;
  const auto power = s.attribute(join::deconvolved({.warn = {}, .report = &report}));
  double second = 0, third = 0;
  for (std::size_t i = 0; i < power.size(); ++i) {
    ASSERT_TRUE(std::isfinite(power[i]));
    if (s.entries[i].layer == 1) second = power[i] - report.idle_power_uw;
    if (s.entries[i].layer == 2) third = power[i] - report.idle_power_uw;
  }
  EXPECT_GE(second, 0.0);
  EXPECT_GE(third, 0.0);
  EXPECT_NEAR(second + third, 1'000'000, 1e-3);
}

TEST(Deconvolved, AnUnknownPhaseStillGivesLongLayersTheirPower) {
  // The logger (150 µs) is slower than the sensor (100 µs): every line is a new reading and no
  // value change pins a refresh. Each reading is then modelled with its refresh anywhere in the
  // W before its line; long layers come out close, short ones cannot be resolved.
  scenario s;
  s.layer_us = {400, 700, 300};
  s.layer_uw = {3'000'000, 1'000'000, 2'000'000};
  s.cycles = 300;
  s.period_us = 150;
  s.jitter_us = 40;
  s.build();
  std::vector<std::string> warnings;
  join::deconvolution_report report;
  const auto power =
      s.attribute(join::deconvolved({.warn = [&](std::string_view w) { warnings.emplace_back(w); }, .report = &report}));
  EXPECT_FALSE(report.grid.located());
  EXPECT_EQ(report.grid.changes, 0u);
  EXPECT_TRUE(warnings.empty());  // nothing odd: this logger cannot locate the refreshes
  const auto got = per_layer(s, power, report.idle_power_uw);
  for (std::size_t l = 0; l < 3; ++l) EXPECT_NEAR(got[l], s.layer_uw[l], 0.05 * s.layer_uw[l]) << l;
}

TEST(Deconvolved, WarnsWhenTheValueChangesFitNoRefreshGrid) {
  const scenario s = one_layer(40, 100);
  // Claim the sensor refreshes every 130 µs: its changes every 100 µs fit no such grid.
  std::vector<std::string> warnings;
  std::vector<double> power(s.windows.size());
  join::deconvolved({.warn = [&](std::string_view w) { warnings.emplace_back(w); }})
      .attribute({s.samples, microseconds{130}}, s.windows, s.entries, power);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("fit no sensor refresh grid near 130 µs"), std::string::npos) << warnings[0];
}

TEST(Deconvolved, NeedsTheRefreshIntervalAndOrderedSamples) {
  scenario s = one_layer(10, 3);
  std::vector<double> power(s.windows.size());
  join::deconvolved policy;
  EXPECT_ERROR_MENTIONS(policy.attribute({s.samples, std::nullopt}, s.windows, s.entries, power), "refresh interval",
                        "--refresh-us");
  std::swap(s.samples[3], s.samples[4]);
  EXPECT_ERROR_MENTIONS(policy.attribute(s.signal(), s.windows, s.entries, power), "power sample 5", "time order");
  // No samples: no power anywhere.
  policy.attribute({{}, microseconds{100}}, s.windows, s.entries, power);
  EXPECT_TRUE(std::all_of(power.begin(), power.end(), [](double p) { return std::isnan(p); }));
}

TEST(Deconvolved, MatchesTheSimulatorsGroundTruth) {
  LAYERWATT_REQUIRE_SHARED();
  // resnet18 on the simulated device with every noise on, read through a fast sensor (one
  // channel, 140 µs conversions: 280 µs) by a 50 µs logger, stamps at each layer's end.
  const auto engine = io::read_engine_info(layerwatt::testing::reference_data("engine_info/jetson_orin/resnet18.json"));
  sim::device_profile profile;
  profile.sensor.channels = 1;
  profile.sensor.bus_conversion_us = profile.sensor.shunt_conversion_us = 140;
  profile.logger.period_us = 50;
  profile.profiler.stamps = sim::stamp_mode::layer_end;
  const auto run = sim::simulate_model(engine, "resnet18", profile,
                                       {.seed = 3, .cycles = 1'000, .start = layerwatt::parse_time_stamp("20250101-00:00:00.0")});
  std::vector<io::power_sample> samples;
  for (const auto& line : run.power_log) samples.push_back({line.t, line.readings[0] * line.readings[1]});
  join::deconvolution_report report;
  const auto joined = join::join(run.latencies, {samples, run.meta.refresh_interval}, join::back_to_back{},
                                 join::deconvolved({.warn = {}, .report = &report}));
  EXPECT_TRUE(report.grid.located());
  EXPECT_NEAR(report.idle_power_uw, run.truth.idle_power_uw, 0.001 * run.truth.idle_power_uw);
  std::vector<double> power(engine.layers.size(), std::nan(""));
  for (std::size_t i = 0; i < joined.entries.size(); ++i) power[joined.entries[i].layer] = joined.power_uw[i];
  std::vector<double> errors;
  for (std::size_t l = 0; l < engine.layers.size(); ++l) {
    const auto& truth = run.truth.layers[l];
    if (!layerwatt::classify_layer_type(truth.layer_type)) continue;
    const double error = (power[l] - report.idle_power_uw - *truth.power_excluding_idle_uw) / *truth.power_excluding_idle_uw;
    errors.push_back(std::fabs(error));
    if (truth.runtime_ms >= 0.015) {
      EXPECT_LT(std::fabs(error), 0.06) << truth.name << ", " << truth.runtime_ms << " ms";
    }
  }
  ASSERT_GT(errors.size(), 20u);
  std::nth_element(errors.begin(), errors.begin() + static_cast<std::ptrdiff_t>(errors.size() / 2), errors.end());
  EXPECT_LT(errors[errors.size() / 2], 0.025);
}

}  // namespace deconvolved_test
