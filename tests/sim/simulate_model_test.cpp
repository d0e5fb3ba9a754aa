#include "layerwatt/sim/simulate_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/temp_dir.hpp"
#include "support/shared_data.hpp"

namespace layerwatt::sim {
namespace simulate_model_test {

const time_stamp start = parse_time_stamp("20250101-00:00:00.0");

io::engine_info resnet18() {
  return io::read_engine_info(testing::reference_data("engine_info/jetson_orin/resnet18.json"));
}

run_options options(std::int64_t cycles, std::uint64_t seed = 1) { return {.seed = seed, .cycles = cycles, .start = start}; }

/// A noise-free device read by a fast sensor and logger: what the log shows is the truth,
/// averaged over a 280 µs window and stepped by the registers.
device_profile noiseless() {
  device_profile p;
  p.compute.runtime_noise_sigma = 0;
  p.power.noise_sigma = 0;
  p.sensor.current_noise_ma = 0;
  p.sensor.bus_conversion_us = p.sensor.shunt_conversion_us = 140;
  p.sensor.channels = 1;
  p.logger.period_us = 20;
  p.logger.jitter_us = 0;
  p.logger.stall_probability = 0;
  p.profiler.stamps = stamp_mode::layer_end;
  return p;
}

TEST(SimulateModel, TheSameSeedGivesTheSameRunAndAnotherSeedAnother) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = resnet18();
  const device_profile p;
  const auto a = simulate_model(engine, "resnet18", p, options(20)), b = simulate_model(engine, "resnet18", p, options(20));
  const auto c = simulate_model(engine, "resnet18", p, options(20, 2));
  const auto d = simulate_model(engine, "resnet18_copy", p, options(20));
  EXPECT_EQ(a.latencies, b.latencies);
  EXPECT_EQ(to_json(a.truth), to_json(b.truth));
  ASSERT_EQ(a.power_log.size(), b.power_log.size());
  for (std::size_t i = 0; i < a.power_log.size(); ++i) {
    ASSERT_EQ(a.power_log[i].t, b.power_log[i].t);
    ASSERT_EQ(a.power_log[i].readings, b.power_log[i].readings);
  }
  EXPECT_NE(a.latencies, c.latencies);
  EXPECT_NE(a.latencies, d.latencies);  // each model has its own stream
}

TEST(SimulateModel, StampModesShareThePowerLogAndDifferInTheStamps) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = resnet18();
  device_profile p;
  p.profiler.stamps = stamp_mode::layer_end;
  const auto end = simulate_model(engine, "m", p, options(30));
  p.profiler.stamps = stamp_mode::callback;
  const auto callback = simulate_model(engine, "m", p, options(30));
  ASSERT_EQ(end.power_log.size(), callback.power_log.size());
  for (std::size_t i = 0; i < end.power_log.size(); ++i) ASSERT_EQ(end.power_log[i].readings, callback.power_log[i].readings);
  for (std::size_t i = 0; i < engine.layers.size(); ++i)
    EXPECT_EQ(end.latencies.layers[i].latency_ms, callback.latencies.layers[i].latency_ms);

  const auto& windows = end.truth.inference_windows;
  ASSERT_EQ(windows.size(), 30u);
  for (std::size_t k = 0; k < windows.size(); ++k) {
    const auto [first, last] = windows[k];
    time_stamp previous = first;
    for (std::size_t i = 0; i < engine.layers.size(); ++i) {
      // Layer end: within the inference, in order, the last at its end.
      const time_stamp stamp = end.latencies.layers[i].end_stamps[k];
      EXPECT_GE(stamp, previous);
      EXPECT_LE(stamp, last);
      previous = stamp;
      // Callback: after the inference, all within the callbacks' few hundred µs.
      const time_stamp late = callback.latencies.layers[i].end_stamps[k];
      EXPECT_GE(late, last + microseconds{static_cast<std::int64_t>(p.profiler.callback_delay_us) - 20});
      EXPECT_LE(late, last + microseconds{1000});
    }
    EXPECT_EQ(previous, last);
  }
}

TEST(SimulateModel, TheClockOffsetShiftsEveryProfilerStamp) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = resnet18();
  device_profile p;
  const auto base = simulate_model(engine, "m", p, options(5));
  p.profiler.clock_offset_us = -1500;
  const auto shifted = simulate_model(engine, "m", p, options(5));
  for (std::size_t i = 0; i < engine.layers.size(); ++i)
    for (std::size_t k = 0; k < 5; ++k)
      EXPECT_NEAR(static_cast<double>((shifted.latencies.layers[i].end_stamps[k] - base.latencies.layers[i].end_stamps[k]).count()),
                  -1500, 1);
  EXPECT_EQ(shifted.truth.inference_windows, base.truth.inference_windows);
}

TEST(SimulateModel, LatenciesAreTheTrueRuntimesOnTheTimersTicks) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = resnet18();
  const auto run = simulate_model(engine, "m", noiseless(), options(10));
  ASSERT_EQ(run.truth.layers.size(), engine.layers.size());
  for (std::size_t i = 0; i < engine.layers.size(); ++i) {
    const auto& truth = run.truth.layers[i];
    EXPECT_EQ(truth.name, engine.layers[i].name);
    ASSERT_EQ(run.latencies.layers[i].latency_ms.size(), 10u);
    for (const double ms : run.latencies.layers[i].latency_ms) {
      EXPECT_NEAR(ms, truth.runtime_ms, 16e-6 + 1e-6 * truth.runtime_ms) << truth.name;
      const double ns = ms * 1e6;  // a multiple of 32 ns, as float: exact to float's 24 bits
      EXPECT_NEAR(ns, 32 * std::round(ns / 32), 1e-6 * ns) << truth.name;
    }
    EXPECT_EQ(truth.power_uw.has_value(), engine.layers[i].layer_type != "NoOp") << truth.name;
  }
}

TEST(SimulateModel, ALongWindowMeanOfTheLogMatchesTheTruePower) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = io::read_engine_info(testing::reference_data("engine_info/jetson_orin/vgg16.json"));
  const device_profile p = noiseless();
  const auto run = simulate_model(engine, "vgg16", p, options(20));
  const double window = static_cast<double>(run.truth.refresh_interval_us);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < engine.layers.size(); ++i) {
    const auto& truth = run.truth.layers[i];
    if (truth.runtime_ms * 1000 < 4 * window) continue;
    // A reading at s averages [T − W, T] with s − W < T ≤ s: inside the layer when s ∈ [start + 2W, end].
    double sum = 0;
    std::size_t n = 0;
    std::size_t at = 0;
    for (std::size_t k = 0; k < 20; ++k) {
      const time_stamp end = run.latencies.layers[i].end_stamps[k];
      const time_stamp from = end - microseconds{static_cast<std::int64_t>(truth.runtime_ms * 1000 - 2 * window - 2)};
      while (at < run.power_log.size() && run.power_log[at].t < from) ++at;
      for (; at < run.power_log.size() && run.power_log[at].t < end; ++at) {
        sum += run.power_log[at].readings[0] * run.power_log[at].readings[1];
        ++n;
      }
    }
    ASSERT_GT(n, 100u) << truth.name;
    EXPECT_NEAR(sum / static_cast<double>(n), *truth.power_uw, 0.005 * *truth.power_uw) << truth.name;
    ++checked;
  }
  EXPECT_GE(checked, 1u);  // vgg16's first linear layer reads 205 MB of weights: over a millisecond
}

TEST(SimulateModel, TheLogRepeatsAReadingUntilTheSensorRefreshes) {
  LAYERWATT_REQUIRE_SHARED();
  const auto run = simulate_model(resnet18(), "m", device_profile{}, options(200));
  const auto refresh = [&](time_stamp t) {
    return static_cast<std::int64_t>(std::floor(static_cast<double>((t - run.truth.first_refresh).count()) /
                                                 static_cast<double>(run.truth.refresh_interval_us)));
  };
  std::uint64_t identical = 0;
  std::size_t changes = 0;
  for (std::size_t i = 0; i < run.power_log.size(); ++i) {
    const auto& [mv, ma] = run.power_log[i].readings;
    EXPECT_EQ(mv, 5000);
    EXPECT_EQ(std::fmod(ma, 8), 0) << "the shunt register's 8 mA steps";
    if (i == 0) continue;
    const auto& before = run.power_log[i - 1];
    identical += before.readings == run.power_log[i].readings;
    if (refresh(before.t) == refresh(run.power_log[i].t))
      EXPECT_EQ(before.readings, run.power_log[i].readings) << "no refresh between lines " << i - 1 << " and " << i;
    else
      ++changes;
  }
  EXPECT_GT(changes, run.power_log.size() / 6);  // 1.4 ms period, 6.6 ms refresh: one line in ~5 sees a new value
  EXPECT_LT(changes, run.power_log.size() / 3);
  EXPECT_EQ(run.meta.stats.identical_consecutive, identical);
  EXPECT_EQ(run.meta.stats.samples, run.power_log.size());
  EXPECT_EQ(run.meta.refresh_interval, microseconds{6600});
  EXPECT_EQ(run.meta.source, "simulator");
  EXPECT_NEAR(run.meta.stats.period_p50_us, 1400, 20);
}

TEST(SimulateModel, TheRunIsLaidOutAsTheReferenceRecordsIt) {
  LAYERWATT_REQUIRE_SHARED();
  const auto engine = resnet18();
  const device_profile p;
  const auto run = simulate_model(engine, "resnet18", p, options(50));
  EXPECT_EQ(run.power_log.front().t, start);
  EXPECT_LT(run.power_log.front().t + microseconds{static_cast<std::int64_t>(p.run.lead_in_ms * 1000)},
            run.truth.inference_windows.front().first + microseconds{1});
  EXPECT_GT(run.power_log.back().t, run.truth.inference_windows.back().second);
  EXPECT_EQ(run.summary.latencies_s.size(), 50u);
  EXPECT_EQ(run.summary.config.at("runs"), 50);
  EXPECT_EQ(run.summary.config.at("input_shape"), (std::vector<std::int64_t>{1, 3, 224, 224}));
  EXPECT_EQ(run.summary.config.at("dtype"), "float16");
  double inference_ms = 0;
  for (const auto& l : run.truth.layers) inference_ms += l.runtime_ms;
  EXPECT_GT(run.summary.avg_latency_s * 1000, inference_ms);  // it includes the host's share
  EXPECT_EQ(run.truth.idle_power_uw, p.power.idle_mw * 1000);
  EXPECT_ERROR_MENTIONS(simulate_model(engine, "m", p, options(0)), "m", "at least one cycle");
  EXPECT_ERROR_MENTIONS(simulate_model(io::engine_info{}, "empty", p, options(1)), "empty", "no layers");
  io::engine_info twice = engine;
  twice.layers[2].name = twice.layers[1].name;
  EXPECT_ERROR_MENTIONS(simulate_model(twice, "twice", p, options(1)), "twice", "must be unique");
}

}  // namespace simulate_model_test
}  // namespace layerwatt::sim
