#pragma once
// One network of a measurement campaign on the simulated device: the device model plays trtexec
// and the sensor and logger play layerwatt's power logger, so that the files are those `layerwatt
// measure` writes on a board (io/campaign_dir.hpp) — all but network_measurement.json, which the
// campaign's own analysis computes from them (campaign/simulate_campaign.hpp) — plus the truth.
//
// Build and profile run: the layer info is the engine as given; the profile is each layer's mean
// and median over `profile_inferences` inferences with the device model's runtime noise.
//
// Timed run, on the logger's clock (µs from the log's first line):
//
//   lead-in (idle) | "Starting inference", trtexec's zero | warm-up | timed inferences
//                  | sync and sort, "Warmup completed ..." and the summary | lead-out (idle)
//
// An inference is the host's enqueue gap (the GPU idles) then the layers back to back, each with
// the device model's runtime and dynamic power times per-inference log-normal noise (and the
// slow drift of simulate_model.hpp). trtexec counts an inference ending before `warm_up` as
// warm-up and starts none after `warm_up + duration`; --exportTimes holds the others. The output
// lines are stamped as `layerwatt measure` stamps them: "Starting inference" a few µs before the
// zero, "Warmup completed" `sync_us` after the last inference ended.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "layerwatt/core/error.hpp"
#include "layerwatt/core/time_stamp.hpp"
#include "layerwatt/io/campaign_dir.hpp"
#include "layerwatt/io/engine_info.hpp"
#include "layerwatt/io/power_log.hpp"
#include "layerwatt/io/power_log_meta.hpp"
#include "layerwatt/io/trtexec_output.hpp"
#include "layerwatt/io/trtexec_profile.hpp"
#include "layerwatt/io/trtexec_times.hpp"
#include "layerwatt/sim/device_model.hpp"
#include "layerwatt/sim/device_profile.hpp"
#include "layerwatt/sim/ground_truth.hpp"
#include "layerwatt/sim/ina3221.hpp"
#include "layerwatt/sim/layer_cost.hpp"
#include "layerwatt/sim/logged_power.hpp"
#include "layerwatt/sim/power_signal.hpp"
#include "layerwatt/sim/random.hpp"

namespace layerwatt::sim {

/// The TensorRT version the simulated trtexec reports, as its log line and its banner write it.
inline constexpr std::string_view simulated_tensorrt_version = "10.3.0", simulated_tensorrt_banner = "100300";

struct trtexec_run_options {
  std::uint64_t seed = 1;
  time_stamp start{};                ///< the power log's first line
  double warm_up_ms = 1000;          ///< trtexec --warmUp
  double duration_ms = 5000;         ///< trtexec --duration
  std::size_t profile_inferences = 500;
  double enqueue_gap_us = 20;        ///< the host's gap before each inference (C++, not Python's)
  double start_delay_us = 40;        ///< from "Starting inference" to trtexec's zero
  double sync_us = 1500;             ///< from the last inference's end to "Warmup completed"
};

struct simulated_trtexec_run {
  io::trtexec_profile profile;
  std::vector<io::trtexec_inference> times;
  std::vector<io::stamped_line> build_output, timed_output;
  logged_power power;
  ground_truth truth;  ///< its `network` set
};

namespace detail {

/// A stamped trtexec line with its `[date] [I] ` prefix.
inline io::stamped_line trtexec_line(time_stamp t, std::string_view message) {
  const std::string date = layerwatt::to_string(t);  // YYYYmmdd-HH:MM:SS.ffffff
  return {t, fmt::format("[{}/{}/{}-{}] [I] {}", date.substr(4, 2), date.substr(6, 2), date.substr(0, 4),
                         date.substr(9, 8), message)};
}

}  // namespace detail

inline simulated_trtexec_run simulate_trtexec_run(const io::engine_info& engine, std::string_view network,
                                                  const device_profile& profile, const trtexec_run_options& options) {
  if (engine.layers.empty()) throw error(fmt::format("{}: the engine has no layers", network));
  if (options.duration_ms <= 0 || options.warm_up_ms < 0 || options.profile_inferences < 1)
    throw error(fmt::format("{}: a simulated trtexec run needs a duration above 0, a warm-up of at least 0 and at "
                            "least one profiled inference",
                            network));
  const std::size_t n = engine.layers.size();
  std::unordered_set<std::string_view> names;
  for (const auto& l : engine.layers)
    if (!names.insert(l.name).second)
      throw error(fmt::format("{}: two layers are named {}; trtexec's profile names each once", network,
                              quote_excerpt(l.name)));

  std::uint64_t seeds = hash_text(network, options.seed ^ 0x7472746578656375ULL);  // "trtexecu": not the benchmark's
  random_stream profile_noise(splitmix64(seeds)), runtime_noise(splitmix64(seeds)), power_noise(splitmix64(seeds)),
      gaps(splitmix64(seeds)), logger(splitmix64(seeds)), sensor_noise(splitmix64(seeds)), phase(splitmix64(seeds));
  std::vector<layer_expectation> expected(n);
  for (std::size_t i = 0; i < n; ++i) expected[i] = expected_layer(engine.layers[i], profile);

  simulated_trtexec_run run;
  const auto as_float = [](double v) { return static_cast<double>(static_cast<float>(v)); };

  // Build and profile run.
  run.profile.count = options.profile_inferences;
  std::vector<double> per_run(options.profile_inferences);
  double profiled_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (auto& ms : per_run)
      ms = expected[i].runtime_us * profile_noise.lognormal(profile.compute.runtime_noise_sigma) / 1000;
    double sum = 0;
    for (const double ms : per_run) sum += ms;
    std::sort(per_run.begin(), per_run.end());
    const std::size_t k = per_run.size();
    const double median = k % 2 ? per_run[k / 2] : (per_run[k / 2 - 1] + per_run[k / 2]) / 2;
    run.profile.layers.push_back({engine.layers[i].name, as_float(sum), as_float(sum / static_cast<double>(k)),
                                  as_float(median), 0});
    profiled_total += sum;
  }
  for (auto& l : run.profile.layers) l.percentage = profiled_total > 0 ? as_float(l.total_ms / profiled_total * 100) : 0;

  // Timed run.
  const double idle_uw = profile.power.idle_mw * 1000;
  const auto drift = [&](double t_us) {
    const auto& w = profile.power;
    return 1 + w.drift_fraction * (1 - std::exp(-t_us * 1e-6 / w.drift_time_constant_s));
  };
  power_signal signal(idle_uw);
  const double starting_line = profile.run.lead_in_ms * 1000, zero = starting_line + options.start_delay_us;
  const double warm_up_us = options.warm_up_ms * 1000, stop_us = warm_up_us + options.duration_ms * 1000;
  std::vector<double> runtime_sum(n), power_sum(n);
  std::size_t warm_ups = 0;
  double dynamic_energy = 0;  // µW·µs over the timed inferences
  double t = zero;
  std::vector<std::pair<double, double>> layer_costs;  // runtime, dynamic power: kept for a timed inference
  layer_costs.reserve(n);
  for (;;) {
    const double cycle_start = t;
    if (cycle_start - zero >= stop_us && !run.times.empty()) break;
    t += options.enqueue_gap_us * gaps.lognormal(profile.run.gap_sigma);
    const double inference_start = t;
    double energy = 0;
    layer_costs.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = expected[i];
      if (e.runtime_us <= 0) {
        layer_costs.emplace_back(0, 0);
        continue;
      }
      const double duration = e.runtime_us * runtime_noise.lognormal(profile.compute.runtime_noise_sigma);
      const double dynamic = e.dynamic_power_uw * power_noise.lognormal(profile.power.noise_sigma) * drift(t);
      signal.add(t, t + duration, dynamic);
      layer_costs.emplace_back(duration, dynamic);
      energy += dynamic * duration;
      t += duration;
    }
    if (t - zero < warm_up_us) {
      ++warm_ups;
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      runtime_sum[i] += layer_costs[i].first;
      if (layer_costs[i].first > 0) power_sum[i] += idle_uw + layer_costs[i].second;
    }
    dynamic_energy += energy;
    io::trtexec_inference x;
    x.start_enq_ms = (cycle_start - zero) / 1000;
    x.end_enq_ms = x.start_h2d_ms = x.end_h2d_ms = x.start_compute_ms = (inference_start - zero) / 1000;
    x.end_compute_ms = x.start_d2h_ms = x.end_d2h_ms = (t - zero) / 1000;
    x.compute_ms = x.latency_ms = (t - inference_start) / 1000;
    run.times.push_back(x);
    run.truth.inference_windows.emplace_back(detail::at(options.start, inference_start), detail::at(options.start, t));
  }
  const double finished_line = t + options.sync_us;
  const double log_end = finished_line + profile.run.lead_out_ms * 1000;
  run.power = log_power(signal, log_end, profile, options.start, {logger, sensor_noise, phase});

  // trtexec's output, stamped as it reaches the logger's clock.
  const auto at = [&](double us) { return detail::at(options.start, us); };
  const std::string banner = fmt::format("TensorRT.trtexec [TensorRT v{}]", simulated_tensorrt_banner);
  run.build_output = {{at(0), fmt::format("&&&& RUNNING {} # trtexec (simulated build and profile run)", banner)},
                      detail::trtexec_line(at(0), fmt::format("TensorRT version: {}", simulated_tensorrt_version)),
                      {at(0), fmt::format("&&&& PASSED {} # trtexec (simulated build and profile run)", banner)}};
  run.timed_output = {{at(0), fmt::format("&&&& RUNNING {} # trtexec (simulated timed run)", banner)},
                      detail::trtexec_line(at(0), fmt::format("TensorRT version: {}", simulated_tensorrt_version)),
                      detail::trtexec_line(at(starting_line), "Starting inference")};
  for (const auto& line : io::trtexec_summary_lines(run.times, warm_ups, options.warm_up_ms))
    run.timed_output.push_back(detail::trtexec_line(at(finished_line), line));
  run.timed_output.push_back({at(finished_line), fmt::format("&&&& PASSED {} # trtexec (simulated timed run)", banner)});

  // The truth over the timed inferences.
  ground_truth& truth = run.truth;
  const ina3221 chip(profile.sensor);
  truth.model = std::string(network);
  truth.seed = options.seed;
  truth.cycles = static_cast<std::int64_t>(run.times.size());
  truth.profile = profile;
  truth.idle_power_uw = idle_uw;
  truth.refresh_interval_us = chip.refresh_interval_us();
  truth.first_refresh = at(run.power.first_refresh_us);
  const auto timed = static_cast<double>(run.times.size());
  for (std::size_t i = 0; i < n; ++i) {
    const layer_cost c = cost_of(engine.layers[i]);
    layer_truth l{engine.layers[i].name, engine.layers[i].layer_type, runtime_sum[i] / timed / 1000, std::nullopt,
                  std::nullopt, c.flops, c.bytes};
    if (expected[i].runtime_us > 0) {
      l.power_uw = power_sum[i] / timed;
      l.power_excluding_idle_uw = *l.power_uw - idle_uw;
    }
    truth.layers.push_back(std::move(l));
  }
  network_truth net;
  net.inferences = run.times.size();
  for (const auto& x : run.times) net.latency_ms += x.latency_ms / timed;
  // Each inference owns the time from its start to the next one's (the last: to its end), as the
  // measurement counts them.
  net.cycle_ms = (run.times.back().end_d2h_ms - run.times.front().start_h2d_ms) / timed;
  net.energy_per_inference_above_idle_mj = dynamic_energy / timed / 1e9;
  net.energy_per_inference_total_mj = net.energy_per_inference_above_idle_mj + idle_uw * net.cycle_ms / 1e6;
  truth.network = net;
  return run;
}

/// Writes the run's files into `files`' folder, and its truth to ground_truth.json there.
inline void write_simulated_trtexec_run(const io::campaign_network_files& files, const io::engine_info& engine,
                                        const simulated_trtexec_run& run) {
  io::write_engine_info(files.layer_info, engine);
  io::write_trtexec_profile(files.profile, run.profile);
  io::write_trtexec_times(files.times, run.times);
  io::write_stamped_lines(files.build_output, run.build_output);
  io::write_stamped_lines(files.timed_output, run.timed_output);
  io::write_power_log(files.power_log, io::power_log_layout{}, run.power.lines);
  io::write_power_log_meta(io::power_log_meta_path(files.power_log), run.power.meta);
  write_ground_truth(files.directory / "ground_truth.json", run.truth);
}

}  // namespace layerwatt::sim
