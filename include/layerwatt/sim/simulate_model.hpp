#pragma once
// One benchmark run of one network on the simulated device, as the reference's Jetson scripts
// record it: the power log (with its .meta.json), the layer latencies with stamps, the benchmark
// summary and the engine file — plus the ground truth.
//
// The run on the logger's clock (µs from the first log line):
//   lead-in (idle) | cycle 0 | cycle 1 | ... | lead-out (idle)
//   cycle k = host gap (GPU idle) | layers back to back on the GPU | profiler callbacks (GPU idle)
// A layer's runtime and dynamic power are its expectation (device_model.hpp) times per-cycle
// log-normal noise, and optionally a slow drift of the dynamic power. The sensor publishes the
// window mean every refresh interval from a random phase; the logger reads the last published
// value at its own jittered instants. Stamps are the layer's true end (`layer-end`) or the
// callback instants after the inference (`callback`), plus the profiler's clock offset; both
// modes give the same power log for the same seed.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/benchmark_summary.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/layer_latency.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/sim/device_model.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/ground_truth.hpp"
#include "layerwatt/sim/ina3221.hpp"
#include "layerwatt/sim/layer_cost.hpp"
#include "layerwatt/sim/logged_power.hpp"
#include "layerwatt/sim/power_signal.hpp"
#include "layerwatt/sim/random.hpp"

namespace layerwatt::sim {

struct run_options {
  std::uint64_t seed = 1;
  std::int64_t cycles = 2000;
  time_stamp start{};  ///< the first log line's time
};

struct simulated_run {
  std::vector<power_log_line> power_log;
  io::power_log_meta meta;
  io::layer_latencies latencies;
  io::benchmark_summary summary;
  ground_truth truth;
};

namespace detail {

/// What TensorRT's profiler reports for a runtime: a multiple of the GPU timer's tick, as float.
inline double reported_latency_ms(double runtime_us, double resolution_ns) {
  const double ns = resolution_ns > 0 ? std::round(runtime_us * 1000 / resolution_ns) * resolution_ns : runtime_us * 1000;
  return static_cast<double>(static_cast<float>(ns / 1e6));
}

}  // namespace detail

/// The per-model random seed: a model's data does not depend on which other models run with it.
inline std::uint64_t model_seed(std::uint64_t seed, std::string_view model) { return hash_text(model, seed); }

inline simulated_run simulate_model(const io::engine_info& engine, std::string_view model,
                                    const device_profile& profile, const run_options& options) {
  if (options.cycles < 1) throw error(fmt::format("{}: at least one cycle to simulate, got {}", model, options.cycles));
  if (engine.layers.empty()) throw error(fmt::format("{}: the engine has no layers", model));
  const std::size_t n = engine.layers.size();
  const auto cycles = static_cast<std::size_t>(options.cycles);
  // The latency file is keyed by layer name: a repeated name would make it unreadable.
  std::unordered_set<std::string_view> names;
  for (const auto& l : engine.layers)
    if (!names.insert(l.name).second)
      throw error(fmt::format("{}: two layers are named {}; layer names must be unique", model, quote_excerpt(l.name)));

  std::uint64_t seeds = model_seed(options.seed, model);
  random_stream runtime_noise(splitmix64(seeds)), power_noise(splitmix64(seeds)), gaps(splitmix64(seeds)),
      callbacks(splitmix64(seeds)), logger(splitmix64(seeds)), sensor_noise(splitmix64(seeds)),
      phase(splitmix64(seeds));

  std::vector<layer_expectation> expected(n);
  for (std::size_t i = 0; i < n; ++i) expected[i] = expected_layer(engine.layers[i], profile);

  simulated_run run;
  const double idle_uw = profile.power.idle_mw * 1000;
  power_signal signal(idle_uw);
  signal.reserve(n * cycles);
  run.latencies.stamped = true;
  run.latencies.layers.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    run.latencies.layers[i].name = engine.layers[i].name;
    run.latencies.layers[i].latency_ms.reserve(cycles);
    run.latencies.layers[i].end_stamps.reserve(cycles);
  }
  std::vector<double> runtime_sum(n), power_sum(n), ends(n);
  std::vector<std::size_t> runs(n);
  run.truth.inference_windows.reserve(cycles);
  run.summary.latencies_s.reserve(cycles);

  const profiler_profile& prof = profile.profiler;
  const auto drift = [&](double t_us) {
    const auto& w = profile.power;
    return 1 + w.drift_fraction * (1 - std::exp(-t_us * 1e-6 / w.drift_time_constant_s));
  };
  double t = profile.run.lead_in_ms * 1000;
  for (std::size_t k = 0; k < cycles; ++k) {
    const double cycle_start = t;
    t += profile.run.inference_gap_us * gaps.lognormal(profile.run.gap_sigma);
    const double inference_start = t;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = expected[i];
      if (e.runtime_us > 0) {
        const double duration = e.runtime_us * runtime_noise.lognormal(profile.compute.runtime_noise_sigma);
        const double dynamic = e.dynamic_power_uw * power_noise.lognormal(profile.power.noise_sigma) * drift(t);
        signal.add(t, t + duration, dynamic);
        run.latencies.layers[i].latency_ms.push_back(
            detail::reported_latency_ms(duration, profile.compute.timer_resolution_ns));
        runtime_sum[i] += duration;
        power_sum[i] += idle_uw + dynamic;
        ++runs[i];
        t += duration;
      } else {
        run.latencies.layers[i].latency_ms.push_back(0.0);
      }
      ends[i] = t;
    }
    const double inference_end = t;
    // The profiler's callbacks follow the inference in layer order; the host is busy until the last.
    double callback = inference_end + prof.callback_delay_us - prof.callback_spacing_us;
    for (std::size_t i = 0; i < n; ++i) {
      callback = std::max(callback, callback + prof.callback_spacing_us + prof.callback_jitter_us * callbacks.normal());
      const double stamp = prof.stamps == stamp_mode::callback ? callback : ends[i];
      run.latencies.layers[i].end_stamps.push_back(detail::at(options.start, stamp + prof.clock_offset_us));
    }
    t = std::max(callback, inference_end);
    run.truth.inference_windows.emplace_back(detail::at(options.start, inference_start),
                                             detail::at(options.start, inference_end));
    run.summary.latencies_s.push_back((inference_end - cycle_start) * 1e-6);
  }
  const double log_end = t + profile.run.lead_out_ms * 1000;

  logged_power logged = log_power(signal, log_end, profile, options.start, {logger, sensor_noise, phase});
  run.power_log = std::move(logged.lines);
  run.meta = std::move(logged.meta);
  const ina3221 chip(profile.sensor);
  const double phase_us = logged.first_refresh_us;

  const io::engine_layer& first = engine.layers.front();
  const bool fp32 = !first.inputs.empty() && first.inputs.front().precision() == io::precision::fp32;
  io::benchmark_summary& summary = run.summary;
  summary.config = {{"model", std::string(model)},
                    {"dtype", fp32 ? "float32" : "float16"},
                    {"input_shape", first.inputs.empty() ? std::vector<std::int64_t>{} : first.inputs.front().dimensions},
                    {"warmup", 0},
                    {"runs", options.cycles},
                    {"optimization_level", 3},
                    {"min_block_size", 5},
                    {"result_dir", "simulated"},
                    {"source", "layerwatt simulate"}};
  summary.total_time_s = log_end * 1e-6;
  summary.timestamp = to_idle_string(options.start);
  double total = 0;
  for (const double l : summary.latencies_s) total += l;
  summary.avg_latency_s = total / static_cast<double>(cycles);
  const double batch = first.inputs.empty() || first.inputs.front().dimensions.empty()
                           ? 1
                           : static_cast<double>(first.inputs.front().dimensions.front());
  summary.avg_throughput = batch / summary.avg_latency_s;

  ground_truth& truth = run.truth;
  truth.model = std::string(model);
  truth.seed = options.seed;
  truth.cycles = options.cycles;
  truth.profile = profile;
  truth.idle_power_uw = idle_uw;
  truth.refresh_interval_us = chip.refresh_interval_us();
  truth.first_refresh = detail::at(options.start, phase_us);
  truth.layers.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const layer_cost c = cost_of(engine.layers[i]);
    layer_truth l{engine.layers[i].name, engine.layers[i].layer_type, runtime_sum[i] / static_cast<double>(cycles) / 1000,
                  std::nullopt, std::nullopt, c.flops, c.bytes};
    if (runs[i] > 0) {
      l.power_uw = power_sum[i] / static_cast<double>(runs[i]);
      l.power_excluding_idle_uw = *l.power_uw - idle_uw;
    }
    truth.layers.push_back(std::move(l));
  }
  return run;
}

}  // namespace layerwatt::sim
